import { randomUUID } from 'node:crypto';
import type { RateGate } from '../viewneo/transport/throttle.js';
import type { SharedRedis } from './connection.js';

const WINDOW_MS = 60_000;

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

/**
 * viewneo's per-user limit (UPSTREAM_RATE_PER_MINUTE) shared by all replicas: at most that many
 * calls of one token start in any 60 seconds, counted in `<prefix>rate:<token hash>`. Any such
 * schedule also fits Laravel's fixed windows that open at a key's first hit. When Redis
 * fails, calls go ahead (the in-process throttle still honours viewneo's own answers).
 */
export class RedisRateGate implements RateGate {
  constructor(
    private readonly redis: SharedRedis,
    private readonly perMinute: number,
  ) {}

  async take(tokenHash: string): Promise<number> {
    const wait = await this.redis.attempt(
      'rate_limit',
      (r) => r.eval(TAKE, 1, this.redis.key(`rate:${tokenHash}`), this.perMinute, WINDOW_MS, randomUUID()),
      0,
    );
    return Number(wait);
  }
}
