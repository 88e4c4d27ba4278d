import type { PlaylistEntry } from './model.js';
import { DAY, isScheduledAt, type LocalSeconds } from './schedule.js';
import { instantAtOrAfter, localSecondsAt } from './zones.js';

/** What a playlist plays at one moment: its own entries scheduled then, and when that next changes. */
export interface PlayingAt {
  readonly localTime: LocalSeconds;
  /** The entries whose play rules let them play at `localTime`, in the order given. */
  readonly entries: readonly PlaylistEntry[];
  /** The next moment at which that set of entries changes; null when it never does (within the dates the entries name). */
  readonly nextChangeAt: LocalSeconds | null;
}

// undefined: no such field; NaN: not a real value (then the entry never plays, see isScheduledAt).
function dayOf(date: string | null): number | undefined {
  if (date === null) return undefined;
  return Math.round(Date.parse(`${date}T00:00:00Z`) / (DAY * 1000));
}

function secondsOf(clock: string | null): number | undefined {
  if (clock === null) return undefined;
  const [h = 0, m = 0, s = 0] = clock.split(':').map(Number);
  return h * 3600 + m * 60 + s;
}

/**
 * Moments after `t` at which an entry's play rule may start or stop letting it play: the daily
 * window's start and end on the days around `t`, the next midnights (a new date or weekday),
 * and the first day and the day after the last day of its dates.
 */
function boundaries(entry: PlaylistEntry, t: LocalSeconds): LocalSeconds[] {
  if (entry.playRule !== 'SCHEDULE') return [];
  const today = Math.floor(t / DAY);
  const out: LocalSeconds[] = [];
  for (let day = today - 1; day <= today + 8; day++) {
    out.push((day + 1) * DAY);
    for (const clock of [secondsOf(entry.startTime), secondsOf(entry.endTime)]) if (clock !== undefined) out.push(day * DAY + clock);
  }
  const first = dayOf(entry.startDate);
  const last = dayOf(entry.endDate);
  if (first !== undefined && Number.isFinite(first)) out.push(first * DAY, (first + 1) * DAY);
  if (last !== undefined && Number.isFinite(last)) out.push((last + 1) * DAY);
  return out.filter((b) => b > t);
}

/**
 * The entries scheduled at `t` and the next moment that set changes (a time window opening or
 * closing, a date beginning or ending, a new weekday), computed from the entries alone, with no
 * clock changes (viewneo's times are wall-clock times of the screen).
 */
export function playingAt(entries: readonly PlaylistEntry[], t: LocalSeconds): PlayingAt {
  const playing = (at: LocalSeconds) => entries.filter((entry) => isScheduledAt(entry, at));
  const now = playing(t);
  const same = (at: LocalSeconds) => {
    const then = playing(at);
    return then.length === now.length && then.every((entry, i) => entry === now[i]);
  };
  const candidates = [...new Set(entries.flatMap((entry) => boundaries(entry, t)))].sort((a, b) => a - b);
  return { localTime: t, entries: now, nextChangeAt: candidates.find((at) => !same(at)) ?? null };
}

/** {@link PlayingAt} for a screen in a time zone, with the instant of the next change. */
export interface PlayingNow extends PlayingAt {
  /** The instant (ISO-8601, UTC, whole seconds) at which the zone's clock first shows `nextChangeAt`; null with it. */
  readonly nextChangeInstant: string | null;
}

/** What `entries` play at the instant `epochMs` on a screen in the IANA zone `zone`, and when that next changes. */
export function playingNowIn(entries: readonly PlaylistEntry[], epochMs: number, zone: string): PlayingNow {
  const playing = playingAt(entries, localSecondsAt(epochMs, zone));
  const next = playing.nextChangeAt;
  return {
    ...playing,
    nextChangeInstant: next === null ? null : new Date(instantAtOrAfter(next, zone)).toISOString().replace('.000Z', 'Z'),
  };
}
