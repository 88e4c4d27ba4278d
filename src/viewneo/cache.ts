import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { errorCode } from '../errors.js';

/**
 * A stable, non-reversible name for a token, used in cache keys. The raw token never
 * becomes a key, a log field or a metric label.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Settings of the cross-request cache. */
export interface ResponseCacheOptions {
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
  /** Told about hits, misses, stale answers and evictions (metrics). */
  readonly observe?: (event: 'hit' | 'miss' | 'stale' | 'eviction') => void;
}

/** Per-read options of {@link ResponseCache.get}. */
export interface CacheReadOptions {
  /** Upper bound of the entry's lifetime, e.g. until the token expires. */
  readonly maxTtlMs?: number;
  /** Called when a stale entry is served because the upstream read failed. */
  readonly onStale?: (ageMs: number) => void;
  /** Called with the expiry (cache clock) of every fresh answer, cached or just loaded. */
  readonly onRead?: (expiresAt: number) => void;
}

// lru-cache values must be non-nullish, and a 404 is cached as `null`: box every value.
type Box = { readonly value: unknown; readonly expiresAt: number };
type Load = () => Promise<unknown>;

/** lru-cache aborts an in-flight fetch with these when its key is deleted or replaced. */
const ABORTS = new Set(['deleted', 'evicted', 'replaced']);
/** Failures that are viewneo's, not the caller's: only these may be answered from a stale entry. */
const UPSTREAM_FAILURES = new Set(['UPSTREAM_ERROR', 'UPSTREAM_TIMEOUT', 'RATE_LIMITED']);

/**
 * Upstream answers shared across requests of the same token: keyed by (token hash,
 * resource), bounded in count and age. Concurrent reads of one key share one upstream
 * call (lru-cache's `fetch`). Failed loads are not cached; when viewneo fails, an entry
 * that expired less than `staleIfErrorMs` ago is served instead (stale-if-error).
 */
export class ResponseCache {
  private readonly lru: LRUCache<string, Box, Load> | null;
  private readonly notFoundTtlMs: number;
  private readonly staleIfErrorMs: number;
  private readonly now: () => number;
  private readonly observe: NonNullable<ResponseCacheOptions['observe']>;
  // Bumped by every invalidation of a token, so results built from older reads can tell.
  private readonly generations = new LRUCache<string, number>({ max: 100_000 });

  constructor(options: ResponseCacheOptions) {
    this.notFoundTtlMs = Math.min(options.notFoundTtlMs ?? 2_000, options.ttlMs);
    this.staleIfErrorMs = options.staleIfErrorMs ?? 0;
    this.now = options.now ?? (() => performance.now());
    this.observe = options.observe ?? (() => {});
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
            ...(options.observe ? { dispose: (_v: Box, _k: string, reason: string) => reason === 'evict' && options.observe?.('eviction') } : {}),
            fetchMethod: async (_key, _stale, { context, options: entry }) => {
              const value = await context();
              if (value === null) entry.ttl = Math.min(entry.ttl ?? Infinity, this.notFoundTtlMs);
              return { value, expiresAt: this.now() + (entry.ttl ?? options.ttlMs) };
            },
          });
  }

  /**
   * The cached answer for `resource` of this token, or `load()`'s answer, cached. `null`
   * (viewneo's 404) is cached briefly; a rejection is passed on and not cached.
   */
  async get<T>(tokenHash: string, resource: string, load: () => Promise<T>, options: CacheReadOptions = {}): Promise<T> {
    if (this.lru === null) return load();
    const key = `${tokenHash}:${resource}`;
    const status: LRUCache.Status<string, Box, Load> = {};
    let box: Box | undefined;
    try {
      box = await this.lru.fetch(key, { context: load, status, ...(options.maxTtlMs !== undefined ? { ttl: Math.max(1, options.maxTtlMs) } : {}) });
    } catch (error) {
      // A write invalidated the key while this read was in flight: read again, after the write.
      if (error instanceof Error && ABORTS.has(error.message)) return load();
      throw error;
    }
    if (status.fetchError !== undefined) {
      const ageMs = box ? this.now() - box.expiresAt : Infinity;
      if (!box || !UPSTREAM_FAILURES.has(errorCode(status.fetchError) ?? '') || ageMs > this.staleIfErrorMs) throw status.fetchError;
      this.observe('stale');
      options.onStale?.(Math.max(0, Math.round(ageMs)));
    } else {
      // 'inflight' joined a read already under way: no upstream call of its own.
      this.observe(status.fetch === 'hit' || status.fetch === 'inflight' ? 'hit' : 'miss');
      if (box) options.onRead?.(box.expiresAt);
    }
    return box!.value as T;
  }

  /** Forgets the given resources of one token, in-flight reads included. */
  invalidate(tokenHash: string, resources: readonly string[]): void {
    for (const resource of resources) this.lru?.delete(`${tokenHash}:${resource}`);
    this.generations.set(tokenHash, this.generation(tokenHash) + 1);
  }

  /** How many invalidations the token has had (as far as this cache remembers). */
  generation(tokenHash: string): number {
    return this.generations.get(tokenHash) ?? 0;
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
