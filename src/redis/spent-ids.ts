import { LocalSpentIds, type SpentIds } from '../auth/spent-ids.js';
import type { SharedRedis } from './connection.js';

/**
 * {@link SpentIds} shared by all replicas: `SET <prefix>spent:<id> NX PX ttl` (a key of no token,
 * in a slot of its own), so an id is spent once across them; with REDIS_WAIT_REPLICAS followed by
 * `WAIT`, so that a failover cannot lose a spend this replica acted on while the replicas were
 * up. The id is also remembered in-process, so that this replica still refuses its own replays
 * when Redis fails (then another replica may accept one).
 */
export class RedisSpentIds implements SpentIds {
  private readonly local = new LocalSpentIds();

  constructor(private readonly redis: SharedRedis) {}

  async spend(id: string, ttlMs: number): Promise<boolean> {
    if (!(await this.local.spend(id, ttlMs))) return false;
    const set = await this.redis.replicated('spend', (batch) =>
      batch.set(this.redis.key(`spent:${id}`), '1', 'PX', Math.max(1, Math.floor(ttlMs)), 'NX'),
    );
    // Not replicated (counted): spent on the master, which a failover may lose, like a Redis restart.
    return set === null || set.results[0] === 'OK';
  }

  async release(id: string): Promise<void> {
    await this.local.release(id);
    await this.redis.attempt('release', (r) => r.del(this.redis.key(`spent:${id}`)), 0);
  }
}
