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

/** Entries visited between two pauses of a computation in steps. */
const VISITS_PER_STEP = 20_000;

/** Where a computation in {@link Steps} lets its caller run other work (and check a deadline) before it goes on. */
export const PAUSE = 'pause';

/**
 * A computation in steps: a generator that yields {@link PAUSE} every so many entry visits and
 * returns its result, so that a caller can spread a long evaluation over several turns of the
 * event loop. {@link complete} runs one at once.
 */
export type Steps<T> = Generator<typeof PAUSE, T, void>;

/** Runs a computation in steps to its end, without pausing. */
export function complete<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Counts visits: throws past MAX_ENTRY_VISITS, and answers true every VISITS_PER_STEP (time to pause). */
function budget(what: string): () => boolean {
  let left = MAX_ENTRY_VISITS;
  return () => {
    // Path-based cycle skipping still lets a playlist that nests B twice, which nests C twice, … grow exponentially.
    if (--left < 0) throw new NestingTooLargeError(what);
    return left % VISITS_PER_STEP === 0;
  };
}

/**
 * Seconds one pass through playlist `id` takes, schedules ignored: a media entry counts its
 * `duration` (a negative one counts 0); a nested-playlist entry counts one pass of that playlist (its own `duration` is
 * ignored), or 0 when that playlist is gone or is already being expanded on the current path.
 */
export function passDuration(entries: EntriesById, id: number): number {
  return complete(passDurationSteps(entries, id));
}

/** {@link passDuration} in steps. */
export function* passDurationSteps(entries: EntriesById, id: number): Steps<number> {
  const visit = budget('totalDuration');
  const path = new Set<number>();
  // An explicit stack rather than recursion: one generator for the whole walk, not one per nested pass.
  const stack: { id: number; list: readonly PlaylistEntry[]; next: number; sum: number }[] = [];
  const enter = (playlistId: number) => {
    const list = entries.get(playlistId);
    if (list === undefined || path.has(playlistId)) return;
    path.add(playlistId);
    stack.push({ id: playlistId, list, next: 0, sum: 0 });
  };
  enter(id);
  let total = 0;
  for (let frame = stack.at(-1); frame !== undefined; frame = stack.at(-1)) {
    const entry = frame.list[frame.next++];
    if (entry === undefined) {
      stack.pop();
      path.delete(frame.id);
      const parent = stack.at(-1);
      if (parent === undefined) total = frame.sum;
      else parent.sum += frame.sum;
      continue;
    }
    if (visit()) yield PAUSE;
    if (entry.nestedPlaylistId === null) frame.sum += Math.max(0, entry.duration);
    else enter(entry.nestedPlaylistId);
  }
  return total;
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
  window: TimelineWindow,
): TimelineSlot[] {
  return complete(timelineSteps(entries, playlists, rootId, window));
}

/** {@link expandTimeline} in steps. */
export function* timelineSteps(
  entries: EntriesById,
  playlists: ReadonlyMap<number, Playlist>,
  rootId: number,
  { from, to, limit }: TimelineWindow,
): Steps<TimelineSlot[]> {
  const visit = budget('the timeline');
  const slots: TimelineSlot[] = [];
  const path = new Set<number>();
  const stack: { list: readonly PlaylistEntry[]; playlist: Playlist; next: number }[] = [];
  let cursor = from;
  const full = () => cursor >= to || slots.length >= limit;
  const enter = (playlistId: number) => {
    const list = entries.get(playlistId);
    const playlist = playlists.get(playlistId);
    if (list === undefined || playlist === undefined || path.has(playlistId)) return;
    path.add(playlistId);
    stack.push({ list, playlist, next: 0 });
  };

  while (!full()) {
    const before = slots.length;
    // One pass through the root, nested passes on an explicit stack (one generator, not one per pass).
    enter(rootId);
    for (let frame = stack.at(-1); frame !== undefined; frame = stack.at(-1)) {
      const entry = full() ? undefined : frame.list[frame.next++];
      if (entry === undefined) {
        stack.pop();
        path.delete(frame.playlist.id);
        continue;
      }
      if (visit()) yield PAUSE;
      if (!isScheduledAt(entry, cursor)) continue;
      if (entry.nestedPlaylistId !== null) enter(entry.nestedPlaylistId);
      else if (entry.duration > 0) {
        slots.push({ start: cursor, end: cursor + entry.duration, entry, playlist: frame.playlist });
        cursor += entry.duration;
      }
    }
    if (slots.length === before) break;
  }
  return slots;
}
