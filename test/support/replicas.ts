import { afterAll, afterEach, beforeAll, expect, vi } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import { type Harness, type HarnessOptions, startHarness, startLiftedSandbox } from './harness.js';
import { type Mode, type RedisDeployment, startDeployment } from './redis-deployments.js';

/** The Redis channel replicas send invalidations on (the default key prefix's): classic pub/sub in every mode. */
export const INVALIDATIONS = 'vg:invalidations';

/** The value of a gateway's Prometheus sample `name` (with `labels`, e.g. `{event="hit"}`); 0 when absent. */
export async function metric(h: Harness, name: string, labels = ''): Promise<number> {
  const text = await h.gateway.metrics.registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? 0 : Number(line.split(' ')[1]);
}

/**
 * Gateway replicas over one sandbox and one Redis deployment (any mode), each with `defaults`
 * under the environment a test gives; each test starts its own and closes them.
 */
export function replicaGroup(redis: () => RedisDeployment, sandbox: () => Sandbox, defaults: Record<string, string> = {}) {
  const started: Harness[] = [];
  return {
    started,
    /** A client of Redis's data for the test's own reads (a cluster client in cluster mode). */
    admin: () => redis().admin(),
    async start(env: Record<string, string> = {}, options: HarnessOptions = {}): Promise<Harness> {
      const h = await startHarness({ ...redis().env, ...defaults, ...env }, { sandbox: sandbox(), ...options });
      started.push(h);
      return h;
    },
    /** Waits until every started replica is connected and `subscribers` (default: all) listen to invalidations. */
    async ready(subscribers = started.length): Promise<void> {
      await vi.waitFor(
        async () => {
          for (const h of started) expect(await metric(h, 'gateway_redis_up')).toBe(1);
          expect(await redis().subscribers(INVALIDATIONS)).toBe(subscribers);
        },
        { timeout: 10_000, interval: 20 },
      );
    },
    /** Forgets everything in Redis (the sandbox's reset does not reach it). */
    flush: () => redis().flush(),
    /** Closes one replica (its clients' connections first) and forgets it. */
    async close(h: Harness): Promise<void> {
      started.splice(started.indexOf(h), 1);
      await h.close();
    },
    async closeAll(): Promise<void> {
      await Promise.all(started.splice(0).map((h) => h.close()));
    },
  };
}

/**
 * A throwaway Redis deployment of `mode` and a lifted sandbox for a describe block, and a
 * {@link replicaGroup} over them with `defaults`: every test's replicas are closed after it,
 * Redis flushed and the sandbox reset. `restartRedis()` starts Redis again on its ports (after a
 * test killed it).
 */
export function useReplicaGroup(defaults: Record<string, string> = {}, mode: Mode = 'single') {
  let redis: RedisDeployment;
  let sandbox: Sandbox;
  const group = replicaGroup(
    () => redis,
    () => sandbox,
    defaults,
  );
  beforeAll(async () => {
    redis = await startDeployment(mode);
    sandbox = await startLiftedSandbox();
  }, 30_000);
  afterEach(async () => {
    await group.closeAll();
    await group.flush();
    sandbox.reset();
  });
  afterAll(async () => {
    await sandbox?.close();
    await redis?.stop();
  });
  return {
    group,
    get redis() {
      return redis;
    },
    get sandbox() {
      return sandbox;
    },
    restartRedis: () => redis.restart(),
  };
}
