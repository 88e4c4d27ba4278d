import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { connectRedis, type SharedRedis } from '../../src/redis/connection.js';
import { type RedisServer, startRedis } from '../support/redis.js';

/** Blocks this process's event loop for `ms`, as another request's CPU work or a GC would. */
function block(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // Busy on purpose.
  }
}

describe('Redis command timeouts', () => {
  let server: RedisServer;
  let redis: SharedRedis;
  beforeAll(async () => {
    server = await startRedis();
    redis = connectRedis(
      loadConfig({ REDIS_URL: server.url, REDIS_KEY_PREFIX: 'timeouts:', REDIS_TIMEOUT_MS: '50' }).redis!,
      createLogger('silent'),
      createMetrics(),
    );
    await new Promise((resolve) => redis.onReady(() => resolve(undefined)));
  });
  afterAll(async () => {
    await redis.close();
    await server.stop();
  });

  it('keeps an answer that came in time while the event loop was busy', async () => {
    const answers: (string | null)[] = [];
    for (let i = 0; i < 10; i++) {
      const answer = redis.attempt('cache_read', (r) => r.get('timeouts:absent'), 'fell back');
      block(150);
      answers.push(await answer);
    }
    expect(answers).toEqual(Array(10).fill(null));
  });

  it('still gives up on a Redis that does not answer', async () => {
    server.freeze();
    try {
      const started = Date.now();
      expect(await redis.attempt('cache_read', (r) => r.get('timeouts:absent'), 'fell back')).toBe('fell back');
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      server.thaw();
    }
  });
});
