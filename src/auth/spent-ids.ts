import { LRUCache } from 'lru-cache';

/**
 * Ids that may be used once (OAuth states, refresh cookies), remembered for as long as they
 * could be presented, so that a replay is refused.
 */
export interface SpentIds {
  /** Marks `id` spent for `ttlMs`; false when it already was (a replay). */
  spend(id: string, ttlMs: number): Promise<boolean>;
  /** Makes `id` usable again (its use failed before it took effect). */
  release(id: string): Promise<void>;
}

/** {@link SpentIds} in this process's memory, at most 100,000 at a time. */
export class LocalSpentIds implements SpentIds {
  private readonly spent = new LRUCache<string, true>({ max: 100_000 });

  async spend(id: string, ttlMs: number): Promise<boolean> {
    if (this.spent.has(id)) return false;
    this.spent.set(id, true, { ttl: Math.max(1, ttlMs) });
    return true;
  }

  async release(id: string): Promise<void> {
    this.spent.delete(id);
  }
}
