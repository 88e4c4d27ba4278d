import { setImmediate as turn } from 'node:timers/promises';
import type { MediaFile, Playlist, PlaylistEntry } from '../domain/model.js';
import { type PlayingNow, playingNowIn } from '../domain/playing.js';
import { DAY, formatLocalDateTime, inPlayOrder, isScheduledAt, type LocalSeconds, parseLocalDateTime } from '../domain/schedule.js';
import { NestingTooLargeError, PAUSE, passDurationSteps, type Steps, type TimelineSlot, timelineSteps } from '../domain/timeline.js';
import { isTimeZone } from '../domain/zones.js';
import { gatewayError } from '../errors.js';
import type { MaybePromise } from '../session/memo.js';
import type { ViewneoSession } from '../session/session.js';
import { playlistEntries } from './playlists.js';

/** Most items one `timeline` answers. */
export const TIMELINE_MAX_LIMIT = 5000;
/** Items a `timeline` answers at most when its `limit` is absent or null. */
export const TIMELINE_DEFAULT_LIMIT = 500;
/** Latest `to` of a timeline: a day before the last second LocalDateTime can say (9999-12-31T23:59:59). */
const LAST_TIMELINE_END = (parseLocalDateTime('9999-12-31T23:59:59') as number) - DAY;
/** Longest `timeline` range, in days. */
const TIMELINE_MAX_DAYS = 31;

interface Reachable {
  readonly entries: Map<number, readonly PlaylistEntry[]>;
  readonly playlists: Map<number, Playlist>;
}

/**
 * Reads the entries of `root` and of every playlist nested in it, at any depth, one nesting level
 * at a time (each level in parallel, each playlist once). With `withPlaylists`, also the nested
 * playlists themselves. A playlist viewneo does not have is left out of the maps.
 */
async function loadReachable(viewneo: ViewneoSession, root: Playlist, withPlaylists: boolean): Promise<Reachable> {
  const reachable: Reachable = { entries: new Map(), playlists: new Map([[root.id, root]]) };
  const seen = new Set([root.id]);
  let level = [root.id];
  while (level.length > 0) {
    const loaded = await Promise.all(
      level.map((id) =>
        Promise.all([viewneo.playlistEntries(id), withPlaylists && id !== root.id ? viewneo.playlist(id) : null]).then(
          ([entries, playlist]) => ({ id, entries, playlist }),
        ),
      ),
    );
    level = [];
    for (const { id, entries, playlist } of loaded) {
      if (entries === null) continue;
      reachable.entries.set(id, inPlayOrder(entries));
      if (playlist !== null) reachable.playlists.set(id, playlist);
      for (const { nestedPlaylistId: nested } of entries) {
        if (nested !== null && !seen.has(nested)) {
          seen.add(nested);
          level.push(nested);
        }
      }
    }
  }
  return reachable;
}

/**
 * Runs a computation in steps, letting the event loop serve other requests at each pause, and
 * stops it with DEADLINE_EXCEEDED once the request's `deadline` has passed. Nesting too large to
 * evaluate is UPSTREAM_ERROR (viewneo's data, not the caller's input, is at fault).
 */
async function evaluate<T>(steps: Steps<T>, deadline: number): Promise<T> {
  try {
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      if (step.value === PAUSE) await turn();
      if (Date.now() >= deadline)
        throw gatewayError('DEADLINE_EXCEEDED', 'Expected the evaluation to end within the request deadline; it did not');
    }
  } catch (error) {
    if (error instanceof NestingTooLargeError) throw gatewayError('UPSTREAM_ERROR', error.message);
    throw error;
  }
}

/** Seconds one pass through the playlist takes, nested playlists counted by their own total (see passDuration). */
export async function playlistTotalDuration(viewneo: ViewneoSession, playlist: Playlist, deadline: number): Promise<number> {
  const { entries } = await loadReachable(viewneo, playlist, false);
  return evaluate(passDurationSteps(entries, playlist.id), deadline);
}

/** The playlist's own entries (nested playlists not expanded) that are scheduled at `localTime`, in play order. */
export async function entriesPlayingAt(viewneo: ViewneoSession, playlist: Playlist, localTime: LocalSeconds): Promise<PlaylistEntry[]> {
  return (await playlistEntries(viewneo, playlist)).filter((entry) => isScheduledAt(entry, localTime));
}

/**
 * What the playlist shows from `from` to `to` when it starts its first pass at `from` (see
 * expandTimeline). Checks `limit` (1 to TIMELINE_MAX_LIMIT; TIMELINE_DEFAULT_LIMIT when absent or
 * null) and the range (`to` after `from`, at most TIMELINE_MAX_DAYS later) before any upstream
 * read: BAD_USER_INPUT otherwise. Computed in steps that let other requests run, within `deadline`
 * (see evaluate).
 */
export async function playlistTimeline(
  viewneo: ViewneoSession,
  playlist: Playlist,
  args: { from: LocalSeconds; to: LocalSeconds; limit?: number | null },
  deadline: number,
): Promise<TimelineSlot[]> {
  const { from, to } = args;
  const limit = args.limit ?? TIMELINE_DEFAULT_LIMIT;
  if (limit < 1 || limit > TIMELINE_MAX_LIMIT) {
    throw gatewayError('BAD_USER_INPUT', `Expected "limit" from 1 to ${TIMELINE_MAX_LIMIT}, got ${limit}`, { argument: 'limit' });
  }
  if (to <= from) {
    throw gatewayError('BAD_USER_INPUT', `Expected "to" after "from" (${formatLocalDateTime(from)}), got ${formatLocalDateTime(to)}`, {
      argument: 'to',
    });
  }
  // Items may end after `to` (by up to a day: an entry lasts at most 86,400 s): each must still be a date of years 0000-9999.
  if (to > LAST_TIMELINE_END) {
    throw gatewayError(
      'BAD_USER_INPUT',
      `Expected "to" at most ${formatLocalDateTime(LAST_TIMELINE_END)}, got ${formatLocalDateTime(to)}`,
      {
        argument: 'to',
      },
    );
  }
  const latest = from + TIMELINE_MAX_DAYS * DAY;
  if (to > latest) {
    throw gatewayError(
      'BAD_USER_INPUT',
      `Expected "to" at most ${TIMELINE_MAX_DAYS} days after "from" (by ${formatLocalDateTime(latest)}), got ${formatLocalDateTime(to)}`,
      { argument: 'to' },
    );
  }
  const { entries, playlists } = await loadReachable(viewneo, playlist, true);
  return evaluate(timelineSteps(entries, playlists, playlist.id, { from, to, limit }), deadline);
}

/** The media file a timeline slot shows; null when the entry has none or the file is gone. */
export function slotMediaFile(viewneo: ViewneoSession, slot: TimelineSlot): MaybePromise<MediaFile | null> {
  const id = slot.entry.mediaFileId;
  return id === null ? null : viewneo.mediaFile(id);
}

/**
 * The playlist's own entries scheduled now in `timeZone` (an IANA zone; BAD_USER_INPUT otherwise,
 * before any upstream call), in play order, and the next moment that set changes.
 */
export async function playingNow(viewneo: ViewneoSession, playlist: Playlist, timeZone: string): Promise<PlayingNow> {
  if (!isTimeZone(timeZone)) {
    throw gatewayError(
      'BAD_USER_INPUT',
      `Expected "timeZone" to be an IANA time zone such as "Europe/Berlin" or "UTC", got "${timeZone.slice(0, 64)}"`,
      {
        argument: 'timeZone',
      },
    );
  }
  return playingNowIn(await playlistEntries(viewneo, playlist), Date.now(), timeZone);
}
