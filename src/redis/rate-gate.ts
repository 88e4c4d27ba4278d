import { randomUUID } from 'node:crypto';
import { BUDGET_WINDOW_MS, type RateGate } from '../viewneo/transport/budget.js';
import type { SharedRedis } from './connection.js';

// A sliding-window log on Redis's clock: the calls of the last minute are the members of a
// sorted set scored by their start time. Answers 0 when the call may start (and logs it), or
// the ms until the oldest call leaves the window.
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)`;

// Adds calls stamped now until the window holds at least ARGV[1] (the count viewneo reported).
const CORRECT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local missing = tonumber(ARGV[1]) - redis.call('ZCARD', KEYS[1])
for i = 1, missing do redis.call('ZADD', KEYS[1], now, ARGV[3] .. ':' .. i) end
if missing > 0 then redis.call('PEXPIRE', KEYS[1], window) end
return missing`;

/**
 * viewneo's per-user limit shared by all replicas: at most `limit` calls of one token start in
 * any 60 seconds, counted in `<prefix>rate:<token hash>`. Any such schedule also fits Laravel's
 * fixed windows that open at a key's first hit. When Redis fails, the answer is null and each
 * replica keeps to its own in-process budget.
 */
export class RedisRateGate implements RateGate {
  constructor(private readonly redis: SharedRedis) {}

  async take(tokenHash: string, limit: number): Promise<number | null> {
    const wait = await this.redis.attempt(
      'rate_limit',
      (r) => r.eval(TAKE, 1, this.redis.key(`rate:${tokenHash}`), limit, BUDGET_WINDOW_MS, randomUUID()),
      null,
    );
    return wait === null ? null : Number(wait);
  }

  async correct(tokenHash: string, used: number): Promise<void> {
    await this.redis.attempt(
      'rate_limit',
      (r) => r.eval(CORRECT, 1, this.redis.key(`rate:${tokenHash}`), used, BUDGET_WINDOW_MS, randomUUID()),
      null,
    );
  }
}
