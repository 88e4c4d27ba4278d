// viewneo's JSON as the hand-written peers (rest-floor, apollo) read it, and the GraphQL values
// the gateway derives from it, so that all peers answer the same.

/** A playlist as viewneo sends it (the fields the benchmark queries read). */
export interface RawPlaylist {
  readonly id: number;
  readonly name: string;
}

/** A playlist entry as viewneo sends it. */
export interface RawEntry {
  readonly id: number;
  readonly index: number;
  readonly duration: number;
  readonly playlist_id: number;
  readonly media_file_id: number | null;
  readonly playlist_id_as_nested_playlist: number | null;
}

/** A media file as viewneo sends it. */
export interface RawMediaFile {
  readonly id: number;
  readonly name: string;
  readonly attachable_type: string | null;
}

/** Relay global id, as the gateway makes it: base64 of `Type:localId`. */
export function globalId(typename: string, localId: string | number): string {
  return Buffer.from(`${typename}:${localId}`, 'utf8').toString('base64');
}

/** The gateway's global id of an entry (its local id is `playlistId:entryId`). */
export function entryGlobalId(entry: RawEntry): string {
  return globalId('PlaylistEntry', `${entry.playlist_id}:${entry.id}`);
}

/** Entries in play order: `index`, then id. */
export function playOrder(entries: readonly RawEntry[]): RawEntry[] {
  return [...entries].sort((a, b) => a.index - b.index || a.id - b.id);
}

const KINDS: Record<string, string> = { Website: 'WEBSITE', Template: 'TEMPLATE', Content: 'CONTENT', PhysicalFile: 'PHYSICAL_FILE' };

/** The `MediaFileKind` of a media file (null `attachable_type` is a folder). */
export function mediaKind(file: RawMediaFile): string {
  if (file.attachable_type === null) return 'DIRECTORY';
  const kind = KINDS[file.attachable_type.split('\\').pop() ?? ''];
  if (kind === undefined) throw new Error(`unknown attachable_type ${file.attachable_type}`);
  return kind;
}

/** The bearer token of an `Authorization` header, or '' (viewneo then answers 401). */
export function bearerToken(header: string | undefined): string {
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1] ?? '';
}
