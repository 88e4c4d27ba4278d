import { randomUUID } from 'node:crypto';
import { cacheKey, type LocalCacheLevel, type SharedCache, type SharedRead } from '../cache/upstream-cache.js';
import type { SharedRedis } from './connection.js';
import { followInvalidations, publishInvalidation } from './invalidation.js';

/** Settings of {@link RedisCache}. */
export interface RedisCacheOptions {
  /** Answers whose JSON is longer than this stay in-process only. */
  readonly maxValueBytes: number;
  /** How long a fence outlives an invalidation: longer than any read that started before it. */
  readonly fenceTtlMs: number;
}

// The answer (JSON), its remaining lifetime, and the fence of its key (how often it was invalidated).
const READ = `return {redis.call('GET', KEYS[1]), redis.call('PTTL', KEYS[1]), redis.call('GET', KEYS[2]) or '0'}`;
// Stores the answer only if the key was not invalidated since the reader saw the fence.
const WRITE = `
if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[2] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return 1`;

/**
 * The second cache level in Redis, shared by every replica: `<prefix>cache:<token hash>:<resource>`
 * holds an upstream answer as JSON, with the lifetime its first level gave it.
 *
 * An invalidation, in one MULTI, bumps each key's fence (`<prefix>fence:…`), deletes the
 * answer and publishes the keys for the other replicas' first levels. A read that missed
 * stores what it loaded only if the fence is still the one it saw, so an answer read from
 * viewneo before a write can never land in Redis after that write's invalidation.
 * Invalidations that could not reach Redis are sent again when it is back. A peek reads answers
 * without their fences, for a delete to see what the lists it does not hold show.
 */
export class RedisCache implements SharedCache {
  /** This replica's name in published invalidations. */
  private readonly origin = randomUUID();
  /** Invalidations Redis did not take, as [token hash, resource] keys. */
  private readonly unsent = new Map<string, [string, string]>();

  constructor(
    private readonly redis: SharedRedis,
    private readonly options: RedisCacheOptions,
  ) {
    redis.onReady(() => void this.resend());
  }

  read(key: string): Promise<SharedRead> {
    return this.redis.attempt(
      'cache_read',
      async (r): Promise<SharedRead> => {
        const answer = await r.eval(READ, 2, this.redis.key(`cache:${key}`), this.redis.key(`fence:${key}`));
        const [json, ttlMs, fence] = answer as [string | null, number, string];
        return json === null || ttlMs <= 0 ? { hit: false, fence } : { hit: true, value: JSON.parse(json), ttlMs };
      },
      { hit: false, fence: null },
    );
  }

  async write(key: string, value: unknown, ttlMs: number, fence: string): Promise<void> {
    const json: string | undefined = JSON.stringify(value);
    if (json === undefined || Buffer.byteLength(json) > this.options.maxValueBytes) return;
    await this.redis.attempt(
      'cache_write',
      (r) => r.eval(WRITE, 2, this.redis.key(`cache:${key}`), this.redis.key(`fence:${key}`), json, fence, Math.max(1, Math.floor(ttlMs))),
      null,
    );
  }

  peek(keys: readonly string[]): Promise<ReadonlyMap<string, unknown>> {
    return this.redis.attempt(
      'cache_read',
      async (r) => {
        const answers = await r.mget(...keys.map((key) => this.redis.key(`cache:${key}`)));
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

  async invalidate(tokenHash: string, resources: readonly string[]): Promise<void> {
    const sent = await this.redis.attempt(
      'invalidate',
      (r) => {
        const batch = r.multi();
        for (const resource of resources) {
          const key = cacheKey(tokenHash, resource);
          batch
            .incr(this.redis.key(`fence:${key}`))
            .pexpire(this.redis.key(`fence:${key}`), this.options.fenceTtlMs)
            .del(this.redis.key(`cache:${key}`));
        }
        publishInvalidation(this.redis, batch, { origin: this.origin, tokenHash, resources });
        return batch.exec();
      },
      null,
    );
    if (sent !== null) return;
    // Bounded: past this many, the entries' own lifetimes (CACHE_TTL_MS) end the staleness.
    for (const resource of resources) if (this.unsent.size < 10_000) this.unsent.set(cacheKey(tokenHash, resource), [tokenHash, resource]);
  }

  follow(local: LocalCacheLevel): void {
    followInvalidations(this.redis, this.origin, local);
  }

  private async resend(): Promise<void> {
    const pending = [...this.unsent.values()];
    this.unsent.clear();
    for (const [tokenHash, resource] of pending) await this.invalidate(tokenHash, [resource]);
  }
}
