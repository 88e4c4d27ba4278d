import { randomUUID } from 'node:crypto';
import type { PollLease } from '../session/live.js';
import type { SharedRedis } from './connection.js';

// Takes the lease when free, or keeps it when this replica holds it; answers 1 when held after.
const CLAIM = `
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

/**
 * One poller per token and playlist across all replicas: `<prefix>{<token hash>}:poll:<playlist id>` (for the key `<token hash>:<playlist id>`) names the replica
 * that polls, for the `ttlMs` of its last claim (twice its wait until its next poll), so a
 * replica that stops (or dies) hands over within that time. When Redis fails, every replica
 * polls for itself.
 */
export class RedisPollLease implements PollLease {
  private readonly self = randomUUID();

  constructor(private readonly redis: SharedRedis) {}

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const held = await this.redis.attempt(
      'poll_lease',
      (r) => r.eval(CLAIM, 1, this.redis.keyOf('poll', key), this.self, Math.max(1, ttlMs)),
      1,
    );
    return Number(held) === 1;
  }
}
