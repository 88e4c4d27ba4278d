import { describe, expect, it } from 'vitest';
import { decodeWeekdays } from '../../src/domain/weekdays.js';
import { parseListPage, parseMediaFile, parsePlaylistEntry, parseTimestamp, UpstreamShapeError } from '../../src/viewneo/parse.js';

describe('parseTimestamp', () => {
  it('turns viewneo timestamps into ISO-8601 UTC instants', () => {
    expect(parseTimestamp('2017-01-24 16:37:20')).toBe('2017-01-24T16:37:20Z');
    expect(parseTimestamp(null)).toBeNull();
  });

  it.each(['2017-01-24', 'yesterday', 42, '2017-13-45 99:99:99'])('rejects %j', (value) => {
    expect(() => parseTimestamp(value)).toThrow(UpstreamShapeError);
  });
});

describe('decodeWeekdays', () => {
  it.each([
    [0, []],
    [1, ['SUNDAY']],
    [62, ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY']],
    [65, ['SUNDAY', 'SATURDAY']],
    [127, ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY']],
  ])('decodes bitmask %i', (mask, days) => {
    expect(decodeWeekdays(mask)).toEqual(days);
  });
});

describe('parsePlaylistEntry', () => {
  const raw = {
    id: 7,
    playlist_id: 1001,
    index: 2,
    duration: 15,
    is_sound_played: 1,
    play_rule: 0,
    start_date: '2024-01-01',
    end_date: null,
    start_time: '22:00:00',
    end_time: '06:00:00',
    weekdays: 62,
    remove_playlist_entry_after_end_date: 0,
    media_file_id: 2001,
    playlist_id_as_nested_playlist: null,
  };

  it('maps 0/1 flags, play rules and the weekday mask to our types', () => {
    expect(parsePlaylistEntry(raw)).toMatchObject({
      soundPlayed: true,
      playRule: 'SCHEDULE',
      removeAfterEndDate: false,
      weekdays: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'],
      mediaFileId: 2001,
      nestedPlaylistId: null,
    });
  });

  it('rejects an unknown play rule instead of guessing', () => {
    expect(() => parsePlaylistEntry({ ...raw, play_rule: 9 })).toThrow(/play_rule/);
  });
});

describe('parseMediaFile', () => {
  it('treats a null attachable type as a folder and parent 0 as the top level', () => {
    const file = parseMediaFile({ id: 1, name: 'Folder', status: 3, attachable_type: null, media_file_id_as_parent_directory: 0 });
    expect(file).toMatchObject({ kind: 'DIRECTORY', parentDirectoryId: null, status: 'CONVERTED', thumbnail: null });
  });

  it('reads namespaced morph types', () => {
    expect(parseMediaFile({ id: 1, name: 'x', status: 0, attachable_type: 'App\\Website' }).kind).toBe('WEBSITE');
  });

  it('rejects a missing name', () => {
    expect(() => parseMediaFile({ id: 1, status: 0 })).toThrow(/"name"/);
  });
});

describe('parseListPage', () => {
  it('reads a plain array', () => {
    expect(parseListPage([1, 2])).toEqual({ items: [1, 2], next: null, lastPage: 1 });
  });

  it('reads a Laravel paginator', () => {
    expect(parseListPage({ data: [1], next_page_url: 'http://x/?page=2', current_page: 1 })).toEqual({
      items: [1],
      next: 'http://x/?page=2',
      lastPage: null,
    });
    expect(parseListPage({ data: [1], next_page_url: 'http://x/?page=2', current_page: 1, last_page: 4 }).lastPage).toBe(4);
  });

  it('reads an API-resource collection', () => {
    expect(parseListPage({ data: [1], links: { next: null }, meta: {} })).toEqual({ items: [1], next: null, lastPage: null });
    expect(parseListPage({ data: [1], links: { next: 'http://x/?page=2' }, meta: { last_page: 3 } }).lastPage).toBe(3);
  });

  it('rejects an object without data', () => {
    expect(() => parseListPage({ message: 'oops' })).toThrow(UpstreamShapeError);
  });
});
