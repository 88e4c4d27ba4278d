import type { MediaFile, PhysicalFile, Playlist, PlaylistEntry, Template, Website } from '../domain/model.js';
import { gatewayError } from '../errors.js';
import type {
  ContentInput,
  EntryWrite,
  FolderInput,
  MediaFileChange,
  PlaylistInput,
  TemplateInput,
  UploadInput,
  WebsiteChange,
  WebsiteInput,
} from '../viewneo/inputs.js';
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
  /** The uploaded file behind a PHYSICAL_FILE media file, by its attachable id. */
  physicalFile(id: number): Promise<PhysicalFile | null>;
  createPlaylist(input: PlaylistInput): Promise<Playlist>;
  updatePlaylist(id: number, input: PlaylistInput, guard?: WriteGuard): Promise<Playlist>;
  addPlaylistEntry(playlistId: number, entry: EntryWrite): Promise<PlaylistEntry>;
  updatePlaylistEntry(playlistId: number, entryId: number, entry: EntryWrite, guard?: WriteGuard): Promise<PlaylistEntry>;
  removePlaylistEntry(playlistId: number, entryId: number): Promise<void>;
  /** Writes these entries' indexes (one call each, in order), then drops the playlist's cached entries once. */
  reindexPlaylistEntries(playlistId: number, writes: readonly { id: number; index: number }[]): Promise<void>;
  createFolder(input: FolderInput): Promise<MediaFile>;
  updateMediaFile(id: number, change: MediaFileChange, guard?: WriteGuard): Promise<MediaFile>;
  deleteMediaFile(id: number): Promise<void>;
  updateTemplate(id: number, input: TemplateInput): Promise<Template>;
  deleteTemplate(id: number): Promise<void>;
  updateWebsite(id: number, change: WebsiteChange): Promise<Website>;
  deletePlaylist(id: number): Promise<void>;
  createWebsite(input: WebsiteInput): Promise<MediaFile>;
  uploadMediaFile(input: UploadInput): Promise<MediaFile>;
  createTemplate(input: TemplateInput): Promise<Template>;
  createContentFromTemplate(input: ContentInput): Promise<MediaFile>;
}

/**
 * A precondition of a write: with `ifUnmodifiedSince` (the `updatedAt` the editor saw), the
 * object is read afresh first, and when viewneo says it changed after that instant the write is
 * refused with CONFLICT (its `extensions.updatedAt` says when) and nothing is written.
 */
export interface WriteGuard {
  readonly ifUnmodifiedSince?: string | null;
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

  /**
   * Applies a {@link WriteGuard}: drops the cached copy (the check needs viewneo's current one),
   * reads it, and refuses when it changed after `ifUnmodifiedSince`. viewneo has no conditional
   * writes, so a change in the instant between this read and the write is not seen.
   */
  async function unmodified(
    guard: WriteGuard | undefined,
    stale: Resource,
    read: () => Promise<{ readonly updatedAt: string | null } | null>,
    what: string,
  ): Promise<void> {
    const since = guard?.ifUnmodifiedSince;
    if (since == null) return;
    await forget([stale]);
    const current = await read();
    if (current === null) throw gatewayError('NOT_FOUND', `viewneo has no ${what} for this token`);
    if (current.updatedAt !== null && Date.parse(current.updatedAt) > Date.parse(since)) {
      throw gatewayError(
        'CONFLICT',
        `Expected ${what} unchanged since ${since}, got a change at ${current.updatedAt}: nothing was written`,
        {
          updatedAt: current.updatedAt,
        },
      );
    }
  }

  const entriesWritten = (playlistId: number) => forget([{ kind: 'playlistEntries', id: playlistId }]);
  const mediaFileWritten = async (file: MediaFile): Promise<MediaFile> => {
    await forget([{ kind: 'mediaFiles' }, { kind: 'mediaFile', id: file.id }]);
    loaders().mediaFile.prime(file.id, file);
    return file;
  };

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
    physicalFile: (id) => loaders().physicalFile.load(id),
    createPlaylist: async (input) => playlistWritten(await client.createPlaylist(token, input, scope)),
    async updatePlaylist(id, input, guard) {
      await unmodified(guard, { kind: 'playlist', id }, () => loaders().playlist.load(id), `playlist ${id}`);
      return playlistWritten(await client.updatePlaylist(token, id, input, scope));
    },
    async addPlaylistEntry(playlistId, entry) {
      const added = await client.createPlaylistEntry(token, playlistId, entry, scope);
      await entriesWritten(playlistId);
      return added;
    },
    async updatePlaylistEntry(playlistId, entryId, entry, guard) {
      const current = async () => (await loaders().playlistEntries.load(playlistId))?.find((e) => e.id === entryId) ?? null;
      await unmodified(guard, { kind: 'playlistEntries', id: playlistId }, current, `entry ${entryId} of playlist ${playlistId}`);
      const updated = await client.updatePlaylistEntry(token, playlistId, entryId, entry, scope);
      await entriesWritten(playlistId);
      return updated;
    },
    async removePlaylistEntry(playlistId, entryId) {
      await client.deletePlaylistEntry(token, playlistId, entryId, scope);
      await entriesWritten(playlistId);
    },
    async reindexPlaylistEntries(playlistId, writes) {
      try {
        for (const { id, index } of writes) await client.updatePlaylistEntry(token, playlistId, id, { index }, scope);
      } finally {
        // Also after a failure part of the way: the writes that went through changed the entries.
        await entriesWritten(playlistId);
      }
    },
    createFolder: async (input) => mediaFileWritten(await client.createFolder(token, input, scope)),
    async updateMediaFile(id, change, guard) {
      await unmodified(guard, { kind: 'mediaFile', id }, () => loaders().mediaFile.load(id), `media file ${id}`);
      return mediaFileWritten(await client.updateMediaFile(token, id, change, scope));
    },
    async deleteMediaFile(id) {
      await client.deleteMediaFile(token, id, scope);
      // Entries that showed it (or what a deleted folder held) may be gone too: viewneo's cascade is not documented.
      await forget([{ kind: 'mediaFiles' }, { kind: 'mediaFile', id }]);
    },
    async deletePlaylist(id) {
      await client.deletePlaylist(token, id, scope);
      await forget([{ kind: 'playlists' }, { kind: 'playlist', id }, { kind: 'playlistEntries', id }]);
    },
    createWebsite: async (input) => mediaFileCreated(await client.createWebsite(token, input, scope)),
    uploadMediaFile: async (input) => mediaFileCreated(await client.uploadMediaFile(token, input, scope)),
    createContentFromTemplate: async (input) => mediaFileCreated(await client.createContentFromTemplate(token, input, scope)),
    async updateTemplate(id, input) {
      const updated = await client.updateTemplate(token, id, input, scope);
      await forget([{ kind: 'templates' }, { kind: 'template', id }]);
      loaders().template.prime(id, updated);
      return updated;
    },
    async deleteTemplate(id) {
      await client.deleteTemplate(token, id, scope);
      // Its TEMPLATE media file may go with it: viewneo's cascade is not documented.
      await forget([{ kind: 'templates' }, { kind: 'template', id }, { kind: 'mediaFiles' }]);
    },
    async updateWebsite(id, change) {
      const updated = await client.updateWebsite(token, id, change, scope);
      await forget([{ kind: 'website', id }]);
      loaders().website.prime(id, updated);
      return updated;
    },
    async createTemplate(input) {
      const created = await client.createTemplate(token, input, scope);
      await forget([{ kind: 'templates' }]);
      loaders().template.prime(created.id, created);
      return created;
    },
  };
};
