import type { PlaylistEntry } from './model.js';
import { WEEKDAYS, type Weekday } from './weekdays.js';

/**
 * A moment on the screen's wall clock: seconds since 1970-01-01T00:00:00 on that same zone-less
 * clock. viewneo stores no zone, so no instant is implied; adding seconds ignores clock changes.
 */
export type LocalSeconds = number;

/** Seconds in one wall-clock day. */
export const DAY = 86_400;
const DAY_MS = DAY * 1000;

/** The schedule fields of a playlist entry, all {@link isScheduledAt} reads. */
export type Schedule = Pick<PlaylistEntry, 'playRule' | 'startDate' | 'endDate' | 'startTime' | 'endTime' | 'weekdays'>;

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** Days since 1970-01-01 of a real calendar date; null when the date does not exist (e.g. 02-30). */
function dayNumber(year: number, month: number, day: number): number | null {
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  date.setUTCFullYear(year, month - 1, day);
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real ? Math.round(date.getTime() / DAY_MS) : null;
}

/** Seconds after midnight of `HH:MM[:SS]`; null unless 00:00:00 to 24:00:00 ("24:00:00" is the end of the day). */
function clockSeconds(text: string): number | null {
  const m = CLOCK.exec(text);
  if (!m) return null;
  const [hours, minutes, seconds] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  if (minutes > 59 || seconds > 59) return null;
  const total = hours * 3600 + minutes * 60 + seconds;
  return total <= DAY ? total : null;
}

// undefined: the entry sets no such date; null: it sets one that is not a real date.
function entryDay(text: string | null): number | null | undefined {
  if (text === null) return undefined;
  const m = DATE.exec(text);
  return m ? dayNumber(Number(m[1]), Number(m[2]), Number(m[3])) : null;
}

/**
 * Parses `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS` strictly: a real calendar date, hours 00-23,
 * minutes and seconds 00-59, no zone, no fraction. Null for anything else.
 */
export function parseLocalDateTime(text: unknown): LocalSeconds | null {
  const m = typeof text === 'string' ? LOCAL_DATE_TIME.exec(text) : null;
  if (!m) return null;
  const day = dayNumber(Number(m[1]), Number(m[2]), Number(m[3]));
  const [hours, minutes, seconds] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  if (day === null || hours > 23 || minutes > 59 || seconds > 59) return null;
  return day * DAY + hours * 3600 + minutes * 60 + seconds;
}

/** Formats a moment as `YYYY-MM-DDTHH:MM:SS`; null when it is not a whole second in years 0000-9999. */
export function formatLocalDateTime(t: LocalSeconds): string | null {
  if (!Number.isSafeInteger(t)) return null;
  const day = Math.floor(t / DAY);
  const date = new Date(day * DAY_MS);
  const year = date.getUTCFullYear();
  if (Number.isNaN(year) || year < 0 || year > 9999) return null;
  const clock = t - day * DAY;
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${String(year).padStart(4, '0')}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}` +
    `T${two(Math.floor(clock / 3600))}:${two(Math.floor(clock / 60) % 60)}:${two(clock % 60)}`
  );
}

/** The weekday of a day number (days since 1970-01-01, a Thursday). */
export function weekdayOf(day: number): Weekday {
  return WEEKDAYS[(((day + 4) % 7) + 7) % 7] as Weekday;
}

/**
 * The day on which the daily window that contains `clock` (seconds after midnight of `day`)
 * opened, or null when `clock` is outside every window. A window whose end is not after its start
 * runs past midnight (equal ends: a full 24 hours); its hours after midnight belong to the day before.
 */
function windowDay(schedule: Schedule, day: number, clock: number): number | null {
  const start = schedule.startTime === null ? 0 : clockSeconds(schedule.startTime);
  const end = schedule.endTime === null ? DAY : clockSeconds(schedule.endTime);
  if (start === null || end === null) return null;
  if (start < end) return clock >= start && clock < end ? day : null;
  if (clock >= start) return day;
  return clock < end ? day - 1 : null;
}

/**
 * Whether an entry's play rule lets it play at `t`. ALWAYS and NEVER ignore every other field.
 * SCHEDULE: `t` must be inside the daily window [startTime, endTime) (missing start: midnight,
 * missing end: the next midnight); the day that window opened must be within [startDate, endDate]
 * (either may be missing) and, when weekdays are given, one of them. A schedule field that is not a
 * real date or clock time means the entry never plays. `removeAfterEndDate` is not read.
 */
export function isScheduledAt(schedule: Schedule, t: LocalSeconds): boolean {
  if (schedule.playRule === 'ALWAYS') return true;
  if (schedule.playRule === 'NEVER') return false;
  const today = Math.floor(t / DAY);
  const day = windowDay(schedule, today, t - today * DAY);
  if (day === null) return false;
  const [first, last] = [entryDay(schedule.startDate), entryDay(schedule.endDate)];
  if (first === null || last === null) return false;
  if ((first !== undefined && day < first) || (last !== undefined && day > last)) return false;
  return schedule.weekdays.length === 0 || schedule.weekdays.includes(weekdayOf(day));
}

// Each list's play order, as long as the list lives: cached lists are read again and again, never changed.
const playOrders = new WeakMap<readonly object[], readonly object[]>();

/**
 * Entries in play order: `index` ascending, then id, so equal indexes keep a stable order. The
 * order of a list is made once and shared (neither may be changed).
 */
export function inPlayOrder<E extends Pick<PlaylistEntry, 'index' | 'id'>>(entries: readonly E[]): readonly E[] {
  let ordered = playOrders.get(entries) as readonly E[] | undefined;
  if (ordered === undefined) {
    ordered = [...entries].sort((a, b) => a.index - b.index || a.id - b.id);
    playOrders.set(entries, ordered);
  }
  return ordered;
}
