/** The lists a token's cache holds, one per kind: the whole list of the kind. */
export type ListResource = 'playlists' | 'mediaFiles' | 'templates';
/** The kinds of by-id reads a token's cache holds. */
export type ItemResource = 'playlist' | 'playlistEntries' | 'mediaFile' | 'template' | 'website' | 'physicalFile';

/** One cached upstream read of a token: a whole list, or one object (or a playlist's entries) by id. */
export type Resource = { readonly kind: ListResource } | { readonly kind: ItemResource; readonly id: number };

const LIST_NAMES: Record<ListResource, string> = { playlists: 'playlists', mediaFiles: 'mediafiles', templates: 'templates' };
const ITEM_NAMES: Record<ItemResource, (id: number) => string> = {
  playlist: (id) => `playlist:${id}`,
  playlistEntries: (id) => `playlist:${id}:entries`,
  mediaFile: (id) => `mediafile:${id}`,
  template: (id) => `template:${id}`,
  website: (id) => `website:${id}`,
  physicalFile: (id) => `physicalfile:${id}`,
};

/** The name of a resource in cache keys (`<token hash>:<name>`) and in invalidation messages. */
export function resourceName(resource: Resource): string {
  return 'id' in resource ? ITEM_NAMES[resource.kind](resource.id) : LIST_NAMES[resource.kind];
}

const ENTRIES_NAME = /^playlist:(\d+):entries$/;

/** The playlist whose entries the resource named `name` is (see {@link resourceName}); undefined for any other resource. */
export function entriesPlaylistId(name: string): number | undefined {
  const match = ENTRIES_NAME.exec(name);
  return match ? Number(match[1]) : undefined;
}
