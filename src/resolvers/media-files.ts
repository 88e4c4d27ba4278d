import type { DefaultConnectionArguments } from '@pothos/plugin-relay';
import type { Context } from '../context.js';
import type { MediaFile } from '../viewneo/types.js';
import { arrayConnection } from './connection.js';

/** A page of the caller's media library (all folders, flattened). */
export function listMediaFiles(ctx: Context, args: DefaultConnectionArguments) {
  return arrayConnection(args, () => ctx.loaders.mediaFiles.load('all'));
}

/** One media file of the caller; null when viewneo has none with that id. */
export function mediaFileById(ctx: Context, id: number): Promise<MediaFile | null> {
  return ctx.loaders.mediaFile.load(id);
}

/** The folder a media file is in; null at the top level. */
export function mediaFileParent(ctx: Context, file: MediaFile): Promise<MediaFile | null> {
  return file.parentDirectoryId === null ? Promise.resolve(null) : ctx.loaders.mediaFile.load(file.parentDirectoryId);
}
