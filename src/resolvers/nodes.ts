import type { Context } from '../context.js';
import { gatewayError } from '../errors.js';
import type { PlaylistEntry } from '../viewneo/types.js';

/** The local id of a playlist entry's global id: `playlistId:entryId` (viewneo reads entries per playlist). */
export function entryLocalId(entry: PlaylistEntry): string {
  return `${entry.playlistId}:${entry.id}`;
}

/** Loads a playlist entry by the local id made by {@link entryLocalId}; null when gone. */
export async function entryByLocalId(ctx: Context, localId: string): Promise<PlaylistEntry | null> {
  const match = /^(\d+):(\d+)$/.exec(localId);
  if (!match) throw gatewayError('BAD_USER_INPUT', `Expected a PlaylistEntry global id, got local id "${localId}"`);
  const entries = await ctx.loaders.playlistEntries.load(Number(match[1]));
  return entries?.find((entry) => entry.id === Number(match[2])) ?? null;
}

/** Parses the numeric local id of a Playlist, MediaFile or Template global id. */
export function numericLocalId(localId: string): number {
  const id = Number(localId);
  if (!/^\d+$/.test(localId) || !Number.isSafeInteger(id)) {
    throw gatewayError('BAD_USER_INPUT', `Expected a numeric local id, got "${localId}"`);
  }
  return id;
}
