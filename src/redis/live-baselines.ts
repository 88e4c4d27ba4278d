import { randomUUID } from 'node:crypto';
import type { SharedBaselines } from '../session/live.js';
import type { SharedRedis } from './connection.js';

// One field per replica in the hash: "<until> <digest> <digest>…", `until` on Redis's clock, so
// that the replicas' clocks do not matter. The hash lives as long as its longest-kept field.
const KEEP = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[2])
if ARGV[3] == '' then
  redis.call('HDEL', KEYS[1], ARGV[1])
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], (now + ttl) .. ' ' .. ARGV[3])
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1`;

// Every replica's digests still kept; the fields of replicas that stopped keeping them are dropped.
const READ = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local fields = redis.call('HGETALL', KEYS[1])
local kept = {}
for i = 1, #fields, 2 do
  local value = fields[i + 1]
  local space = string.find(value, ' ', 1, true)
  if tonumber(string.sub(value, 1, space - 1)) < now then
    redis.call('HDEL', KEYS[1], fields[i])
  else
    table.insert(kept, string.sub(value, space + 1))
  end
end
return kept`;

/**
 * What each replica's subscribers of a token's playlist were last given (digests), in
 * `<prefix>{<token hash>}:live:<playlist id>`, a hash with one field per replica, for whichever
 * replica holds the playlist's poll lease to compare viewneo against. When Redis fails, nothing
 * is kept or read: every replica then polls for itself (src/redis/poll-lease.ts) and compares its
 * own subscribers only.
 */
export class RedisBaselines implements SharedBaselines {
  private readonly self = randomUUID();

  constructor(private readonly redis: SharedRedis) {}

  async keep(key: string, digests: readonly string[], ttlMs: number): Promise<void> {
    await this.redis.attempt(
      'live_baselines',
      (r) => r.eval(KEEP, 1, this.redis.keyOf('live', key), this.self, Math.max(1, Math.ceil(ttlMs)), digests.join(' ')),
      0,
    );
  }

  async read(key: string): Promise<string[]> {
    const kept = await this.redis.attempt('live_baselines', (r) => r.eval(READ, 1, this.redis.keyOf('live', key)), []);
    return (kept as string[]).flatMap((digests) => digests.split(' '));
  }
}
