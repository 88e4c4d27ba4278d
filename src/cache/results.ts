import type { LRUCache } from 'lru-cache';
import { SegmentedLru } from './segmented.js';
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
 *
 * Kept in two segments (SegmentedLru), as the parse cache: a result is kept first in a small
 * probation LRU (a fifth of the bounds) and moves to the main one when its key is asked for
 * again. A flood of one-off documents (one token making up a document per request) then only
 * churns the probation segment, and never evicts the results other tokens repeat.
 */
export class ResultStore {
  // Kept as JSON text: one string per result instead of an object graph for the GC to walk,
  // and a hit is sent without serialising it again.
  private readonly results: SegmentedLru<string>;

  constructor(
    private readonly cache: UpstreamCache,
    bounds: ResultStoreBounds,
  ) {
    const segment = (maxEntries: number, maxBytes: number): LRUCache.Options<string, string, unknown> => ({
      max: Math.max(1, maxEntries),
      maxSize: Math.max(1, maxBytes),
      sizeCalculation: (json) => Math.max(1, json.length),
      perf: { now: () => cache.clock() },
      // Exact: lru-cache otherwise re-reads the clock at most once per ms, on a timer a busy loop delays.
      ttlResolution: 0,
    });
    const share = (bound: number) => Math.ceil(bound / PROBATION_SHARE);
    this.results = new SegmentedLru(
      segment(bounds.maxEntries - share(bounds.maxEntries), bounds.maxBytes - share(bounds.maxBytes)),
      segment(share(bounds.maxEntries), share(bounds.maxBytes)),
    );
  }

  /** The key of an operation's result (see operationKey) for the token, at the token's current generation. */
  key(tokenHash: string, operation: string): string {
    return `${tokenHash}:${this.cache.generation(tokenHash)}:${operation}`;
  }

  /** The fresh result kept under `key`, if any; a second ask moves it out of probation. */
  get(key: string): StoredResult | undefined {
    const json = this.results.get(key);
    return json === undefined ? undefined : { json, ttlMs: this.results.remainingTtl(key) };
  }

  /** Keeps `json` under `key` for `ttlMs`, in probation until it is asked for again. */
  set(key: string, json: string, ttlMs: number): void {
    this.results.set(key, json, ttlMs);
  }
}

/** The probation segment holds this fraction (1/n) of the bounds' entries and bytes, the main one the rest. */
const PROBATION_SHARE = 5;
