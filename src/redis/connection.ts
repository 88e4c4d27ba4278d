import { Redis, type RedisOptions } from 'ioredis';
import type { RedisSettings } from '../config.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../observability/metrics.js';

/** What the gateway asks Redis for; the label of `gateway_redis_errors_total`. */
export type RedisOperation =
  | 'cache_read'
  | 'cache_write'
  | 'invalidate'
  | 'subscribe'
  | 'rate_limit'
  | 'spend'
  | 'release'
  | 'poll_lease'
  | 'live_baselines';

/**
 * The Redis connections of one gateway: one for commands, one subscribed to channels. Redis
 * is an optimisation shared by replicas, never a dependency: every command is bounded by
 * REDIS_TIMEOUT_MS and fails at once while Redis is unreachable, and the caller then goes on
 * in-process. The connections reconnect by themselves.
 */
export interface SharedRedis {
  readonly commands: Redis;
  readonly subscriber: Redis;
  /** `name` under the configured key prefix (REDIS_KEY_PREFIX). */
  key(name: string): string;
  /**
   * `command`'s answer, or `fallback` when Redis failed, timed out or is unreachable (the
   * failure is counted by operation).
   */
  attempt<T>(operation: RedisOperation, command: (redis: Redis) => Promise<T>, fallback: T): Promise<T>;
  /** Calls `listener` whenever the command connection becomes ready (first connect and every reconnect). */
  onReady(listener: () => void): void;
  /** Closes both connections (at shutdown); no reconnects after. */
  close(): Promise<void>;
}

/** Connects to Redis at `settings.url`; does not wait for the connection (see {@link SharedRedis}). */
export function connectRedis(settings: RedisSettings, logger: Logger, metrics: Metrics): SharedRedis {
  const options: RedisOptions = {
    // A backstop that frees commands of a frozen Redis; `attempt` enforces REDIS_TIMEOUT_MS itself.
    commandTimeout: Math.max(1_000, settings.timeoutMs * 10),
    connectTimeout: 1_000,
    // Fail instead of queueing while disconnected: a queued command would only add latency.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
    connectionName: 'viewneo-gateway',
  };
  const commands = new Redis(settings.url, options);
  // The subscriber subscribes again on every 'ready' itself (see invalidation.ts).
  const subscriber = new Redis(settings.url, { ...options, autoResubscribe: false });
  let connected = false;
  const report = () => metrics.redisUp(commands.status === 'ready' && subscriber.status === 'ready');
  for (const connection of [commands, subscriber]) {
    connection.on('ready', report);
    connection.on('close', report);
    // Connection errors repeat on every reconnect attempt: the state changes below are logged instead.
    connection.on('error', (error: Error) => logger.debug({ err: error.message }, 'Redis connection error'));
  }
  commands.on('ready', () => {
    connected = true;
    logger.info('Redis connected: cache, invalidations, rate limit and single-use ids are shared');
  });
  commands.on('close', () => {
    if (connected) logger.warn('Redis connection lost: running in-process until it returns');
    connected = false;
  });

  return {
    commands,
    subscriber,
    key: (name) => `${settings.keyPrefix}${name}`,
    async attempt(operation, command, fallback) {
      try {
        return await within(command(commands), settings.timeoutMs);
      } catch (error) {
        metrics.redisError(operation);
        logger.debug({ operation, err: (error as Error).message }, 'Redis command failed; going on in-process');
        return fallback;
      }
    },
    onReady: (listener) => commands.on('ready', listener),
    async close() {
      await Promise.all([commands, subscriber].map(quit));
    },
  };
}

async function quit(connection: Redis): Promise<void> {
  if (connection.status !== 'ready') return connection.disconnect();
  await connection.quit().catch(() => connection.disconnect());
}

/**
 * `answer`, or a failure when it has not come `ms` after the call. A busy event loop fires the
 * timer late, in the same turn in which the poll phase would read a reply that came in time: the
 * timer looks again after that phase (setImmediate), so only a reply that truly is late fails.
 */
function within<T>(answer: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      setImmediate(() => {
        if (settled) return;
        settled = true;
        reject(new Error(`Expected a Redis answer within ${ms} ms, got none`));
      });
    }, ms);
    answer.then(
      (value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
