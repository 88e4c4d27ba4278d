import DataLoader from 'dataloader';
import pLimit from 'p-limit';
import type { MediaFile, PhysicalFile, Playlist, PlaylistEntry, Template, Website } from '../domain/model.js';
import { gatewayError } from '../errors.js';
import type { CallScope, ViewneoClient } from '../viewneo/client.js';
import type { ListPlan } from '../viewneo/requests.js';
import { plannedById } from './planner.js';
import { type ItemResource, type ListResource, type Resource, resourceName } from './resources.js';
import type { UpstreamCache } from './upstream-cache.js';

/**
 * One request's reads of viewneo: each upstream resource is read at most once per request
 * (DataLoader), through the token's cross-request cache. viewneo has no batch endpoint, so
 * every key is its own read, started as soon as it is asked for, at most `concurrency` at a time;
 * by-id reads of a kind viewneo lists are planned against reading its list (planner.ts).
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
  readonly physicalFile: DataLoader<number, PhysicalFile | null>;
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
}

/** Creates the per-request loaders for one token. */
export function createLoaders(deps: LoaderDeps): Loaders {
  const { token, tokenHash, client, cache, scope: opts, tokenExpiresAt, onStale } = deps;
  const limit = pLimit(deps.concurrency);
  const planned = new Set<ListResource>();
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

  /**
   * The list loader of a kind viewneo lists and its planned by-id loader (see planner.ts): the
   * list primes the by-id loader, and the by-id loader reads the list when that costs fewer calls.
   */
  function listed<T extends { id: number }>(
    itemKind: Exclude<ItemResource, 'playlistEntries' | 'website' | 'physicalFile'>,
    listKind: ListResource,
    readOne: (id: number) => Promise<T | null>,
    readList: (plan: ListPlan) => Promise<T[]>,
  ) {
    const listName = resourceName({ kind: listKind });
    const onPages = (pages: number, numbered: boolean) => cache.setPages(tokenHash, listName, pages, numbered);
    let one: DataLoader<number, T | null> | undefined;
    /** The list's first page as a probe reads it, with the (one) read of the rest when the probe stopped there. */
    const firstPage = async (plan: ListPlan) => {
      let readRest: (() => Promise<unknown[] | null>) | null = null;
      const items = await readList({
        ...plan,
        onPages,
        onStopped: (read) => {
          readRest = read;
        },
      });
      let whole: Promise<unknown[] | null> | undefined;
      const restOnce = () => {
        whole ??= readRest!();
        return whole;
      };
      return { items, complete: readRest === null, rest: restOnce };
    };
    // The rest of a list whose first page a probe read: the list loader goes on from there.
    let rest: (() => Promise<unknown[] | null>) | null = null;
    const probeKey = `${listName}:first-page`;
    type FirstPage = Awaited<ReturnType<typeof firstPage>>;
    /** The whole list, going on from a first page already read (`probing`, or this request's probe) rather than reading it again. */
    const readWhole = async (probing: FirstPage | undefined): Promise<T[]> => {
      if (probing?.complete) return probing.items;
      const readRest = probing?.rest ?? rest;
      rest = null;
      if (readRest === null) {
        const expectedPages = cache.numberedPages(tokenHash, listName);
        return readList({ onPages, ...(expectedPages === undefined ? {} : { expectedPages }) });
      }
      const items = await readRest();
      if (items === null) throw gatewayError('UPSTREAM_ERROR', `viewneo answered no object for the rest of the ${listKind} list`);
      return items as T[];
    };
    const prime = (items: readonly T[]) => {
      // Objects read in a list need no by-id call later in the same request.
      for (const item of items) one?.prime(item.id, item);
    };
    const readWholeList = async (): Promise<T[]> => {
      // A first page another request of the token is reading now; awaited before taking a slot of this request's limit.
      const probing = await cache.inFlight<FirstPage>(tokenHash, probeKey)?.catch(() => undefined);
      return cached({ kind: listKind }, () => readWhole(probing));
    };
    // Read ahead, it answers the planner rather than priming the by-id loader: the planner is
    // what judges whether it was worth its calls, and so whether the next run reads it ahead.
    let ahead: Promise<T[]> | null = null;
    let writes = 0;
    const list = new DataLoader<'all', T[]>(async (keys) => {
      const items = await (ahead ?? readWholeList());
      prime(items);
      return keys.map(() => items);
    });
    one = plannedById<T>({
      isCached: (id) => cache.peek(tokenHash, resourceName({ kind: itemKind, id })) !== undefined,
      cachedList: () => {
        const hit = cache.peek(tokenHash, listName);
        if (hit === undefined) return undefined;
        deps.onRead?.(hit.expiresAt);
        return hit.value as T[];
      },
      pages: () => cache.pages(tokenHash, listName),
      one: (id) => cached({ kind: itemKind, id }, () => readOne(id)),
      list: () => {
        planned.add(listKind);
        return list.load('all');
      },
      probe: async (plan) => {
        // Concurrent requests of the token share one first page (and the read of the rest).
        const probed = await cache.coalesce(tokenHash, probeKey, () => limit(() => firstPage(plan)));
        const { items, complete } = probed;
        if (!complete) rest = probed.rest;
        if (complete) {
          // The whole list after all: kept, as the list loader would have.
          await cached({ kind: listKind }, async () => items);
          list.prime('all', items);
          prime(items);
        }
        return { items, complete };
      },
      onSaved: (calls) => deps.onSaved?.(calls),
      ahead: () => ahead,
      listWrites: () => writes,
      onAheadWorthIt: () => planned.add(listKind),
    });
    const readAhead = () => {
      ahead ??= readWholeList();
      ahead.catch(() => undefined);
    };
    return {
      one,
      list,
      readAhead,
      stale: () => {
        writes++;
        ahead = null;
      },
    };
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
  const listsOf = { playlists, mediaFiles, templates };
  return {
    playlist: playlists.one,
    mediaFile: mediaFiles.one,
    template: templates.one,
    playlists: playlists.list,
    mediaFiles: mediaFiles.list,
    templates: templates.list,
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
