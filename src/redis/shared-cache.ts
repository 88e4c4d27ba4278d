import { randomUUID } from 'node:crypto';
import { cacheKey, type LocalCacheLevel, type SharedCache, type SharedRead } from '../cache/upstream-cache.js';
import type { SharedRedis } from './connection.js';
import { announcement, followInvalidations, invalidationChannel } from './invalidation.js';

/** Settings of {@link RedisCache}. */
export interface RedisCacheOptions {
  /** Answers whose JSON is longer than this stay in-process only. */
  readonly maxValueBytes: number;
  /** How long a fence outlives an invalidation: longer than any read that started before it. */
  readonly fenceTtlMs: number;
  /** How long an invalidation Redis did not take is sent again: until nothing stored before it can be left. */
  readonly resendForMs: number;
  /** Told how many invalidated keys wait to be sent again, whenever that changes. */
  readonly observePending: (keys: number) => void;
}

// The answer (JSON), its remaining lifetime, and the fence of its key (how often it was invalidated).
const READ = `return {redis.call('GET', KEYS[1]), redis.call('PTTL', KEYS[1]), redis.call('GET', KEYS[2]) or '0'}`;
// Stores the answer only if the key was not invalidated since the reader saw the fence.
const WRITE = `
if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[2] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return 1`;
// KEYS: fence and answer of each invalidated resource of one token (one slot). Bumps each fence,
// deletes each answer, and announces them on the channel ARGV[2], all at once.
const INVALIDATE = `
for i = 1, #KEYS, 2 do
  redis.call('INCR', KEYS[i])
  redis.call('PEXPIRE', KEYS[i], ARGV[1])
  redis.call('DEL', KEYS[i + 1])
end
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1`;

/** How often invalidations that Redis did not take (or did not replicate) are sent again. */
const RESEND_EVERY_MS = 250;

/**
 * The second cache level in Redis, shared by every replica: `<prefix>{<token hash>}:cache:<resource>`
 * holds an upstream answer as JSON, with the lifetime its first level gave it.
 *
 * An invalidation, in one Lua script on the token's slot, bumps each key's fence
 * (`<prefix>{<token hash>}:fence:<resource>`), deletes the answer and publishes the keys for the
 * other replicas' first levels; with REDIS_WAIT_REPLICAS it then waits until that many replicas
 * have it. A read that missed stores what it loaded only if the fence is still the one it saw, so
 * an answer read from viewneo before a write can never land in Redis after that write's
 * invalidation. Invalidations that Redis did not take, or that did not reach enough replicas (a
 * failover could lose them), are sent again until they are, for `resendForMs`. A peek reads
 * answers without their fences, for a delete to see what the lists it does not hold show.
 */
export class RedisCache implements SharedCache {
  /** This replica's name in published invalidations. */
  private readonly origin = randomUUID();
  /** Invalidations to send again, as [token hash, resource, when first made] by key. */
  private readonly unsent = new Map<string, [string, string, number]>();
  private resending: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: SharedRedis,
    private readonly options: RedisCacheOptions,
  ) {
    redis.onReady(() => void this.resend());
  }

  read(key: string): Promise<SharedRead> {
    const [answer, fence] = this.keys(key);
    return this.redis.attempt(
      'cache_read',
      async (r): Promise<SharedRead> => {
        const [json, ttlMs, seen] = (await r.eval(READ, 2, answer, fence)) as [string | null, number, string];
        return json === null || ttlMs <= 0 ? { hit: false, fence: seen } : { hit: true, value: JSON.parse(json), ttlMs };
      },
      { hit: false, fence: null },
    );
  }

  async write(key: string, value: unknown, ttlMs: number, fence: string): Promise<void> {
    const json: string | undefined = JSON.stringify(value);
    if (json === undefined || Buffer.byteLength(json) > this.options.maxValueBytes) return;
    await this.redis.attempt('cache_write', (r) => r.eval(WRITE, 2, ...this.keys(key), json, fence, Math.max(1, Math.floor(ttlMs))), null);
  }

  peek(keys: readonly string[]): Promise<ReadonlyMap<string, unknown>> {
    return this.redis.attempt(
      'cache_read',
      async (r) => {
        const answers = await r.mget(...keys.map((key) => this.keys(key)[0]));
        const found = new Map<string, unknown>();
        keys.forEach((key, at) => {
          const json = answers[at];
          if (json != null) found.set(key, JSON.parse(json));
        });
        return found;
      },
      new Map<string, unknown>(),
    );
  }

  async invalidate(tokenHash: string, resources: readonly string[], since = Date.now()): Promise<void> {
    const keys = resources.flatMap((resource) => [
      this.redis.tokenKey(tokenHash, `fence:${resource}`),
      this.redis.tokenKey(tokenHash, `cache:${resource}`),
    ]);
    const channel = invalidationChannel(this.redis);
    const message = announcement({ id: randomUUID(), origin: this.origin, tokenHash, resources });
    const sent = await this.redis.replicated('invalidate', (batch) =>
      batch.eval(INVALIDATE, keys.length, ...keys, this.options.fenceTtlMs, channel, message),
    );
    // So that every replica has the announcement before the write answers.
    if (sent !== null) await this.redis.deliver(channel, message);
    if (sent?.replicated) return;
    // Bounded: past this many, the entries' own lifetimes (CACHE_TTL_MS) end the staleness.
    for (const resource of resources)
      if (this.unsent.size < 10_000) this.unsent.set(cacheKey(tokenHash, resource), [tokenHash, resource, since]);
    this.resending ??= setTimeout(() => void this.resend(), RESEND_EVERY_MS).unref();
  }

  follow(local: LocalCacheLevel): void {
    followInvalidations(this.redis, this.origin, local);
  }

  private async resend(): Promise<void> {
    if (this.resending !== null) clearTimeout(this.resending);
    this.resending = null;
    // Kept while the connection is ended (after close(), or by ioredis until it connects again):
    // its next 'ready' sends them.
    if (this.redis.commands.status === 'end') return;
    const pending = [...this.unsent.values()];
    this.unsent.clear();
    this.options.observePending(0);
    // Once nothing stored before the invalidation can still be there.
    const horizon = Date.now() - this.options.resendForMs;
    const byToken = new Map<string, { resources: string[]; since: number }>();
    for (const [tokenHash, resource, since] of pending) {
      if (since <= horizon) continue;
      const entry = byToken.get(tokenHash) ?? { resources: [], since };
      entry.resources.push(resource);
      entry.since = Math.min(entry.since, since);
      byToken.set(tokenHash, entry);
    }
    for (const [tokenHash, { resources, since }] of byToken) await this.invalidate(tokenHash, resources, since);
  }

  /** The answer's and the fence's Redis keys of a `<token hash>:<resource>` key. */
  private keys(key: string): [string, string] {
    return [this.redis.keyOf('cache', key), this.redis.keyOf('fence', key)];
  }
}
