import type { Playlist, PlaylistEntry } from './model.js';
import { isScheduledAt, type LocalSeconds } from './schedule.js';

/** Entries, in play order, of every playlist reachable from one playlist; a missing id is a playlist that is gone. */
export type EntriesById = ReadonlyMap<number, readonly PlaylistEntry[]>;

/** One media slot of a timeline: `entry` of `playlist` shows from `start` to `end`. */
export interface TimelineSlot {
  readonly start: LocalSeconds;
  readonly end: LocalSeconds;
  readonly entry: PlaylistEntry;
  readonly playlist: Playlist;
}

/** The bounds of a timeline, already validated: `from` < `to`, `limit` ≥ 1. */
export interface TimelineWindow {
  readonly from: LocalSeconds;
  readonly to: LocalSeconds;
  readonly limit: number;
}

/** Entries one evaluation may look at; only nesting the same playlists many times over gets near it. */
const MAX_ENTRY_VISITS = 5_000_000;

/** Thrown when playlists nest each other so many times over that an evaluation would visit more than MAX_ENTRY_VISITS entries. */
export class NestingTooLargeError extends Error {
  constructor(what: string) {
    super(`Expected ${what} to need at most ${MAX_ENTRY_VISITS} entry visits, got more: the playlists nest each other too many times over`);
    this.name = 'NestingTooLargeError';
  }
}

function budget(what: string): () => void {
  let left = MAX_ENTRY_VISITS;
  return () => {
    // Path-based cycle skipping still lets a playlist that nests B twice, which nests C twice, … grow exponentially.
    if (--left < 0) throw new NestingTooLargeError(what);
  };
}

/**
 * Seconds one pass through playlist `id` takes, schedules ignored: a media entry counts its
 * `duration` (a negative one counts 0); a nested-playlist entry counts one pass of that playlist (its own `duration` is
 * ignored), or 0 when that playlist is gone or is already being expanded on the current path.
 */
export function passDuration(entries: EntriesById, id: number): number {
  const visit = budget('totalDuration');
  const path = new Set<number>();
  const walk = (playlistId: number): number => {
    const list = entries.get(playlistId);
    if (list === undefined || path.has(playlistId)) return 0;
    path.add(playlistId);
    let sum = 0;
    for (const entry of list) {
      visit();
      sum += entry.nestedPlaylistId === null ? Math.max(0, entry.duration) : walk(entry.nestedPlaylistId);
    }
    path.delete(playlistId);
    return sum;
  };
  return walk(id);
}

/**
 * The media slots shown from `from` on, looping playlist `rootId` with nested playlists expanded
 * in place. Each entry is checked with {@link isScheduledAt} at the moment it would start; a nested
 * entry that is scheduled then plays one whole pass of its playlist. Skipped: unscheduled entries,
 * media entries with duration ≤ 0, nested playlists that are gone (missing from `entries` or
 * `playlists`) or already being expanded on the current path. Slots start before `to` (the last may
 * end after it); at most `limit`; a pass that yields no slot ends the timeline.
 */
export function expandTimeline(
  entries: EntriesById,
  playlists: ReadonlyMap<number, Playlist>,
  rootId: number,
  { from, to, limit }: TimelineWindow,
): TimelineSlot[] {
  const visit = budget('the timeline');
  const slots: TimelineSlot[] = [];
  const path = new Set<number>();
  let cursor = from;
  const full = () => cursor >= to || slots.length >= limit;

  const pass = (playlistId: number): void => {
    const list = entries.get(playlistId);
    const playlist = playlists.get(playlistId);
    if (list === undefined || playlist === undefined || path.has(playlistId)) return;
    path.add(playlistId);
    for (const entry of list) {
      if (full()) break;
      visit();
      if (!isScheduledAt(entry, cursor)) continue;
      if (entry.nestedPlaylistId !== null) {
        pass(entry.nestedPlaylistId);
      } else if (entry.duration > 0) {
        slots.push({ start: cursor, end: cursor + entry.duration, entry, playlist });
        cursor += entry.duration;
      }
    }
    path.delete(playlistId);
  };

  while (!full()) {
    const before = slots.length;
    pass(rootId);
    if (slots.length === before) break;
  }
  return slots;
}
