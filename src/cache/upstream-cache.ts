import { LRUCache } from 'lru-cache';
import { isUpstreamFailure } from '../errors.js';

/** The key of one token's resource in every cache level: `<token hash>:<resource>`. */
export function cacheKey(tokenHash: string, resource: string): string {
  return `${tokenHash}:${resource}`;
}

/**
 * What a {@link SharedCache} answers for a key: the answer and its remaining lifetime, or a
 * miss with the `fence` that a {@link SharedCache.write} of the loaded answer must present
 * (null: do not write).
 */
export type SharedRead =
  | { readonly hit: true; readonly value: unknown; readonly ttlMs: number }
  | { readonly hit: false; readonly fence: string | null };

/** What other replicas' invalidations are applied to: this replica's own (first) cache level. */
export interface LocalCacheLevel {
  /** Forgets these resources of one token, as a local write would. */
  forget(tokenHash: string, resources: readonly string[]): void;
  /** Forgets everything (invalidations may have been missed). */
  forgetAll(): void;
}

/**
 * A second cache level shared by replicas (Redis: src/redis/shared-cache.ts), behind the
 * in-process one. Its failures are misses, never errors.
 */
export interface SharedCache {
  read(key: string): Promise<SharedRead>;
  /** Stores a loaded answer for `ttlMs`, unless the key was invalidated since the read that gave `fence`. */
  write(key: string, value: unknown, ttlMs: number, fence: string): Promise<void>;
  /** The answers the shared level holds for these keys; a key it does not hold is left out, and every key when it fails. */
  peek(keys: readonly string[]): Promise<ReadonlyMap<string, unknown>>;
  /** Drops these resources of one token from the shared level and from every other replica's first level. */
  invalidate(tokenHash: string, resources: readonly string[]): Promise<void>;
  /** Applies the other replicas' invalidations to `local` from now on. */
  follow(local: LocalCacheLevel): void;
}

/** Settings of the cross-request cache. */
export interface UpstreamCacheOptions {
  /** Lifetime of an entry; 0 turns the cache off (every read goes upstream). */
  readonly ttlMs: number;
  readonly maxEntries: number;
  /** Bound of the total size of cached answers, measured as their JSON length. */
  readonly maxBytes?: number;
  /** Lifetime of a cached 404 (an answer of `null`); capped at `ttlMs`. */
  readonly notFoundTtlMs?: number;
  /** How long past its lifetime an entry may stand in for a read that failed upstream; 0: never. */
  readonly staleIfErrorMs?: number;
  /** Clock for TTLs; tests pass a fake one. */
  readonly now?: () => number;
  /** Told about hits, misses, stale answers and evictions (metrics); `shared_hit`: a miss the shared level answered. */
  readonly observe?: (event: 'hit' | 'shared_hit' | 'miss' | 'stale' | 'eviction') => void;
  /** The level behind this one, shared with other replicas; none: in-process only. */
  readonly shared?: SharedCache;
  /** Told about every invalidation of a token's resources, this replica's and (through `shared`) the others'. */
  readonly onForget?: (tokenHash: string, resources: readonly string[]) => void;
}

/** Per-read options of {@link UpstreamCache.get}. */
export interface CacheReadOptions {
  /** Upper bound of the entry's lifetime, e.g. until the token expires. */
  readonly maxTtlMs?: number;
  /** Called when a stale entry is served because the upstream read failed. */
  readonly onStale?: (ageMs: number) => void;
  /** Called with the expiry (cache clock) of every fresh answer, cached or just loaded. */
  readonly onRead?: (expiresAt: number) => void;
}

// lru-cache values must be non-nullish, and a 404 is cached as `null`: box every value.
type Box = { readonly value: unknown; readonly expiresAt: number; readonly shared?: true };
type Load = () => Promise<unknown>;

/** lru-cache aborts an in-flight fetch with these when its key is deleted or replaced. */
const ABORTS = new Set(['deleted', 'evicted', 'replaced']);
const aborted = (error: unknown) => error instanceof Error && ABORTS.has(error.message);

/**
 * Upstream answers shared across requests of the same token: keyed by (token hash,
 * resource), bounded in count and age. Concurrent reads of one key share one upstream
 * call (lru-cache's `fetch`). Failed loads are not cached; when viewneo fails, an entry
 * that expired less than `staleIfErrorMs` ago is served instead (stale-if-error, from this
 * level only). With a `shared` level, a miss here reads it before going upstream, a loaded
 * answer is written to both, and invalidations reach every replica.
 */
export class UpstreamCache {
  private readonly lru: LRUCache<string, Box, Load> | null;
  private readonly notFoundTtlMs: number;
  private readonly staleIfErrorMs: number;
  private readonly now: () => number;
  private readonly observe: NonNullable<UpstreamCacheOptions['observe']>;
  // Bumped by every invalidation of a token, so results built from older reads can tell.
  private readonly generations = new LRUCache<string, number>({ max: 100_000 });
  // Added to every token's generation: bumped when the whole cache is forgotten.
  private epoch = 0;
  private readonly shared: SharedCache | undefined;
  private readonly onForget: UpstreamCacheOptions['onForget'];
  // How many pages each token's lists had when last read: what the planner weighs by-id reads against.
  private readonly listPages = new LRUCache<string, { pages: number; numbered: boolean }>({ max: 100_000, ttl: 10 * 60_000 });
  private readonly inflight = new Map<string, Promise<unknown>>();
  // Keys whose answer is being loaded now (their fetch is under way), with how many loads each.
  private readonly loading = new Map<string, number>();

  constructor(options: UpstreamCacheOptions) {
    this.notFoundTtlMs = Math.min(options.notFoundTtlMs ?? 2_000, options.ttlMs);
    this.staleIfErrorMs = options.staleIfErrorMs ?? 0;
    this.now = options.now ?? (() => performance.now());
    this.observe = options.observe ?? (() => {});
    this.shared = options.shared;
    this.onForget = options.onForget;
    this.lru =
      options.ttlMs === 0
        ? null
        : new LRUCache<string, Box, Load>({
            max: options.maxEntries,
            ttl: options.ttlMs,
            ...(options.maxBytes
              ? { maxSize: options.maxBytes, sizeCalculation: (box: Box) => Math.max(1, JSON.stringify(box.value)?.length ?? 1) }
              : {}),
            // A custom clock is exact: lru-cache otherwise re-reads the time at most once per ms.
            ...(options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {}),
            allowStaleOnFetchRejection: this.staleIfErrorMs > 0,
            ...(options.observe
              ? { dispose: (_v: Box, _k: string, reason: string) => reason === 'evict' && options.observe?.('eviction') }
              : {}),
            fetchMethod: async (key, _stale, { context, options: entry }) => {
              this.loading.set(key, (this.loading.get(key) ?? 0) + 1);
              try {
                const shared = await this.shared?.read(key);
                if (shared?.hit) {
                  entry.ttl = Math.min(entry.ttl ?? options.ttlMs, shared.ttlMs);
                  return { value: shared.value, expiresAt: this.now() + entry.ttl, shared: true };
                }
                const value = await context();
                if (value === null) entry.ttl = Math.min(entry.ttl ?? Infinity, this.notFoundTtlMs);
                const ttl = entry.ttl ?? options.ttlMs;
                if (shared?.fence) await this.shared?.write(key, value, ttl, shared.fence);
                return { value, expiresAt: this.now() + ttl };
              } finally {
                const left = (this.loading.get(key) ?? 1) - 1;
                if (left > 0) this.loading.set(key, left);
                else this.loading.delete(key);
              }
            },
          });
    const lru = this.lru;
    if (lru !== null) {
      this.shared?.follow({
        forget: (tokenHash, resources) => this.forget(tokenHash, resources),
        forgetAll: () => {
          lru.clear();
          this.epoch++;
        },
      });
    }
  }

  /**
   * The cached answer for `resource` of this token, or `load()`'s answer, cached. `null`
   * (viewneo's 404) is cached briefly; a rejection is passed on and not cached.
   */
  async get<T>(tokenHash: string, resource: string, load: () => Promise<T>, options: CacheReadOptions = {}): Promise<T> {
    if (this.lru === null) return load();
    const key = cacheKey(tokenHash, resource);
    const status: LRUCache.Status<string, Box, Load> = {};
    let box: Box | undefined;
    try {
      box = await this.lru.fetch(key, {
        context: load,
        status,
        ...(options.maxTtlMs !== undefined ? { ttl: Math.max(1, options.maxTtlMs) } : {}),
      });
    } catch (error) {
      // A write invalidated the key while this read was in flight: read again, after the write.
      if (aborted(error)) return load();
      throw error;
    }
    // The same, when lru-cache does not throw the abort: with stale-if-error on it reports it in
    // the status, and to reads that joined the aborted one it answers nothing.
    if (aborted(status.fetchError) || (box === undefined && status.fetchError === undefined)) return load();
    if (status.fetchError !== undefined) {
      const ageMs = box ? this.now() - box.expiresAt : Infinity;
      // Only viewneo's own failures may be answered from a stale entry, never the caller's (401, 403).
      if (!box || !isUpstreamFailure(status.fetchError) || ageMs > this.staleIfErrorMs) throw status.fetchError;
      this.observe('stale');
      options.onStale?.(Math.max(0, Math.round(ageMs)));
    } else {
      // 'inflight' joined a read already under way: no upstream call of its own.
      this.observe(status.fetch === 'hit' || status.fetch === 'inflight' ? 'hit' : box?.shared ? 'shared_hit' : 'miss');
      if (box) options.onRead?.(box.expiresAt);
    }
    return box!.value as T;
  }

  /**
   * The fresh answer this replica holds for `resource` of the token, as a hit of {@link get}
   * (counted, its expiry told to `onRead`), or undefined: then call `get`. Synchronous, so that
   * a read of a cached answer costs no queue and no promise of its own.
   */
  fresh(tokenHash: string, resource: string, onRead?: (expiresAt: number) => void): { readonly value: unknown } | undefined {
    // An expired entry stays: `get` answers it when viewneo fails (stale-if-error).
    const box = this.lru?.get(cacheKey(tokenHash, resource), { noDeleteOnStaleGet: true });
    if (box === undefined) return undefined;
    this.observe('hit');
    onRead?.(box.expiresAt);
    return box;
  }

  /**
   * Forgets the given resources of one token, in-flight reads included: here at once, then in
   * the shared level and on the other replicas (resolves when they were told, or Redis failed).
   */
  async invalidate(tokenHash: string, resources: readonly string[]): Promise<void> {
    this.forget(tokenHash, resources);
    if (this.lru !== null) await this.shared?.invalidate(tokenHash, resources);
  }

  private forget(tokenHash: string, resources: readonly string[]): void {
    for (const resource of resources) this.lru?.delete(cacheKey(tokenHash, resource));
    this.generations.set(tokenHash, (this.generations.get(tokenHash) ?? 0) + 1);
    this.onForget?.(tokenHash, resources);
  }

  /** The fresh cached answer for `resource` of this token, with its expiry (cache clock), or undefined; never calls upstream. */
  peek(tokenHash: string, resource: string): { readonly value: unknown; readonly expiresAt: number } | undefined {
    const box = this.lru?.peek(cacheKey(tokenHash, resource));
    return box === undefined ? undefined : { value: box.value, expiresAt: box.expiresAt };
  }

  /**
   * The token's resources this replica holds fresh or is loading now, as `pick` maps their names
   * (undefined: left out). Never calls upstream or the shared level; walks the whole first level.
   */
  held<T>(tokenHash: string, pick: (resource: string) => T | undefined): T[] {
    const prefix = cacheKey(tokenHash, '');
    const resources = new Set<string>();
    for (const keys of [this.lru?.keys() ?? [], this.loading.keys()])
      for (const key of keys) if (key.startsWith(prefix)) resources.add(key.slice(prefix.length));
    return [...resources].map(pick).filter((value) => value !== undefined);
  }

  /**
   * The answers the levels this replica can read hold for these resources of the token: the fresh
   * one here, else the shared level's. A resource neither holds, one being loaded here (its answer
   * is not known yet), or one the shared level failed to answer is left out. Never calls upstream.
   */
  async known(tokenHash: string, resources: readonly string[]): Promise<Map<string, unknown>> {
    const known = new Map<string, unknown>();
    if (this.lru === null) return known;
    const elsewhere = new Map<string, string>();
    for (const resource of resources) {
      const key = cacheKey(tokenHash, resource);
      if (this.loading.has(key)) continue;
      const box = this.lru.peek(key);
      if (box !== undefined) known.set(resource, box.value);
      else elsewhere.set(key, resource);
    }
    if (elsewhere.size === 0 || this.shared === undefined) return known;
    for (const [key, value] of await this.shared.peek([...elsewhere.keys()])) known.set(elsewhere.get(key)!, value);
    return known;
  }

  /** Whether other replicas may hold answers of this cache that this one cannot see (they share a second level). */
  get replicated(): boolean {
    return this.lru !== null && this.shared !== undefined;
  }

  /** `load()`, shared by every caller that asks for the same resource of the token while it is in flight; nothing is kept after. */
  coalesce<T>(tokenHash: string, resource: string, load: () => Promise<T>): Promise<T> {
    const key = cacheKey(tokenHash, resource);
    let pending = this.inflight.get(key) as Promise<T> | undefined;
    if (pending === undefined) {
      pending = load().finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  /** The {@link coalesce}d load of the resource of the token in flight now, if any. */
  inFlight<T>(tokenHash: string, resource: string): Promise<T> | undefined {
    return this.inflight.get(cacheKey(tokenHash, resource)) as Promise<T> | undefined;
  }

  /** How many pages the token's list `resource` had when last read; undefined when not known. */
  pages(tokenHash: string, resource: string): number | undefined {
    return this.listPages.get(cacheKey(tokenHash, resource))?.pages;
  }

  /** The page count of the token's list `resource` when its pages linked by number at the last read; else undefined. */
  numberedPages(tokenHash: string, resource: string): number | undefined {
    const known = this.listPages.get(cacheKey(tokenHash, resource));
    return known?.numbered ? known.pages : undefined;
  }

  /** Remembers how many pages the token's list `resource` has, and whether they link by number. */
  setPages(tokenHash: string, resource: string, pages: number, numbered = false): void {
    this.listPages.set(cacheKey(tokenHash, resource), { pages, numbered });
  }

  /** How many invalidations the token has had (as far as this cache remembers). */
  generation(tokenHash: string): number {
    return this.epoch + (this.generations.get(tokenHash) ?? 0);
  }

  /** Whether reads are cached at all (CACHE_TTL_MS > 0). */
  get enabled(): boolean {
    return this.lru !== null;
  }

  /** The cache's clock (ms): expiries passed to `onRead` are on it. */
  clock(): number {
    return this.now();
  }

  /** Number of cached entries (all tokens). */
  get size(): number {
    return this.lru?.size ?? 0;
  }
}
