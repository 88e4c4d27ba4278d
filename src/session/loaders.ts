import DataLoader from 'dataloader';
import pLimit from 'p-limit';
import type { UpstreamCache } from '../cache/upstream-cache.js';
import type { MediaFile, PhysicalFile, Playlist, PlaylistEntry, Template, Website } from '../domain/model.js';
import type { CallScope, ViewneoClient } from '../viewneo/client.js';
import type { ListPlan } from '../viewneo/requests.js';
import { InFlightReads } from './in-flight.js';
import { ListReader } from './list-reader.js';
import { Memo } from './memo.js';
import { plannedById } from './planner.js';
import { type ItemResource, type ListResource, type Resource, resourceName } from './resources.js';

/**
 * One request's reads of viewneo: each upstream resource is read at most once per request
 * (DataLoader), through the token's cross-request cache. viewneo has no batch endpoint, so
 * every key is its own read, started as soon as it is asked for, at most `concurrency` at a time;
 * by-id reads of a kind viewneo lists are planned against reading its list (planner.ts).
 */
export interface Loaders {
  readonly playlists: DataLoader<'all', Playlist[]>;
  readonly playlist: Memo<Playlist | null>;
  /** null when the playlist does not exist. */
  readonly playlistEntries: Memo<PlaylistEntry[] | null>;
  readonly mediaFiles: DataLoader<'all', MediaFile[]>;
  readonly mediaFile: Memo<MediaFile | null>;
  readonly templates: DataLoader<'all', Template[]>;
  readonly template: Memo<Template | null>;
  readonly website: Memo<Website | null>;
  readonly physicalFile: Memo<PhysicalFile | null>;
  /** The lists the planner chose to read, or used as read ahead, in this request instead of objects one by one (see read-ahead.ts). */
  readonly planned: ReadonlySet<ListResource>;
  /** Starts reading these lists for the planners of their kinds; a failure reaches whoever is answered from them. */
  readAhead(lists: readonly ListResource[]): void;
  /** Tells a list's planner that a write made the list stale: what it read of it (ahead too) is forgotten. */
  listStale(list: ListResource): void;
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
  /** Told how many upstream calls the planner saved (metrics). */
  readonly onSaved?: (calls: number) => void;
  /** Calls the token may still start this minute (its budget); null or absent: no budget is kept. */
  readonly remaining?: () => number | null;
}

/** Creates the per-request loaders for one token. */
export function createLoaders(deps: LoaderDeps): Loaders {
  const { token, tokenHash, client, cache, scope: opts, tokenExpiresAt, onStale } = deps;
  const limit = pLimit(deps.concurrency);
  const planned = new Set<ListResource>();
  const reads = new InFlightReads();
  const cached = <T>(resource: Resource, load: () => Promise<T>): Promise<T> => {
    const name = resourceName(resource);
    // A fresh answer held here waits for no upstream call's slot (the concurrency limit is for those).
    const hit = cache.fresh(tokenHash, name, deps.onRead);
    if (hit !== undefined) return Promise.resolve(hit.value as T);
    return reads.track(
      limit(() =>
        cache.get(tokenHash, name, load, {
          ...(tokenExpiresAt !== null ? { maxTtlMs: tokenExpiresAt - Date.now() } : {}),
          onStale: (ageMs) => onStale(name, ageMs),
          ...(deps.onRead ? { onRead: deps.onRead } : {}),
        }),
      ),
    );
  };

  /** The fresh cached answer for `resource`, counted as a hit (see UpstreamCache.fresh). */
  const fresh = <T>(resource: Resource) => cache.fresh(tokenHash, resourceName(resource), deps.onRead) as { readonly value: T } | undefined;

  // One key per batch: with no batch endpoint, a key waiting for the rest of its batch would
  // hold back everything that depends on it (the next wave of reads) for nothing.
  function byId<T>(kind: ItemResource, load: (id: number) => Promise<T>): Memo<T> {
    const loader = new DataLoader<number, T>(
      // Answered as a value, a failed read stays failed for the rest of the request.
      ([id]) =>
        cached({ kind, id: id! }, () => load(id!)).then(
          (value) => [value],
          (error: Error) => [error],
        ),
      { batch: false },
    );
    return new Memo(loader, (id) => fresh<T>({ kind, id }));
  }

  /**
   * The list reader of a kind viewneo lists and its planned by-id loader (see planner.ts): the
   * list primes the by-id loader, and the by-id loader reads the list when that costs fewer calls.
   */
  function listed<T extends { id: number }>(
    itemKind: Exclude<ItemResource, 'playlistEntries' | 'website' | 'physicalFile'>,
    kind: ListResource,
    readOne: (id: number) => Promise<T | null>,
    read: (plan: ListPlan) => Promise<T[]>,
  ) {
    let one: Memo<T | null> | undefined;
    const reader = new ListReader<T>({
      kind,
      tokenHash,
      cache,
      cached,
      bounded: (load) => reads.track(limit(load)),
      read,
      ...(deps.onRead ? { onRead: deps.onRead } : {}),
      // Objects read in a list need no by-id call later in the same request.
      prime: (items) => {
        for (const item of items) one?.prime(item.id, item);
      },
    });
    const plan = plannedById<T>({
      list: reader,
      own: (id) => fresh<T | null>({ kind: itemKind, id }),
      one: (id) => cached({ kind: itemKind, id }, () => readOne(id)),
      onSaved: (calls) => deps.onSaved?.(calls),
      onListed: () => planned.add(kind),
      ...(deps.remaining ? { remaining: deps.remaining } : {}),
      reads,
    });
    one = new Memo(plan.loader, (id) => plan.free(id));
    return { one, reader };
  }

  const playlists = listed(
    'playlist',
    'playlists',
    (id) => client.getPlaylist(token, id, opts),
    (plan) => client.listPlaylists(token, { ...opts, ...plan }),
  );
  const mediaFiles = listed(
    'mediaFile',
    'mediaFiles',
    (id) => client.getMediaFile(token, id, opts),
    (plan) => client.listMediaFiles(token, { ...opts, ...plan }),
  );
  const templates = listed(
    'template',
    'templates',
    (id) => client.getTemplate(token, id, opts),
    (plan) => client.listTemplates(token, { ...opts, ...plan }),
  );
  const listsOf = { playlists: playlists.reader, mediaFiles: mediaFiles.reader, templates: templates.reader };
  return {
    playlist: playlists.one,
    mediaFile: mediaFiles.one,
    template: templates.one,
    playlists: playlists.reader.loader,
    mediaFiles: mediaFiles.reader.loader,
    templates: templates.reader.loader,
    website: byId('website', (id) => client.getWebsite(token, id, opts)),
    physicalFile: byId('physicalFile', (id) => client.getPhysicalFile(token, id, opts)),
    playlistEntries: byId('playlistEntries', (id) => client.listPlaylistEntries(token, id, opts)),
    planned,
    readAhead(lists) {
      for (const kind of lists) listsOf[kind].readAhead();
    },
    listStale: (list) => listsOf[list].stale(),
  };
}

/** Drops a resource from the request's loaders, so that the next read of it in this request goes to the cache again. */
export function clearLoader(loaders: Loaders, resource: Resource): void {
  if ('id' in resource) loaders[resource.kind].clear(resource.id);
  else {
    loaders[resource.kind].clearAll();
    loaders.listStale(resource.kind);
  }
}
