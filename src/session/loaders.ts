import DataLoader from 'dataloader';
import pLimit from 'p-limit';
import type { MediaFile, Playlist, PlaylistEntry, Template, Website } from '../domain/model.js';
import type { CallScope, ViewneoClient } from '../viewneo/client.js';
import { type ItemResource, type ListResource, type Resource, resourceName } from './resources.js';
import type { UpstreamCache } from './upstream-cache.js';

/**
 * One request's reads of viewneo: each upstream resource is read at most once per request
 * (DataLoader), through the token's cross-request cache. viewneo has no batch endpoint, so
 * every key is its own read, started as soon as it is asked for, at most `concurrency` at a time.
 */
export interface Loaders {
  readonly playlists: DataLoader<'all', Playlist[]>;
  readonly playlist: DataLoader<number, Playlist | null>;
  /** null when the playlist does not exist. */
  readonly playlistEntries: DataLoader<number, PlaylistEntry[] | null>;
  readonly mediaFiles: DataLoader<'all', MediaFile[]>;
  readonly mediaFile: DataLoader<number, MediaFile | null>;
  readonly templates: DataLoader<'all', Template[]>;
  readonly template: DataLoader<number, Template | null>;
  readonly website: DataLoader<number, Website | null>;
}

/** What {@link createLoaders} reads through. */
export interface LoaderDeps {
  readonly token: string;
  readonly tokenHash: string;
  readonly client: ViewneoClient;
  readonly cache: UpstreamCache;
  readonly concurrency: number;
  /** Deadline, request id and trace context of the GraphQL request. */
  readonly scope: CallScope;
  /** Epoch ms at which the token expires, when known: no cache entry outlives it. */
  readonly tokenExpiresAt: number | null;
  /** Told about every read answered from a stale entry because viewneo failed. */
  readonly onStale: (resource: string, ageMs: number) => void;
  /** Told the expiry (cache clock) of every fresh read. */
  readonly onRead?: (expiresAt: number) => void;
}

/** Creates the per-request loaders for one token. */
export function createLoaders(deps: LoaderDeps): Loaders {
  const { token, tokenHash, client, cache, scope: opts, tokenExpiresAt, onStale } = deps;
  const limit = pLimit(deps.concurrency);
  const cached = <T>(resource: Resource, load: () => Promise<T>) => {
    const name = resourceName(resource);
    return limit(() =>
      cache.get(tokenHash, name, load, {
        ...(tokenExpiresAt !== null ? { maxTtlMs: tokenExpiresAt - Date.now() } : {}),
        onStale: (ageMs) => onStale(name, ageMs),
        ...(deps.onRead ? { onRead: deps.onRead } : {}),
      }),
    );
  };

  // One key per batch: with no batch endpoint, a key waiting for the rest of its batch would
  // hold back everything that depends on it (the next wave of reads) for nothing.
  function byId<T>(kind: ItemResource, load: (id: number) => Promise<T>) {
    return new DataLoader<number, T>(
      // Answered as a value, a failed read stays failed for the rest of the request.
      ([id]) =>
        cached({ kind, id: id! }, () => load(id!)).then(
          (value) => [value],
          (error: Error) => [error],
        ),
      { batch: false },
    );
  }

  function all<T extends { id: number }>(kind: ListResource, load: () => Promise<T[]>, prime: DataLoader<number, T | null>) {
    return new DataLoader<'all', T[]>(async (keys) => {
      const items = await cached({ kind }, load);
      // Objects read in a list need no by-id call later in the same request.
      for (const item of items) prime.prime(item.id, item);
      return keys.map(() => items);
    });
  }

  const playlist = byId('playlist', (id) => client.getPlaylist(token, id, opts));
  const mediaFile = byId('mediaFile', (id) => client.getMediaFile(token, id, opts));
  const template = byId('template', (id) => client.getTemplate(token, id, opts));
  return {
    playlist,
    mediaFile,
    template,
    playlists: all('playlists', () => client.listPlaylists(token, opts), playlist),
    mediaFiles: all('mediaFiles', () => client.listMediaFiles(token, opts), mediaFile),
    templates: all('templates', () => client.listTemplates(token, opts), template),
    website: byId('website', (id) => client.getWebsite(token, id, opts)),
    playlistEntries: byId('playlistEntries', (id) => client.listPlaylistEntries(token, id, opts)),
  };
}

/** Drops a resource from the request's loaders, so that the next read of it in this request goes to the cache again. */
export function clearLoader(loaders: Loaders, resource: Resource): void {
  if ('id' in resource) loaders[resource.kind].clear(resource.id);
  else loaders[resource.kind].clearAll();
}
