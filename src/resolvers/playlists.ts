import type { MediaFile, Playlist, PlaylistEntry } from '../domain/model.js';
import { type Order, searchAndSort } from '../domain/ordering.js';
import { inPlayOrder } from '../domain/schedule.js';
import { gatewayError } from '../errors.js';
import { requireName } from '../input.js';
import { after, type MaybePromise } from '../session/memo.js';
import type { ViewneoSession } from '../session/session.js';
import type { PlaylistInput } from '../viewneo/inputs.js';

const MAX_COMMENT = 10_000;

/** The caller's playlists, searched and ordered in the gateway from the cached list. */
export async function listPlaylists(
  viewneo: ViewneoSession,
  args: { search?: string | null; orderBy?: Order | null },
): Promise<Playlist[]> {
  return searchAndSort(await viewneo.playlists(), args.search, args.orderBy);
}

/** The playlist's entries ordered by `index` (then id, so equal indexes keep a stable order). */
export function playlistEntries(viewneo: ViewneoSession, playlist: Playlist): MaybePromise<readonly PlaylistEntry[]> {
  return after(viewneo.playlistEntries(playlist.id), (entries) => inPlayOrder(entries ?? []));
}

/** One entry of a playlist; null when the playlist or the entry is gone. */
export async function playlistEntry(viewneo: ViewneoSession, playlistId: number, entryId: number): Promise<PlaylistEntry | null> {
  const entries = await viewneo.playlistEntries(playlistId);
  return entries?.find((entry) => entry.id === entryId) ?? null;
}

/** What an entry shows: a media file or a nested playlist; null when that object is gone. */
export function entryContent(viewneo: ViewneoSession, entry: PlaylistEntry): MaybePromise<MediaFile | Playlist | null> {
  if (entry.mediaFileId !== null) return viewneo.mediaFile(entry.mediaFileId);
  if (entry.nestedPlaylistId !== null) return viewneo.playlist(entry.nestedPlaylistId);
  return null;
}

/** Checks playlist input before it costs an upstream call; trims the name. */
function validInput(input: { name?: string | null; comment?: string | null }, creating: boolean): PlaylistInput {
  const out: { name?: string; comment?: string | null } = {};
  if (input.name != null || creating) {
    out.name = requireName(input.name ?? '', 'input.name');
  }
  if (input.comment !== undefined) {
    if (input.comment !== null && input.comment.length > MAX_COMMENT) {
      throw gatewayError('BAD_USER_INPUT', `Expected "comment" to be at most ${MAX_COMMENT} characters, got ${input.comment.length}`, {
        argument: 'input.comment',
      });
    }
    out.comment = input.comment;
  }
  if (!creating && Object.keys(out).length === 0) {
    throw gatewayError('BAD_USER_INPUT', 'Expected "input" to set at least one of name, comment', { argument: 'input' });
  }
  return out;
}

/** Creates a playlist. */
export function createPlaylist(viewneo: ViewneoSession, input: { name: string; comment?: string | null }): Promise<Playlist> {
  return viewneo.createPlaylist(validInput(input, true));
}

/** Updates a playlist's name or comment; with `ifUnmodifiedSince`, only if nobody changed it since. */
export function updatePlaylist(
  viewneo: ViewneoSession,
  id: number,
  input: { name?: string | null; comment?: string | null },
  ifUnmodifiedSince?: string | null,
): Promise<Playlist> {
  return viewneo.updatePlaylist(id, validInput(input, false), { ifUnmodifiedSince });
}
