import type { MediaFile, PlaylistEntry } from './model.js';

/**
 * The media files a delete may have taken with it in viewneo: these ids, or `'unknown'` when the
 * gateway cannot tell which (then any media file may be gone).
 */
export type GoneMedia = ReadonlySet<number> | 'unknown';

/**
 * What deleting media file `id` takes with it: the file and, for a folder, everything below it.
 * `files` is the token's media list when known (it says what lies below); without it, `file` (the
 * object itself when known; null: viewneo has none) tells a file that is no folder, which takes
 * nothing else with it. Anything else is unknown.
 */
export function goneWithMediaFile(id: number, files: readonly MediaFile[] | undefined, file: MediaFile | null | undefined): GoneMedia {
  if (files === undefined) return file === null || (file !== undefined && file.kind !== 'DIRECTORY') ? new Set([id]) : 'unknown';
  const children = new Map<number, number[]>();
  for (const f of files) {
    if (f.parentDirectoryId !== null) children.set(f.parentDirectoryId, [...(children.get(f.parentDirectoryId) ?? []), f.id]);
  }
  const gone = new Set<number>();
  // A cycle in the data ends the walk.
  for (const queue = [id]; queue.length > 0; ) {
    const at = queue.pop()!;
    if (gone.has(at)) continue;
    gone.add(at);
    queue.push(...(children.get(at) ?? []));
  }
  return gone;
}

/**
 * What deleting template `id` may take with it, viewneo's cascade being undocumented: its TEMPLATE
 * media files (whose attachable id is the template) and every CONTENT media file, since which
 * template content was made from is not in viewneo's model (a CONTENT item's attachable id names
 * the content). `files` is the token's media list; without it, unknown.
 */
export function goneWithTemplate(id: number, files: readonly MediaFile[] | undefined): GoneMedia {
  if (files === undefined) return 'unknown';
  return new Set(files.filter((f) => (f.kind === 'TEMPLATE' && f.attachableId === id) || f.kind === 'CONTENT').map((f) => f.id));
}

/** Whether a playlist's entries (null: no such playlist) show one of the gone media files. */
export function showsGone(entries: readonly PlaylistEntry[] | null, gone: GoneMedia): boolean {
  return entries?.some((e) => e.mediaFileId !== null && (gone === 'unknown' || gone.has(e.mediaFileId))) ?? false;
}
