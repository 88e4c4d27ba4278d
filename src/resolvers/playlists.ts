import type { DefaultConnectionArguments } from '@pothos/plugin-relay';
import type { Context } from '../context.js';
import { gatewayError } from '../errors.js';
import { requireName } from '../input.js';
import { resources } from '../viewneo/resources.js';
import type { MediaFile, Playlist, PlaylistEntry, PlaylistInput } from '../viewneo/types.js';
import { arrayConnection } from './connection.js';
import { type Order, searchAndSort } from './ordering.js';
import { inPlayOrder } from './schedule.js';

const MAX_COMMENT = 10_000;

/** A page of the caller's playlists, searched and ordered in the gateway from the cached list. */
export function listPlaylists(ctx: Context, args: DefaultConnectionArguments & { search?: string | null; orderBy?: Order | null }) {
  return arrayConnection(args, async () => searchAndSort(await ctx.loaders.playlists.load('all'), args.search, args.orderBy));
}

/** One playlist of the caller; null when viewneo has none with that id. */
export function playlistById(ctx: Context, id: number): Promise<Playlist | null> {
  return ctx.loaders.playlist.load(id);
}

/** The playlist's entries ordered by `index` (then id, so equal indexes keep a stable order). */
export async function playlistEntries(ctx: Context, playlist: Playlist): Promise<PlaylistEntry[]> {
  return inPlayOrder((await ctx.loaders.playlistEntries.load(playlist.id)) ?? []);
}

/** What an entry shows: a media file or a nested playlist; null when that object is gone. */
export async function entryContent(ctx: Context, entry: PlaylistEntry): Promise<MediaFile | Playlist | null> {
  if (entry.mediaFileId !== null) return ctx.loaders.mediaFile.load(entry.mediaFileId);
  if (entry.nestedPlaylistId !== null) return ctx.loaders.playlist.load(entry.nestedPlaylistId);
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

async function forget(ctx: Context, id: number | null, extra: string[] = []): Promise<void> {
  const stale = [resources.playlists, ...extra];
  if (id !== null) stale.push(resources.playlist(id));
  await ctx.invalidate(stale);
  ctx.loaders.playlists.clearAll();
  if (id !== null) ctx.loaders.playlist.clear(id);
}

/** Creates a playlist and drops the caller's cached playlist list. */
export async function createPlaylist(ctx: Context, input: { name: string; comment?: string | null }): Promise<Playlist> {
  const created = await ctx.client.createPlaylist(ctx.requireToken(), validInput(input, true), ctx.scope);
  await forget(ctx, created.id);
  ctx.loaders.playlist.prime(created.id, created);
  return created;
}

/** Updates a playlist and drops the caller's cached copies of it. */
export async function updatePlaylist(
  ctx: Context,
  id: number,
  input: { name?: string | null; comment?: string | null },
): Promise<Playlist> {
  const updated = await ctx.client.updatePlaylist(ctx.requireToken(), id, validInput(input, false), ctx.scope);
  await forget(ctx, id);
  ctx.loaders.playlist.prime(id, updated);
  return updated;
}

/** Deletes a playlist and drops the caller's cached copies of it and of its entries. */
export async function deletePlaylist(ctx: Context, id: number): Promise<number> {
  await ctx.client.deletePlaylist(ctx.requireToken(), id, ctx.scope);
  await forget(ctx, id, [resources.playlistEntries(id)]);
  ctx.loaders.playlistEntries.clear(id);
  return id;
}
