import { type GoneMedia, goneWithMediaFile, goneWithTemplate, showsGone } from '../domain/cascade.js';
import type { MediaFile, PhysicalFile, Playlist, PlaylistEntry, Template, Website } from '../domain/model.js';
import { newestUpdate } from '../domain/newest-update.js';
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
import type { MaybePromise } from './memo.js';
import { entriesPlaylistId, type ListResource, type Resource, resourceName } from './resources.js';

/**
 * One GraphQL request's view of viewneo for one token: everything resolvers read and write.
 * Reads are de-duplicated within the request and cached across requests of the same token
 * (never another's); a write drops exactly the caller's cached reads it makes stale, here and
 * (with Redis) on the other replicas, before it resolves, and later reads in the same request
 * see the written object. A read by id answers a plain value, not a promise, when the request
 * has it already or the token's cache holds it fresh (see memo.ts).
 */
export interface ViewneoSession {
  playlists(): Promise<Playlist[]>;
  /** null when viewneo has no such playlist for this token. */
  playlist(id: number): MaybePromise<Playlist | null>;
  /** The entries of a playlist in viewneo's order; null when the playlist does not exist. */
  playlistEntries(playlistId: number): MaybePromise<PlaylistEntry[] | null>;
  mediaFiles(): Promise<MediaFile[]>;
  mediaFile(id: number): MaybePromise<MediaFile | null>;
  templates(): Promise<Template[]>;
  template(id: number): MaybePromise<Template | null>;
  website(id: number): MaybePromise<Website | null>;
  /** The uploaded file behind a PHYSICAL_FILE media file, by its attachable id. */
  physicalFile(id: number): MaybePromise<PhysicalFile | null>;
  createPlaylist(input: PlaylistInput): Promise<Playlist>;
  updatePlaylist(id: number, input: PlaylistInput, guard?: WriteGuard): Promise<Playlist>;
  addPlaylistEntry(playlistId: number, entry: EntryWrite): Promise<PlaylistEntry>;
  updatePlaylistEntry(playlistId: number, entryId: number, entry: EntryWrite, guard?: WriteGuard): Promise<PlaylistEntry>;
  removePlaylistEntry(playlistId: number, entryId: number): Promise<void>;
  /**
   * The entries of a playlist for a write that must not go over a change the editor has not
   * seen: with `guard.ifUnmodifiedSince`, read from viewneo itself (never a cache) and refused
   * with CONFLICT (stale copies dropped) when one of them changed after that instant, NOT_FOUND
   * when the playlist is gone; without it, as `playlistEntries`.
   */
  unmodifiedPlaylistEntries(playlistId: number, guard: WriteGuard): Promise<PlaylistEntry[] | null>;
  /** Writes these entries' indexes (one call each, in order), then drops the playlist's cached entries once. */
  reindexPlaylistEntries(playlistId: number, writes: readonly { id: number; index: number }[]): Promise<void>;
  createFolder(input: FolderInput): Promise<MediaFile>;
  updateMediaFile(id: number, change: MediaFileChange, guard?: WriteGuard): Promise<MediaFile>;
  /**
   * Deletes a media file (a folder with everything below it) and drops, with the media list and
   * the objects that went, every cached entries list of the token that showed one of them, here
   * and on the other replicas.
   */
  deleteMediaFile(id: number): Promise<void>;
  updateTemplate(id: number, input: TemplateInput, guard?: WriteGuard): Promise<Template>;
  /**
   * Deletes a template and drops what its delete may take with it (viewneo's cascade is not
   * documented): the media list, its TEMPLATE media files and CONTENT, and the cached entries
   * lists of the token that showed one of them.
   */
  deleteTemplate(id: number): Promise<void>;
  updateWebsite(id: number, change: WebsiteChange): Promise<Website>;
  deletePlaylist(id: number): Promise<void>;
  createWebsite(input: WebsiteInput): Promise<MediaFile>;
  uploadMediaFile(input: UploadInput): Promise<MediaFile>;
  createTemplate(input: TemplateInput): Promise<Template>;
  createContentFromTemplate(input: ContentInput): Promise<MediaFile>;
  /**
   * Starts reading these lists now, ahead of the resolvers that will want them (see
   * read-ahead.ts); a failure reaches whoever reads the list, and nobody when nobody does.
   */
  readAhead(lists: readonly ListResource[]): void;
  /** The lists the planner chose to read in this request (what the next run may read ahead). */
  plannedLists(): ListResource[];
}

/**
 * A precondition of a write: with `ifUnmodifiedSince` (the `updatedAt` the editor saw), the
 * object is read from viewneo first (bypassing every cache), and when viewneo says it changed after that instant the write is
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
   * Applies a {@link WriteGuard}: reads the object from viewneo itself (never from a cached
   * object, a cached list or the planner: "unmodified since" is viewneo's to say), and refuses
   * when it changed after `ifUnmodifiedSince`, dropping the stale copies so that the editor's
   * next read shows the other change. viewneo has no conditional writes, so a change in the
   * instant between this read and the write is not seen.
   */
  async function unmodified(
    guard: WriteGuard | undefined,
    stale: readonly Resource[],
    read: () => Promise<{ readonly updatedAt: string | null } | null>,
    what: string,
  ): Promise<void> {
    const since = guard?.ifUnmodifiedSince;
    if (since == null) return;
    const current = await read();
    if (current === null) {
      await forget(stale);
      throw gatewayError('NOT_FOUND', `viewneo has no ${what} for this token`);
    }
    if (current.updatedAt !== null && Date.parse(current.updatedAt) > Date.parse(since)) {
      await forget(stale);
      throw gatewayError(
        'CONFLICT',
        `Expected ${what} unchanged since ${since}, got a change at ${current.updatedAt}: nothing was written`,
        {
          updatedAt: current.updatedAt,
        },
      );
    }
  }

  /**
   * Runs a write, then drops `stale` (and, once it succeeded, `staleOf` what it wrote) whatever its
   * outcome: an answer that broke off, or came too late, may belong to a write viewneo applied.
   */
  async function writing<T>(
    stale: readonly Resource[],
    write: () => Promise<T>,
    staleOf?: (written: T) => readonly Resource[],
  ): Promise<T> {
    let written: { value: T } | undefined;
    try {
      written = { value: await write() };
      return written.value;
    } finally {
      await forget(written && staleOf ? [...stale, ...staleOf(written.value)] : stale);
    }
  }

  /**
   * The token's cached entries lists that may show one of `gone`, wherever they are cached. The
   * candidates are the lists this replica holds or is loading and, when replicas share Redis (the
   * others may hold lists this one never read), those of every playlist in the token's list
   * (read through the cache). A candidate whose answer is known (here, else in Redis) is stale
   * when it shows one of `gone`; one whose answer is not known (being loaded, or held by no level
   * this replica can read) may be held by another replica, and is stale too. Never throws:
   * without the playlist list, the lists this replica holds are all it can sweep.
   *
   * Swept once, at delete time, and dropped by name through `forget` (fences, resends and the
   * re-subscription's flush apply as to any write), rather than a per-token tombstone of deleted
   * ids that every replica checks each cached list against when it is read: that would put a check
   * on every read of a list, state on every replica and in Redis, and need to tell a list cached
   * before the delete from one read after it.
   */
  async function entriesShowing(gone: GoneMedia): Promise<Resource[]> {
    const playlists = cache.replicated ? loaders().playlists.load('all') : Promise.resolve([]);
    const ids = new Set([...cache.held(tokenHash, entriesPlaylistId), ...(await playlists.catch(() => [])).map((p) => p.id)]);
    const names = new Map([...ids].map((id) => [resourceName({ kind: 'playlistEntries', id }), id]));
    const known = await cache.known(tokenHash, [...names.keys()]);
    return [...names]
      .filter(([name]) => !known.has(name) || showsGone(known.get(name) as PlaylistEntry[] | null, gone))
      .flatMap(([, id]) => entries(id));
  }

  /**
   * Runs a delete that may take media files with it in viewneo (`gone`; viewneo removes the
   * entries that showed them), then drops `stale`, the gone media files and the entries lists that
   * showed them ({@link entriesShowing}), whatever the delete's outcome (as {@link writing}).
   */
  async function deleting(stale: readonly Resource[], gone: GoneMedia, write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } finally {
      const files: Resource[] = gone === 'unknown' ? [] : [...gone].map((id) => ({ kind: 'mediaFile', id }));
      await forget([...stale, ...files, ...(await entriesShowing(gone))]);
    }
  }

  /** The token's cached answer for `resource` where this replica can see it (here, else in Redis; never upstream), or undefined. */
  async function known<T>(resource: Resource): Promise<T | undefined> {
    const name = resourceName(resource);
    return (await cache.known(tokenHash, [name])).get(name) as T | undefined;
  }

  const entries = (id: number): Resource[] => [{ kind: 'playlistEntries', id }];
  const playlist = (id: number): Resource[] => [{ kind: 'playlists' }, { kind: 'playlist', id }];
  const mediaFile = (id: number): Resource[] => [{ kind: 'mediaFiles' }, { kind: 'mediaFile', id }];
  const template = (id: number): Resource[] => [{ kind: 'templates' }, { kind: 'template', id }];
  const primePlaylist = (written: Playlist): Playlist => {
    loaders().playlist.prime(written.id, written);
    return written;
  };
  const primeMediaFile = (written: MediaFile): MediaFile => {
    loaders().mediaFile.prime(written.id, written);
    return written;
  };
  // Folder listings are read from the one media list.
  const mediaFileCreated = async (write: () => Promise<MediaFile>) =>
    primeMediaFile(await writing([{ kind: 'mediaFiles' }], write, (file) => [{ kind: 'mediaFile', id: file.id }]));

  return {
    playlists: () => loaders().playlists.load('all'),
    playlist: (id) => loaders().playlist.get(id),
    playlistEntries: (playlistId) => loaders().playlistEntries.get(playlistId),
    mediaFiles: () => loaders().mediaFiles.load('all'),
    mediaFile: (id) => loaders().mediaFile.get(id),
    templates: () => loaders().templates.load('all'),
    template: (id) => loaders().template.get(id),
    website: (id) => loaders().website.get(id),
    physicalFile: (id) => loaders().physicalFile.get(id),
    createPlaylist: async (input) =>
      primePlaylist(
        await writing(
          [{ kind: 'playlists' }],
          () => client.createPlaylist(token, input, scope),
          (p) => playlist(p.id),
        ),
      ),
    async updatePlaylist(id, input, guard) {
      await unmodified(guard, playlist(id), () => client.getPlaylist(token, id, scope), `playlist ${id}`);
      return primePlaylist(await writing(playlist(id), () => client.updatePlaylist(token, id, input, scope)));
    },
    addPlaylistEntry: (playlistId, entry) =>
      writing(entries(playlistId), () => client.createPlaylistEntry(token, playlistId, entry, scope)),
    async updatePlaylistEntry(playlistId, entryId, entry, guard) {
      const current = async () => (await client.listPlaylistEntries(token, playlistId, scope))?.find((e) => e.id === entryId) ?? null;
      await unmodified(guard, entries(playlistId), current, `entry ${entryId} of playlist ${playlistId}`);
      return writing(entries(playlistId), () => client.updatePlaylistEntry(token, playlistId, entryId, entry, scope));
    },
    removePlaylistEntry: (playlistId, entryId) =>
      writing(entries(playlistId), () => client.deletePlaylistEntry(token, playlistId, entryId, scope)),
    async unmodifiedPlaylistEntries(playlistId, guard) {
      if (guard.ifUnmodifiedSince == null) return loaders().playlistEntries.load(playlistId);
      let fresh: PlaylistEntry[] | null = null;
      const read = async () => {
        fresh = await client.listPlaylistEntries(token, playlistId, scope);
        return fresh && { updatedAt: newestUpdate(fresh) };
      };
      await unmodified(guard, entries(playlistId), read, `the entries of playlist ${playlistId}`);
      return fresh;
    },
    reindexPlaylistEntries: (playlistId, writes) =>
      // Dropped once after all of them, also after a failure part of the way.
      writing(entries(playlistId), async () => {
        for (const { id, index } of writes) await client.updatePlaylistEntry(token, playlistId, id, { index }, scope);
      }),
    createFolder: (input) => mediaFileCreated(() => client.createFolder(token, input, scope)),
    async updateMediaFile(id, change, guard) {
      await unmodified(guard, mediaFile(id), () => client.getMediaFile(token, id, scope), `media file ${id}`);
      return primeMediaFile(await writing(mediaFile(id), () => client.updateMediaFile(token, id, change, scope)));
    },
    async deleteMediaFile(id) {
      const [files, file] = await Promise.all([
        known<MediaFile[]>({ kind: 'mediaFiles' }),
        known<MediaFile | null>({ kind: 'mediaFile', id }),
      ]);
      await deleting(mediaFile(id), goneWithMediaFile(id, files, file), () => client.deleteMediaFile(token, id, scope));
    },
    deletePlaylist: (id) => writing([...playlist(id), ...entries(id)], () => client.deletePlaylist(token, id, scope)),
    createWebsite: (input) => mediaFileCreated(() => client.createWebsite(token, input, scope)),
    uploadMediaFile: (input) => mediaFileCreated(() => client.uploadMediaFile(token, input, scope)),
    createContentFromTemplate: (input) => mediaFileCreated(() => client.createContentFromTemplate(token, input, scope)),
    async updateTemplate(id, input, guard) {
      await unmodified(guard, template(id), () => client.getTemplate(token, id, scope), `template ${id}`);
      const updated = await writing(template(id), () => client.updateTemplate(token, id, input, scope));
      loaders().template.prime(id, updated);
      return updated;
    },
    async deleteTemplate(id) {
      const gone = goneWithTemplate(id, await known<MediaFile[]>({ kind: 'mediaFiles' }));
      await deleting([...template(id), { kind: 'mediaFiles' }], gone, () => client.deleteTemplate(token, id, scope));
    },
    async updateWebsite(id, change) {
      const updated = await writing([{ kind: 'website', id }], () => client.updateWebsite(token, id, change, scope));
      loaders().website.prime(id, updated);
      return updated;
    },
    async createTemplate(input) {
      const created = await writing([{ kind: 'templates' }], () => client.createTemplate(token, input, scope));
      loaders().template.prime(created.id, created);
      return created;
    },
    readAhead: (lists) => {
      if (lists.length > 0) loaders().readAhead(lists);
    },
    plannedLists: () => (made ? [...made.planned] : []),
  };
};
