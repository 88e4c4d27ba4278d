import type { Playlist, PlaylistEntry, PlayRule } from '../domain/model.js';
import { reaches } from '../domain/nesting.js';
import { newestUpdate } from '../domain/newest-update.js';
import { planReorder } from '../domain/reorder.js';
import { inPlayOrder } from '../domain/schedule.js';
import type { Weekday } from '../domain/weekdays.js';
import { gatewayError } from '../errors.js';
import type { ViewneoSession } from '../session/session.js';
import type { EntryWrite, ScheduleWrite } from '../viewneo/inputs.js';

/** `ScheduleInput` as the schema delivers it. */
export interface ScheduleArgs {
  readonly playRule: PlayRule;
  readonly startDate?: string | null;
  readonly endDate?: string | null;
  readonly startTime?: string | null;
  readonly endTime?: string | null;
  readonly weekdays?: readonly Weekday[] | null;
  readonly removeAfterEndDate?: boolean | null;
}

/** The fields `updatePlaylistEntry` may change. */
export interface EntryChangeArgs {
  readonly duration?: number | null;
  readonly soundPlayed?: boolean | null;
  readonly schedule?: ScheduleArgs | null;
}

/** `AddPlaylistEntryInput` as the schema delivers it (ids already parsed). */
export interface AddEntryArgs extends EntryChangeArgs {
  readonly mediaFileId?: number | null;
  readonly nestedPlaylistId?: number | null;
  readonly index?: number | null;
}

/** A playlist entry named by its global id. */
export interface EntryRef {
  readonly playlistId: number;
  readonly entryId: number;
}

/** Seconds a media entry shows its file when `duration` is not given. */
const DEFAULT_DURATION = 10;
const MAX_DURATION = 86_400;
const MAX_INDEX = 1_000_000;

const bad = (argument: string, message: string) => gatewayError('BAD_USER_INPUT', message, { argument });

function realDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** `HH:MM[:SS]` as viewneo's `HH:MM:SS`, or BAD_USER_INPUT naming `argument`. */
function clock(text: string, argument: string): string {
  const m = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3] ?? 0) > 59) {
    throw bad(argument, `Expected "${argument}" to be a time of day "HH:MM:SS" from 00:00:00 to 23:59:59, got "${text.slice(0, 20)}"`);
  }
  return `${m[1]}:${m[2]}:${m[3] ?? '00'}`;
}

/**
 * Checks a schedule before any upstream call: dates, times, weekdays and `removeAfterEndDate`
 * only with SCHEDULE; real calendar dates with `startDate` not after `endDate`;
 * `removeAfterEndDate` only with an `endDate`. BAD_USER_INPUT names the field otherwise.
 */
export function validSchedule(schedule: ScheduleArgs, at = 'input.schedule'): ScheduleWrite {
  const { playRule } = schedule;
  const given = (['startDate', 'endDate', 'startTime', 'endTime', 'weekdays', 'removeAfterEndDate'] as const).filter(
    (field) => schedule[field] != null && !(field === 'removeAfterEndDate' && schedule[field] === false),
  );
  if (playRule !== 'SCHEDULE' && given.length > 0) {
    throw bad(`${at}.${given[0]}`, `Expected "${at}.${given[0]}" only with playRule SCHEDULE, got playRule ${playRule}`);
  }
  for (const field of ['startDate', 'endDate'] as const) {
    const value = schedule[field];
    if (value != null && !realDate(value))
      throw bad(`${at}.${field}`, `Expected "${at}.${field}" to be a real calendar date, got "${value}"`);
  }
  const { startDate = null, endDate = null } = schedule;
  if (startDate !== null && endDate !== null && startDate > endDate) {
    throw bad(`${at}.endDate`, `Expected "${at}.endDate" not before startDate ${startDate}, got ${endDate}`);
  }
  if (schedule.removeAfterEndDate && endDate === null) {
    throw bad(`${at}.removeAfterEndDate`, `Expected "${at}.removeAfterEndDate" only with an endDate, got none`);
  }
  return {
    playRule,
    startDate,
    endDate,
    startTime: schedule.startTime == null ? null : clock(schedule.startTime, `${at}.startTime`),
    endTime: schedule.endTime == null ? null : clock(schedule.endTime, `${at}.endTime`),
    weekdays: [...new Set(schedule.weekdays ?? [])],
    removeAfterEndDate: schedule.removeAfterEndDate ?? false,
  };
}

/** `duration` and `soundPlayed`, checked. */
function validChange(input: EntryChangeArgs): EntryWrite {
  const { duration, soundPlayed } = input;
  if (duration != null && (duration < 0 || duration > MAX_DURATION)) {
    throw bad('input.duration', `Expected "input.duration" to be 0 to ${MAX_DURATION} seconds, got ${duration}`);
  }
  return {
    ...(duration != null ? { duration } : {}),
    ...(soundPlayed != null ? { soundPlayed } : {}),
    ...(input.schedule != null ? { schedule: validSchedule(input.schedule) } : {}),
  };
}

/** The entries of a playlist that must exist; NOT_FOUND otherwise. */
async function entriesOf(viewneo: ViewneoSession, playlistId: number): Promise<PlaylistEntry[]> {
  const entries = await viewneo.playlistEntries(playlistId);
  if (entries === null) throw gatewayError('NOT_FOUND', `viewneo has no playlist ${playlistId} for this token`);
  return entries;
}

/** Refuses nesting `nested` in `target` when `nested` reaches `target`: a player would loop forever. */
async function checkNoCycle(viewneo: ViewneoSession, target: number, nested: number): Promise<void> {
  const nestedOf = new Map<number, number[]>();
  let level = [nested];
  while (level.length > 0) {
    const read = await Promise.all(level.map(async (id) => [id, (await viewneo.playlistEntries(id)) ?? []] as const));
    level = [];
    for (const [id, entries] of read) {
      const children = entries.flatMap((e) => (e.nestedPlaylistId === null ? [] : [e.nestedPlaylistId]));
      nestedOf.set(id, children);
      level.push(...children.filter((child) => !nestedOf.has(child) && !level.includes(child)));
    }
  }
  if (reaches(nested, target, nestedOf)) {
    throw bad(
      'input.nestedPlaylistId',
      `Expected "input.nestedPlaylistId" to name a playlist that does not contain playlist ${target}, got playlist ${nested}, which would make it play itself forever`,
    );
  }
}

/**
 * Adds a media file or a nested playlist to a playlist: exactly one of the two; `index` defaults
 * to the end, `duration` to 10 s for a media file (a nested playlist plays one pass of itself),
 * no schedule means ALWAYS. Everything is checked before the write.
 */
export async function addPlaylistEntry(viewneo: ViewneoSession, playlistId: number, input: AddEntryArgs): Promise<PlaylistEntry> {
  const { mediaFileId, nestedPlaylistId, index } = input;
  if ((mediaFileId == null) === (nestedPlaylistId == null)) {
    throw bad('input', 'Expected "input" to set exactly one of mediaFileId, nestedPlaylistId');
  }
  if (index != null && (index < 0 || index > MAX_INDEX))
    throw bad('input.index', `Expected "input.index" to be 0 to ${MAX_INDEX}, got ${index}`);
  const change = validChange(input);
  const entries = await entriesOf(viewneo, playlistId);
  if (mediaFileId != null) {
    const file = await viewneo.mediaFile(mediaFileId);
    if (file === null || file.kind === 'DIRECTORY') {
      throw bad(
        'input.mediaFileId',
        `Expected "input.mediaFileId" to name a media file that is not a folder, got ${file ? 'a folder' : `no media file ${mediaFileId}`}`,
      );
    }
  } else {
    if ((await viewneo.playlist(nestedPlaylistId!)) === null) {
      throw bad('input.nestedPlaylistId', `Expected "input.nestedPlaylistId" to name one of your playlists, got ${nestedPlaylistId}`);
    }
    await checkNoCycle(viewneo, playlistId, nestedPlaylistId!);
  }
  return viewneo.addPlaylistEntry(playlistId, {
    ...(mediaFileId != null ? { mediaFileId, duration: DEFAULT_DURATION } : { nestedPlaylistId: nestedPlaylistId!, duration: 0 }),
    index: index ?? entries.reduce((end, e) => Math.max(end, e.index + 1), 0),
    soundPlayed: false,
    schedule: validSchedule({ playRule: 'ALWAYS' }),
    ...change,
  });
}

/** Changes an entry's duration, sound or schedule; with `ifUnmodifiedSince`, only if nobody changed it since. */
export async function updatePlaylistEntry(
  viewneo: ViewneoSession,
  entry: EntryRef,
  input: EntryChangeArgs,
  ifUnmodifiedSince: string | null | undefined,
): Promise<PlaylistEntry> {
  const change = validChange(input);
  if (Object.keys(change).length === 0) throw bad('input', 'Expected "input" to set at least one of duration, soundPlayed, schedule');
  const current = (await entriesOf(viewneo, entry.playlistId)).find((e) => e.id === entry.entryId);
  if (current === undefined) throw gatewayError('NOT_FOUND', `viewneo has no entry ${entry.entryId} in playlist ${entry.playlistId}`);
  return viewneo.updatePlaylistEntry(entry.playlistId, entry.entryId, change, { ifUnmodifiedSince });
}

/**
 * Puts a playlist's entries in the order of `entryIds`, which must name each of its entries
 * exactly once, writing only the entries whose index must change (see planReorder); answers the
 * playlist. With `ifUnmodifiedSince` (the newest `updatedAt` among the entries the editor saw),
 * the entries are read from viewneo first: CONFLICT, and nothing written, when one changed after
 * it, or when `entryIds` are not the playlist's entries any more (another editor added or removed one).
 */
export async function reorderPlaylistEntries(
  viewneo: ViewneoSession,
  playlistId: number,
  entryIds: readonly EntryRef[],
  ifUnmodifiedSince: string | null | undefined,
): Promise<Playlist> {
  const foreign = entryIds.find((ref) => ref.playlistId !== playlistId);
  if (foreign)
    throw bad('entryIds', `Expected "entryIds" to name entries of playlist ${playlistId}, got one of playlist ${foreign.playlistId}`);
  const entries = await viewneo.unmodifiedPlaylistEntries(playlistId, { ifUnmodifiedSince });
  if (entries === null) throw gatewayError('NOT_FOUND', `viewneo has no playlist ${playlistId} for this token`);
  const byId = new Map(entries.map((e) => [e.id, e]));
  const wanted = entryIds.map((ref) => byId.get(ref.entryId));
  const unique = new Set(entryIds.map((ref) => ref.entryId));
  if (wanted.includes(undefined) || unique.size !== entryIds.length || unique.size !== entries.length) {
    const problem = `each of the playlist's ${entries.length} entries exactly once, got ${entryIds.length} ids (${unique.size} distinct, ${wanted.filter(Boolean).length} of this playlist)`;
    if (ifUnmodifiedSince != null && unique.size === entryIds.length) {
      throw gatewayError('CONFLICT', `Expected "entryIds" to name ${problem}: another editor changed the entries, nothing was written`, {
        updatedAt: newestUpdate(entries),
      });
    }
    throw bad('entryIds', `Expected "entryIds" to name ${problem}`);
  }
  const ordered = wanted as PlaylistEntry[];
  // Nothing to write (and nothing goes stale) when they already play in this order.
  if (!inPlayOrder(ordered).every((e, i) => e === ordered[i])) await viewneo.reindexPlaylistEntries(playlistId, planReorder(ordered));
  const playlist = await viewneo.playlist(playlistId);
  if (playlist === null) throw gatewayError('NOT_FOUND', `viewneo has no playlist ${playlistId} for this token`);
  return playlist;
}
