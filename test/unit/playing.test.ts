import { describe, expect, it } from 'vitest';
import { playingAt } from '../../src/domain/playing.js';
import { formatLocalDateTime, parseLocalDateTime } from '../../src/domain/schedule.js';
import { instantAtOrAfter, isTimeZone, localSecondsAt } from '../../src/domain/zones.js';
import { entry } from '../support/entries.js';

const at = (text: string) => {
  const t = parseLocalDateTime(text);
  if (t === null) throw new Error(`bad test time ${text}`);
  return t;
};

describe('playingAt', () => {
  // 2024-03-04 is a Monday.
  const office = entry({ startTime: '08:00:00', endTime: '18:00:00', weekdays: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'] });
  const night = entry({ startTime: '22:00:00', endTime: '06:00:00' });
  const always = entry({ playRule: 'ALWAYS' });
  const march = entry({ startDate: '2024-03-10', endDate: '2024-03-20' });
  const never = entry({ playRule: 'NEVER' });

  it.each([
    ['the end of a daily window', [office, always], '2024-03-04T10:00', [office, always], '2024-03-04T18:00:00'],
    ['the start of a daily window', [office], '2024-03-04T07:59:30', [], '2024-03-04T08:00:00'],
    ['a window across midnight, from the evening', [night], '2024-03-04T21:00', [], '2024-03-04T22:00:00'],
    ['a window across midnight, after midnight', [night], '2024-03-05T01:00', [night], '2024-03-05T06:00:00'],
    ['the weekend: the next working morning', [office], '2024-03-09T12:00', [], '2024-03-11T08:00:00'],
    ['a date range that has not begun', [march], '2024-03-01T12:00', [], '2024-03-10T00:00:00'],
    ['the day after a date range ends', [march], '2024-03-20T23:00', [march], '2024-03-21T00:00:00'],
    ['nothing ever changes', [always, never], '2024-03-04T10:00', [always], null],
    ['a date range that is over', [march], '2024-04-01T00:00', [], null],
  ])('finds %s', (_name, entries, now, playing, next) => {
    const answer = playingAt(entries, at(now));
    expect(answer.entries).toEqual(playing);
    expect(answer.nextChangeAt === null ? null : formatLocalDateTime(answer.nextChangeAt)).toBe(next);
  });

  it('skips boundaries that change nothing (one window ends as the next begins)', () => {
    const morning = entry({ startTime: '06:00:00', endTime: '12:00:00' });
    const noon = entry({ startTime: '12:00:00', endTime: '18:00:00', mediaFileId: 2 });
    const both = entry({ startTime: '06:00:00', endTime: '18:00:00', mediaFileId: 3 });
    const answer = playingAt([both], at('2024-03-04T07:00'));
    expect(formatLocalDateTime(answer.nextChangeAt!)).toBe('2024-03-04T18:00:00');
    expect(formatLocalDateTime(playingAt([morning, noon], at('2024-03-04T07:00')).nextChangeAt!)).toBe('2024-03-04T12:00:00');
  });
});

describe('time zones', () => {
  it.each([
    ['Europe/Berlin', true],
    ['UTC', true],
    ['America/Argentina/Buenos_Aires', true],
    ['Mars/Olympus', false],
    ['+01:00', false],
    ['', false],
    ['Europe/Berlin; DROP', false],
  ])('accepts %j as a time zone: %s', (zone, valid) => {
    expect(isTimeZone(zone)).toBe(valid);
  });

  it.each([
    ['UTC', '2024-03-31T12:00:00Z', '2024-03-31T12:00:00'],
    ['Europe/Berlin', '2024-01-15T12:00:00Z', '2024-01-15T13:00:00'],
    ['Europe/Berlin', '2024-07-15T12:00:00Z', '2024-07-15T14:00:00'],
    ['Asia/Kolkata', '2024-07-15T23:45:00Z', '2024-07-16T05:15:00'],
  ])('reads the wall clock in %s at %s as %s', (zone, instant, local) => {
    expect(formatLocalDateTime(localSecondsAt(Date.parse(instant), zone))).toBe(local);
  });

  it.each([
    ['an ordinary time', 'Europe/Berlin', '2024-07-15T14:00:00', '2024-07-15T12:00:00.000Z'],
    ['a time the clock skips (spring forward): the jump', 'Europe/Berlin', '2024-03-31T02:30:00', '2024-03-31T01:00:00.000Z'],
    ['a time the clock shows twice (fall back): the first', 'Europe/Berlin', '2024-10-27T02:30:00', '2024-10-27T00:30:00.000Z'],
    ['UTC', 'UTC', '2024-03-31T02:30:00', '2024-03-31T02:30:00.000Z'],
  ])('finds the first instant that shows %s', (_name, zone, local, instant) => {
    expect(new Date(instantAtOrAfter(at(local), zone)).toISOString()).toBe(instant);
  });
});
