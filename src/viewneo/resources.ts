/**
 * Names of cached upstream resources: the second half of every cache key, and what a
 * write lists to invalidate.
 */
export const resources = {
  playlists: 'playlists',
  playlist: (id: number) => `playlist:${id}`,
  playlistEntries: (playlistId: number) => `playlist:${playlistId}:entries`,
  mediaFiles: 'mediafiles',
  mediaFile: (id: number) => `mediafile:${id}`,
  templates: 'templates',
  template: (id: number) => `template:${id}`,
  website: (id: number) => `website:${id}`,
} as const;
