import { LRUCache } from 'lru-cache';
import type { UpstreamCache } from './upstream-cache.js';

/** A result as kept: its JSON text and how long it stays fresh. */
export interface StoredResult {
  readonly json: string;
  readonly ttlMs: number;
}

/** Bounds of the results kept. */
export interface ResultStoreBounds {
  readonly maxEntries: number;
  /** Total size of the kept results, measured as their JSON length. */
  readonly maxBytes: number;
}

/**
 * Whole results of read-only operations, as JSON, per token: what the result cache
 * (plugins/result-cache.ts) keeps and the fast path (http/replay.ts) answers from. A key carries
 * the token's hash and its cache generation, which any write of the token bumps (here, or with
 * Redis on another replica): a write makes every result of that token unreachable at once.
 */
export class ResultStore {
  // Kept as JSON text: one string per result instead of an object graph for the GC to walk,
  // and a hit is sent without serialising it again.
  private readonly results: LRUCache<string, string>;

  constructor(
    private readonly cache: UpstreamCache,
    bounds: ResultStoreBounds,
  ) {
    this.results = new LRUCache({
      max: bounds.maxEntries,
      maxSize: bounds.maxBytes,
      sizeCalculation: (json) => Math.max(1, json.length),
      perf: { now: () => cache.clock() },
      // Exact: lru-cache otherwise re-reads the clock at most once per ms, on a timer a busy loop delays.
      ttlResolution: 0,
    });
  }

  /** The key of an operation's result (see operationKey) for the token, at the token's current generation. */
  key(tokenHash: string, operation: string): string {
    return `${tokenHash}:${this.cache.generation(tokenHash)}:${operation}`;
  }

  /** The fresh result kept under `key`, if any. */
  get(key: string): StoredResult | undefined {
    const json = this.results.get(key);
    return json === undefined ? undefined : { json, ttlMs: this.results.getRemainingTTL(key) };
  }

  /** Keeps `json` under `key` for `ttlMs`. */
  set(key: string, json: string, ttlMs: number): void {
    this.results.set(key, json, { ttl: ttlMs });
  }
}
