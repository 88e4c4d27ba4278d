import { describe, expect, it } from 'vitest';
import type { Playlist, PlaylistEntry } from '../../src/domain/model.js';
import { DAY, formatLocalDateTime, inPlayOrder, isScheduledAt, parseLocalDateTime, weekdayOf } from '../../src/domain/schedule.js';
import { expandTimeline, passDuration } from '../../src/domain/timeline.js';
import type { Weekday } from '../../src/domain/weekdays.js';
import { entry } from '../support/entries.js';

// 2024-03-01 is a Friday: 03-02 Saturday, 03-03 Sunday, 03-04 Monday.
function at(text: string): number {
  const t = parseLocalDateTime(text);
  if (t === null) throw new Error(`bad test time ${text}`);
  return t;
}

const WORKDAYS: Weekday[] = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'];

describe('parseLocalDateTime', () => {
  it.each([
    ['2024-03-04T08:00', '2024-03-04T08:00:00'],
    ['2024-03-04T08:00:00', '2024-03-04T08:00:00'],
    ['2024-03-04T23:59:59', '2024-03-04T23:59:59'],
    ['2024-02-29T12:00', '2024-02-29T12:00:00'],
    ['2000-02-29T00:00', '2000-02-29T00:00:00'],
    ['0001-01-01T00:00', '0001-01-01T00:00:00'],
    ['9999-12-31T23:59:59', '9999-12-31T23:59:59'],
  ])('accepts %j and formats it back as %j', (text, formatted) => {
    expect(formatLocalDateTime(at(text))).toBe(formatted);
  });

  it.each([
    '2023-02-29T10:00',
    '1900-02-29T10:00',
    '2024-02-30T10:00',
    '2024-04-31T10:00',
    '2024-13-01T10:00',
    '2024-00-10T10:00',
    '2024-03-00T10:00',
    '2024-03-04T24:00',
    '2024-03-04T23:60',
    '2024-03-04T23:59:60',
    '2024-03-04 10:00',
    '2024-03-04T10:00Z',
    '2024-03-04T10:00+01:00',
    '2024-03-04T10:00:00.000',
    '2024-3-4T10:00',
    '2024-03-04T1:00',
    '2024-03-04',
    '',
    42,
    null,
  ])('rejects %j', (value) => {
    expect(parseLocalDateTime(value)).toBeNull();
  });

  it('counts whole seconds on one zone-less clock', () => {
    expect(at('2024-03-05T00:00') - at('2024-03-04T00:00')).toBe(DAY);
    expect(at('2024-03-04T08:00:01') - at('2024-03-04T08:00')).toBe(1);
  });
});

describe('weekdayOf', () => {
  it.each([
    ['1970-01-01T00:00', 'THURSDAY'],
    ['2024-03-01T12:00', 'FRIDAY'],
    ['2024-03-03T12:00', 'SUNDAY'],
    ['2024-03-04T12:00', 'MONDAY'],
    ['1969-12-31T12:00', 'WEDNESDAY'],
  ])('%s is a %s', (text, weekday) => {
    expect(weekdayOf(Math.floor(at(text) / DAY))).toBe(weekday);
  });
});

describe('isScheduledAt', () => {
  const cases: [string, Partial<PlaylistEntry>, string, boolean][] = [
    // Play rules: ALWAYS and NEVER ignore the schedule fields.
    ['ALWAYS plays', { playRule: 'ALWAYS' }, '2024-03-04T03:00', true],
    [
      'ALWAYS ignores a schedule that excludes the moment',
      { playRule: 'ALWAYS', endDate: '2020-01-01', startTime: '08:00:00', endTime: '09:00:00' },
      '2024-03-04T03:00',
      true,
    ],
    ['NEVER does not play', { playRule: 'NEVER' }, '2024-03-04T03:00', false],
    [
      'NEVER ignores a schedule that includes the moment',
      { playRule: 'NEVER', startTime: '00:00:00', endTime: '23:00:00' },
      '2024-03-04T03:00',
      false,
    ],
    ['SCHEDULE without constraints plays', {}, '2024-03-04T03:00', true],

    // Date range, inclusive on both ends.
    ['range: on the start date', { startDate: '2024-03-01', endDate: '2024-03-31' }, '2024-03-01T00:00', true],
    ['range: on the end date, last second', { startDate: '2024-03-01', endDate: '2024-03-31' }, '2024-03-31T23:59:59', true],
    ['range: the second before the start date', { startDate: '2024-03-01', endDate: '2024-03-31' }, '2024-02-29T23:59:59', false],
    ['range: the day after the end date', { startDate: '2024-03-01', endDate: '2024-03-31' }, '2024-04-01T00:00', false],
    ['range: start and end on the same day', { startDate: '2024-03-04', endDate: '2024-03-04' }, '2024-03-04T12:00', true],
    ['end date only: long before it', { endDate: '2024-03-31' }, '2000-01-01T00:00', true],
    ['end date only: on it', { endDate: '2024-03-31' }, '2024-03-31T23:59:59', true],
    ['end date only: after it', { endDate: '2024-03-31' }, '2024-04-01T00:00', false],
    ['start date only: before it', { startDate: '2024-03-01' }, '2024-02-29T23:59:59', false],
    ['start date only: on it', { startDate: '2024-03-01' }, '2024-03-01T00:00', true],
    ['start date only: long after it', { startDate: '2024-03-01' }, '2099-12-31T23:59', true],

    // Daily window: start inclusive, end exclusive.
    ['window: before the start', { startTime: '08:00:00', endTime: '18:00:00' }, '2024-03-04T07:59:59', false],
    ['window: at the start', { startTime: '08:00:00', endTime: '18:00:00' }, '2024-03-04T08:00', true],
    ['window: the last second', { startTime: '08:00:00', endTime: '18:00:00' }, '2024-03-04T17:59:59', true],
    ['window: at the end (exclusive)', { startTime: '08:00:00', endTime: '18:00:00' }, '2024-03-04T18:00', false],
    ['start time only: before it', { startTime: '08:00:00' }, '2024-03-04T07:59:59', false],
    ['start time only: until midnight', { startTime: '08:00:00' }, '2024-03-04T23:59:59', true],
    ['end time only: from midnight', { endTime: '18:00:00' }, '2024-03-04T00:00', true],
    ['end time only: at it', { endTime: '18:00:00' }, '2024-03-04T18:00', false],
    ['end time 24:00:00 is the end of the day', { startTime: '08:00:00', endTime: '24:00:00' }, '2024-03-04T23:59:59', true],

    // A window across midnight (22:00-06:00).
    ['night: before it opens', { startTime: '22:00:00', endTime: '06:00:00' }, '2024-03-04T21:59:59', false],
    ['night: when it opens', { startTime: '22:00:00', endTime: '06:00:00' }, '2024-03-04T22:00', true],
    ['night: at midnight', { startTime: '22:00:00', endTime: '06:00:00' }, '2024-03-05T00:00', true],
    ['night: the last second', { startTime: '22:00:00', endTime: '06:00:00' }, '2024-03-05T05:59:59', true],
    ['night: at the end (exclusive)', { startTime: '22:00:00', endTime: '06:00:00' }, '2024-03-05T06:00', false],
    ['night: at noon', { startTime: '22:00:00', endTime: '06:00:00' }, '2024-03-04T12:00', false],
    ['night Saturday: Saturday 23:00', { startTime: '22:00:00', endTime: '06:00:00', weekdays: ['SATURDAY'] }, '2024-03-02T23:00', true],
    [
      'night Saturday: Sunday 02:00 belongs to Saturday night',
      { startTime: '22:00:00', endTime: '06:00:00', weekdays: ['SATURDAY'] },
      '2024-03-03T02:00',
      true,
    ],
    [
      'night Saturday: Saturday 02:00 belongs to Friday night',
      { startTime: '22:00:00', endTime: '06:00:00', weekdays: ['SATURDAY'] },
      '2024-03-02T02:00',
      false,
    ],
    ['night Saturday: Sunday 23:00', { startTime: '22:00:00', endTime: '06:00:00', weekdays: ['SATURDAY'] }, '2024-03-03T23:00', false],
    [
      'night: after midnight of the end date still plays',
      { startTime: '22:00:00', endTime: '06:00:00', endDate: '2024-03-02' },
      '2024-03-03T05:00',
      true,
    ],
    [
      'night: after midnight of the start date opened the day before',
      { startTime: '22:00:00', endTime: '06:00:00', startDate: '2024-03-02' },
      '2024-03-02T05:00',
      false,
    ],

    // Start time equal to end time: a full 24 hours from that time.
    ['equal times: just before them', { startTime: '10:00:00', endTime: '10:00:00' }, '2024-03-04T09:59:59', true],
    ['equal times: at them', { startTime: '10:00:00', endTime: '10:00:00' }, '2024-03-04T10:00', true],
    ['equal 00:00 times: all day', { startTime: '00:00:00', endTime: '00:00:00' }, '2024-03-04T15:00', true],
    ['equal times on Monday: Monday 10:00', { startTime: '10:00:00', endTime: '10:00:00', weekdays: ['MONDAY'] }, '2024-03-04T10:00', true],
    [
      'equal times on Monday: Tuesday 09:59:59',
      { startTime: '10:00:00', endTime: '10:00:00', weekdays: ['MONDAY'] },
      '2024-03-05T09:59:59',
      true,
    ],
    [
      'equal times on Monday: Tuesday 10:00',
      { startTime: '10:00:00', endTime: '10:00:00', weekdays: ['MONDAY'] },
      '2024-03-05T10:00',
      false,
    ],
    [
      'equal times on Monday: Monday 09:59:59 belongs to Sunday',
      { startTime: '10:00:00', endTime: '10:00:00', weekdays: ['MONDAY'] },
      '2024-03-04T09:59:59',
      false,
    ],

    // Weekdays: none means every day.
    ['no weekdays: Sunday', { weekdays: [] }, '2024-03-03T12:00', true],
    ['no weekdays: Wednesday', { weekdays: [] }, '2024-03-06T12:00', true],
    ['Monday to Friday: Monday', { weekdays: WORKDAYS }, '2024-03-04T12:00', true],
    ['Monday to Friday: Friday', { weekdays: WORKDAYS }, '2024-03-01T23:59:59', true],
    ['Monday to Friday: Saturday', { weekdays: WORKDAYS }, '2024-03-02T00:00', false],
    ['Saturday and Sunday: Sunday', { weekdays: ['SUNDAY', 'SATURDAY'] }, '2024-03-03T12:00', true],

    // remove_playlist_entry_after_end_date does not change when it plays.
    ['remove-after-end: before the end date', { endDate: '2024-03-31', removeAfterEndDate: true }, '2024-03-30T12:00', true],
    ['remove-after-end: on the end date', { endDate: '2024-03-31', removeAfterEndDate: true }, '2024-03-31T23:59:59', true],
    ['remove-after-end: after the end date', { endDate: '2024-03-31', removeAfterEndDate: true }, '2024-04-01T00:00', false],

    // Times with and without seconds.
    ['entry times without seconds: at the start', { startTime: '08:00', endTime: '18:00' }, '2024-03-04T08:00:00', true],
    ['entry times without seconds: at the end', { startTime: '08:00', endTime: '18:00' }, '2024-03-04T18:00', false],
    ['entry times with seconds: one second before the start', { startTime: '08:00:30', endTime: '18:00:00' }, '2024-03-04T08:00:29', false],
    ['entry times with seconds: at the start', { startTime: '08:00:30', endTime: '18:00:00' }, '2024-03-04T08:00:30', true],

    // A schedule field that is no real date or time never plays.
    ['unreal start time', { startTime: '25:00:00' }, '2024-03-04T12:00', false],
    ['unreal end date', { endDate: '2024-02-30' }, '2024-01-01T12:00', false],
  ];

  it.each(cases)('%s', (_name, fields, time, expected) => {
    expect(isScheduledAt(entry(fields), at(time))).toBe(expected);
  });

  it('reads a time with and without seconds the same', () => {
    const e = entry({ startTime: '08:00:00', endTime: '09:00' });
    expect(isScheduledAt(e, at('2024-03-04T08:00'))).toBe(isScheduledAt(e, at('2024-03-04T08:00:00')));
  });
});

describe('inPlayOrder', () => {
  it('orders by index, then id, without changing its input', () => {
    const input = [
      { index: 2, id: 1 },
      { index: 0, id: 9 },
      { index: 0, id: 3 },
    ];
    expect(inPlayOrder(input)).toEqual([
      { index: 0, id: 3 },
      { index: 0, id: 9 },
      { index: 2, id: 1 },
    ]);
    expect(input[0]).toEqual({ index: 2, id: 1 });
  });
});

function playlist(id: number): Playlist {
  return { __typename: 'Playlist', id, name: `P${id}`, comment: null, companyId: null, createdAt: null, updatedAt: null };
}

function media(playlistId: number, duration: number, fields: Partial<PlaylistEntry> = {}): PlaylistEntry {
  return entry({ playlistId, duration, playRule: 'ALWAYS', ...fields });
}

function nest(playlistId: number, nested: number, duration = 0, fields: Partial<PlaylistEntry> = {}): PlaylistEntry {
  return entry({ playlistId, duration, playRule: 'ALWAYS', mediaFileId: null, nestedPlaylistId: nested, ...fields });
}

describe('passDuration', () => {
  it.each<[string, [number, PlaylistEntry[]][], number]>([
    ['sums media durations', [[1, [media(1, 10), media(1, 5)]]], 15],
    ['ignores play rules', [[1, [media(1, 10, { playRule: 'NEVER' }), media(1, 5)]]], 15],
    ['counts a negative duration as 0', [[1, [media(1, -10), media(1, 5)]]], 5],
    [
      'counts a nested playlist by its own total, not the entry duration',
      [
        [1, [media(1, 10), nest(1, 2, 999)]],
        [2, [media(2, 7), media(2, 3)]],
      ],
      20,
    ],
    [
      'expands nesting recursively',
      [
        [1, [nest(1, 2)]],
        [2, [media(2, 1), nest(2, 3)]],
        [3, [media(3, 4)]],
      ],
      5,
    ],
    [
      'counts a playlist nested twice twice',
      [
        [1, [nest(1, 2), nest(1, 2)]],
        [2, [media(2, 6)]],
      ],
      12,
    ],
    ['counts 0 for a gone nested playlist', [[1, [media(1, 10), nest(1, 404, 30)]]], 10],
    ['counts 0 for a playlist nested in itself', [[1, [media(1, 10), nest(1, 1, 30)]]], 10],
    [
      'counts 0 for the repeated playlist of a cycle',
      [
        [1, [media(1, 10), nest(1, 2)]],
        [2, [media(2, 3), nest(2, 1)]],
      ],
      13,
    ],
  ])('%s', (_name, tree, total) => {
    expect(passDuration(new Map(tree), 1)).toBe(total);
  });
});

describe('expandTimeline', () => {
  const from = at('2024-03-04T08:00');
  const window = (to: string, limit = 500) => ({ from, to: at(to), limit });
  const run = (tree: [number, PlaylistEntry[]][], to: string, limit?: number) => {
    const playlists = new Map(tree.map(([id]) => [id, playlist(id)]));
    return expandTimeline(new Map(tree), playlists, 1, window(to, limit)).map((s) => ({
      start: formatLocalDateTime(s.start),
      end: formatLocalDateTime(s.end),
      entry: s.entry.id,
      playlist: s.playlist.id,
    }));
  };

  it('loops the playlist; items start before `to`, the last may end after it', () => {
    const [a, b] = [media(1, 30), media(1, 20)];
    expect(run([[1, [a, b]]], '2024-03-04T08:01:20')).toEqual([
      { start: '2024-03-04T08:00:00', end: '2024-03-04T08:00:30', entry: a.id, playlist: 1 },
      { start: '2024-03-04T08:00:30', end: '2024-03-04T08:00:50', entry: b.id, playlist: 1 },
      { start: '2024-03-04T08:00:50', end: '2024-03-04T08:01:20', entry: a.id, playlist: 1 },
    ]);
    expect(run([[1, [a, b]]], '2024-03-04T08:01:21').at(-1)).toMatchObject({ start: '2024-03-04T08:01:20', end: '2024-03-04T08:01:40' });
  });

  it('expands nested playlists in place and names the playlist each entry belongs to', () => {
    const [a, n, b, c] = [media(1, 10), nest(1, 2, 999), media(1, 10), media(2, 5)];
    expect(
      run(
        [
          [1, [a, n, b]],
          [2, [c]],
        ],
        '2024-03-04T08:00:25',
      ).map((i) => [i.entry, i.playlist, i.start]),
    ).toEqual([
      [a.id, 1, '2024-03-04T08:00:00'],
      [c.id, 2, '2024-03-04T08:00:10'],
      [b.id, 1, '2024-03-04T08:00:15'],
    ]);
  });

  it('skips unscheduled entries, zero durations, gone and repeated playlists', () => {
    const entries = [media(1, 10, { playRule: 'NEVER' }), media(1, 0), nest(1, 404), nest(1, 1), nest(1, 2), media(1, 10)];
    const inner = [media(2, 5), nest(2, 1)];
    const items = run(
      [
        [1, entries],
        [2, inner],
      ],
      '2024-03-04T08:00:30',
    );
    expect(items.map((i) => [i.entry, i.start])).toEqual([
      [inner[0]!.id, '2024-03-04T08:00:00'],
      [entries[5]!.id, '2024-03-04T08:00:05'],
      [inner[0]!.id, '2024-03-04T08:00:15'],
      [entries[5]!.id, '2024-03-04T08:00:20'],
    ]);
  });

  it('checks each entry at the moment it would start', () => {
    // The second entry's window closes at 08:00:10; it starts at 08:00:10 on the first pass.
    const entries = [
      media(1, 10),
      media(1, 10, { playRule: 'SCHEDULE', startTime: '08:00:05', endTime: '08:00:10' }),
      media(1, 10, { playRule: 'SCHEDULE', endTime: '08:00:15' }),
    ];
    expect(run([[1, entries]], '2024-03-04T08:00:40').map((i) => [i.entry, i.start])).toEqual([
      [entries[0]!.id, '2024-03-04T08:00:00'],
      [entries[2]!.id, '2024-03-04T08:00:10'],
      [entries[0]!.id, '2024-03-04T08:00:20'],
      [entries[0]!.id, '2024-03-04T08:00:30'],
    ]);
  });

  it('ends when a whole pass shows nothing', () => {
    const entries = [media(1, 10, { playRule: 'SCHEDULE', endTime: '08:00:30' })];
    expect(run([[1, entries]], '2024-03-05T08:00')).toHaveLength(3);
    expect(run([[1, [media(1, 10, { playRule: 'NEVER' }), nest(1, 1)]]], '2024-03-05T08:00')).toEqual([]);
  });

  it('stops at `limit` items', () => {
    expect(run([[1, [media(1, 1)]]], '2024-03-05T08:00', 7)).toHaveLength(7);
  });

  it('terminates on a nesting cycle', () => {
    const items = run(
      [
        [1, [media(1, 10), nest(1, 2)]],
        [2, [media(2, 5), nest(2, 1)]],
      ],
      '2024-03-04T08:01',
    );
    expect(items.map((i) => i.playlist)).toEqual([1, 2, 1, 2, 1, 2, 1, 2]);
  });

  it('answers nothing for a playlist that is gone', () => {
    expect(expandTimeline(new Map(), new Map(), 1, window('2024-03-05T08:00'))).toEqual([]);
  });
});
