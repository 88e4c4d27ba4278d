import { randomUUID } from 'node:crypto';
import { BUDGET_WINDOW_MS, type RateGate, type SharedTake } from '../viewneo/transport/budget.js';
import type { SharedRedis } from './connection.js';

// A sliding-window log on Redis's clock: the calls of the last minute are the members of a
// sorted set scored by their start time. The limit is the caller's, or, when the caller has not
// heard viewneo announce it (ARGV[4] '0'), the one another replica heard (KEYS[2]), capped at
// ARGV[5] (0: no cap). Answers {0, limit, 1 if that limit is the one heard} when the call may
// start (and logs it), or {the ms until the oldest call leaves the window, limit, heard}.
const TAKE = `
local limit = tonumber(ARGV[1])
local fromHeard = 0
if ARGV[4] == '0' then
  local heard = redis.call('GET', KEYS[2])
  if heard then
    fromHeard = 1
    limit = tonumber(heard)
    local cap = tonumber(ARGV[5])
    if cap > 0 and cap < limit then limit = cap end
  end
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return {0, limit, fromHeard}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {math.max(1, tonumber(oldest[2]) + window - now), limit, fromHeard}`;

// Remembers viewneo's announced limit (ARGV[4], '' when it said none) for the replicas that have
// not heard it, and adds calls stamped now until the window holds at least ARGV[1] (the count
// viewneo reported; '' when it said none).
const CORRECT = `
if ARGV[4] ~= '' then redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[5]) end
if ARGV[1] == '' then return 0 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local missing = tonumber(ARGV[1]) - redis.call('ZCARD', KEYS[1])
for i = 1, missing do redis.call('ZADD', KEYS[1], now, ARGV[3] .. ':' .. i) end
if missing > 0 then redis.call('PEXPIRE', KEYS[1], window) end
return missing`;

/** How long an announced limit is remembered for the replicas that have not heard it: until viewneo says another. */
const ANNOUNCED_TTL_MS = 10 * BUDGET_WINDOW_MS;

/**
 * viewneo's per-user limit shared by all replicas: at most the limit in force of calls of one
 * token start in any 60 seconds, counted in `<prefix>{<token hash>}:rate`, with viewneo's
 * announced limit beside it (`…:rate:limit`, one hash tag: one slot). Any such schedule also fits
 * Laravel's fixed windows that open at a key's first hit. When Redis fails, the answer is null
 * and each replica keeps to its own in-process budget.
 */
export class RedisRateGate implements RateGate {
  constructor(private readonly redis: SharedRedis) {}

  async take(tokenHash: string, limit: number, announced: boolean, cap: number | null): Promise<SharedTake | null> {
    const [counted, announcedKey] = this.keys(tokenHash);
    const answer = await this.redis.attempt(
      'rate_limit',
      (r) => r.eval(TAKE, 2, counted, announcedKey, limit, BUDGET_WINDOW_MS, randomUUID(), announced ? '1' : '0', cap ?? 0),
      null,
    );
    if (answer === null) return null;
    const [wait, inForce, heard] = answer as [number, number, number];
    return { wait: Number(wait), limit: Number(inForce), heard: heard === 1 };
  }

  async correct(tokenHash: string, used: number | null, announced: number | null): Promise<void> {
    const [counted, announcedKey] = this.keys(tokenHash);
    await this.redis.attempt(
      'rate_limit',
      (r) => r.eval(CORRECT, 2, counted, announcedKey, used ?? '', BUDGET_WINDOW_MS, randomUUID(), announced ?? '', ANNOUNCED_TTL_MS),
      null,
    );
  }

  private keys(tokenHash: string): [string, string] {
    return [this.redis.tokenKey(tokenHash, 'rate'), this.redis.tokenKey(tokenHash, 'rate:limit')];
  }
}
