import { LRUCache } from 'lru-cache';

/**
 * An LRU in two segments: a key set for the first time waits in a small probation segment and
 * moves to the main one when it is read again, with the lifetime it had left. A flood of keys used
 * once (one-off documents, their results) then only churns the probation segment, and what
 * clients repeat stays in the main one.
 */
export class SegmentedLru<V extends {}> {
  private readonly main: LRUCache<string, V>;
  private readonly probation: LRUCache<string, V>;

  /** The two segments, as lru-cache's options of each. */
  constructor(main: LRUCache.Options<string, V, unknown>, probation: LRUCache.Options<string, V, unknown>) {
    this.main = new LRUCache(main);
    this.probation = new LRUCache(probation);
  }

  /** The fresh value of `key`, if any; a read in probation moves it to the main segment. */
  get(key: string): V | undefined {
    const repeated = this.main.get(key);
    if (repeated !== undefined) return repeated;
    const once = this.probation.get(key);
    if (once === undefined) return undefined;
    const ttl = this.probation.getRemainingTTL(key);
    this.probation.delete(key);
    this.main.set(key, once, Number.isFinite(ttl) ? { ttl } : {});
    return once;
  }

  /** How long the value of `key` stays fresh, in ms (Infinity without a lifetime, 0 when absent). */
  remainingTtl(key: string): number {
    return this.main.has(key) ? this.main.getRemainingTTL(key) : this.probation.getRemainingTTL(key);
  }

  /** Whether `key` was read again after it was set (and is still kept). */
  repeated(key: string): boolean {
    return this.main.has(key);
  }

  /** Keeps `value` under `key` (for `ttlMs`, when given), in probation unless it was repeated already. */
  set(key: string, value: V, ttlMs?: number): void {
    const options = ttlMs === undefined ? {} : { ttl: ttlMs };
    if (this.main.has(key)) this.main.set(key, value, options);
    else this.probation.set(key, value, options);
  }
}
