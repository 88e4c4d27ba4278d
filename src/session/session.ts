import type { MediaFile, Playlist, PlaylistEntry, Template, Website } from '../domain/model.js';
import type { ContentInput, PlaylistInput, TemplateInput, UploadInput, WebsiteInput } from '../viewneo/inputs.js';
import { clearLoader, createLoaders, type LoaderDeps, type Loaders } from './loaders.js';
import { type Resource, resourceName } from './resources.js';

/**
 * One GraphQL request's view of viewneo for one token: everything resolvers read and write.
 * Reads are de-duplicated within the request and cached across requests of the same token
 * (never another's); a write drops exactly the caller's cached reads it makes stale, here and
 * (with Redis) on the other replicas, before it resolves, and later reads in the same request
 * see the written object.
 */
export interface ViewneoSession {
  playlists(): Promise<Playlist[]>;
  /** null when viewneo has no such playlist for this token. */
  playlist(id: number): Promise<Playlist | null>;
  /** The entries of a playlist in viewneo's order; null when the playlist does not exist. */
  playlistEntries(playlistId: number): Promise<PlaylistEntry[] | null>;
  mediaFiles(): Promise<MediaFile[]>;
  mediaFile(id: number): Promise<MediaFile | null>;
  templates(): Promise<Template[]>;
  template(id: number): Promise<Template | null>;
  website(id: number): Promise<Website | null>;
  createPlaylist(input: PlaylistInput): Promise<Playlist>;
  updatePlaylist(id: number, input: PlaylistInput): Promise<Playlist>;
  deletePlaylist(id: number): Promise<void>;
  createWebsite(input: WebsiteInput): Promise<MediaFile>;
  uploadMediaFile(input: UploadInput): Promise<MediaFile>;
  createTemplate(input: TemplateInput): Promise<Template>;
  createContentFromTemplate(input: ContentInput): Promise<MediaFile>;
}

/** What a session is made of: the request's token, scope and reporting hooks, and the gateway's client and cache. */
export type SessionDeps = LoaderDeps;

/** Opens a request's session; production uses {@link createSession}. */
export type OpenSession = (deps: SessionDeps) => ViewneoSession;

/** The session that reads through per-request loaders and the token's cross-request cache. */
export const createSession: OpenSession = (deps) => {
  const { client, token, tokenHash, cache, scope } = deps;
  // Most requests that carry a token read something, but not all (`{ __typename }`): build on first use.
  let made: Loaders | undefined;
  const loaders = (): Loaders => {
    made ??= createLoaders(deps);
    return made;
  };

  /** Drops what a write made stale: from the token's cache (every replica) and from this request's loaders. */
  async function forget(stale: readonly Resource[]): Promise<void> {
    await cache.invalidate(tokenHash, stale.map(resourceName));
    if (made) for (const resource of stale) clearLoader(made, resource);
  }

  const playlistWritten = async (playlist: Playlist): Promise<Playlist> => {
    await forget([{ kind: 'playlists' }, { kind: 'playlist', id: playlist.id }]);
    loaders().playlist.prime(playlist.id, playlist);
    return playlist;
  };
  // Folder listings are read from the one media list.
  const mediaFileCreated = async (file: MediaFile): Promise<MediaFile> => {
    await forget([{ kind: 'mediaFiles' }]);
    loaders().mediaFile.prime(file.id, file);
    return file;
  };

  return {
    playlists: () => loaders().playlists.load('all'),
    playlist: (id) => loaders().playlist.load(id),
    playlistEntries: (playlistId) => loaders().playlistEntries.load(playlistId),
    mediaFiles: () => loaders().mediaFiles.load('all'),
    mediaFile: (id) => loaders().mediaFile.load(id),
    templates: () => loaders().templates.load('all'),
    template: (id) => loaders().template.load(id),
    website: (id) => loaders().website.load(id),
    createPlaylist: async (input) => playlistWritten(await client.createPlaylist(token, input, scope)),
    updatePlaylist: async (id, input) => playlistWritten(await client.updatePlaylist(token, id, input, scope)),
    async deletePlaylist(id) {
      await client.deletePlaylist(token, id, scope);
      await forget([{ kind: 'playlists' }, { kind: 'playlist', id }, { kind: 'playlistEntries', id }]);
    },
    createWebsite: async (input) => mediaFileCreated(await client.createWebsite(token, input, scope)),
    uploadMediaFile: async (input) => mediaFileCreated(await client.uploadMediaFile(token, input, scope)),
    createContentFromTemplate: async (input) => mediaFileCreated(await client.createContentFromTemplate(token, input, scope)),
    async createTemplate(input) {
      const created = await client.createTemplate(token, input, scope);
      await forget([{ kind: 'templates' }]);
      loaders().template.prime(created.id, created);
      return created;
    },
  };
};
