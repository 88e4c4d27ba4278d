import { LocalSpentIds, type SpentIds } from '../auth/spent-ids.js';
import type { SharedRedis } from './connection.js';

/**
 * {@link SpentIds} shared by all replicas: `SET <prefix>spent:<id> NX PX ttl`, so an id is
 * spent once across them. The id is also remembered in-process, so that this replica still
 * refuses its own replays when Redis fails (then another replica may accept one).
 */
export class RedisSpentIds implements SpentIds {
  private readonly local = new LocalSpentIds();

  constructor(private readonly redis: SharedRedis) {}

  async spend(id: string, ttlMs: number): Promise<boolean> {
    if (!(await this.local.spend(id, ttlMs))) return false;
    const set = await this.redis.attempt(
      'spend',
      (r) => r.set(this.redis.key(`spent:${id}`), '1', 'PX', Math.max(1, Math.floor(ttlMs)), 'NX'),
      'OK',
    );
    return set === 'OK';
  }

  async release(id: string): Promise<void> {
    await this.local.release(id);
    await this.redis.attempt('release', (r) => r.del(this.redis.key(`spent:${id}`)), 0);
  }
}
