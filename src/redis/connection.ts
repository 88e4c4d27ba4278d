import { type ChainableCommander, Cluster, Redis, type RedisOptions } from 'ioredis';
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
  | 'live_baselines'
  | 'replicate';

/** One Redis, a Sentinel-watched master, or a Redis Cluster: ioredis's clients share their commands. */
export type RedisClient = Redis | Cluster;

/** What {@link SharedRedis.replicated} answers: each queued command's result, and whether enough replicas have them. */
export interface Replicated {
  readonly results: unknown[];
  /** False when fewer than REDIS_WAIT_REPLICAS replicas acknowledged them in time: a failover may lose them. */
  readonly replicated: boolean;
}

/**
 * The Redis connections of one gateway: one for commands, one subscribed to channels (each a
 * cluster client in `cluster` mode, and following the sentinels' master in `sentinel` mode). Redis
 * is an optimisation shared by replicas, never a dependency: every command is bounded by
 * REDIS_TIMEOUT_MS and fails at once while Redis is unreachable, and the caller then goes on
 * in-process. The connections reconnect, and follow a failover, by themselves.
 */
export interface SharedRedis {
  readonly mode: RedisSettings['mode'];
  readonly commands: RedisClient;
  readonly subscriber: RedisClient;
  /** `name` under the configured key prefix (REDIS_KEY_PREFIX): a key of no token. */
  key(name: string): string;
  /**
   * `name` of one token: `<prefix>{<token hash>}:<name>`. The hash tag puts all keys of a token
   * in one cluster slot, so that one script or pipeline may use several of them.
   */
  tokenKey(tokenHash: string, name: string): string;
  /** {@link tokenKey} of `<kind>:<rest>` for a key `<token hash>:<rest>` (the caches' and live updates'; a token hash holds no colon). */
  keyOf(kind: string, key: string): string;
  /**
   * `command`'s answer, or `fallback` when Redis failed, timed out or is unreachable (the
   * failure is counted by operation).
   */
  attempt<T>(operation: RedisOperation, command: (redis: RedisClient) => Promise<T>, fallback: T): Promise<T>;
  /**
   * Sends the commands `queue` adds (keys of one slot only) in one pipeline followed, with
   * REDIS_WAIT_REPLICAS, by `WAIT` for that many replicas; null when Redis failed (counted as
   * `operation`). A shortfall of replicas is counted as `replicate`.
   */
  replicated(operation: RedisOperation, queue: (pipeline: ChainableCommander) => void): Promise<Replicated | null>;
  /**
   * Resolves once every subscriber's connection has been sent `message`, just published on
   * `channel` (or after REDIS_TIMEOUT_MS). A server writes its subscribers' copies in the same
   * pass as its answer to the publish, so its next answer comes only after them: each node is
   * asked once more. On a cluster the message is first published on every node as well, since
   * the copy a node sends on over the cluster bus arrives later. Failures are only logged: the
   * message published with the write still reaches every subscriber, a moment later.
   */
  deliver(channel: string, message: string): Promise<void>;
  /** Calls `listener` whenever the command connection becomes ready (first connect and every reconnect). */
  onReady(listener: () => void): void;
  /** Closes both connections (at shutdown); no reconnects after. */
  close(): Promise<void>;
}

/** Connects to Redis as `settings.mode` says; does not wait for the connection (see {@link SharedRedis}). */
export function connectRedis(settings: RedisSettings, logger: Logger, metrics: Metrics): SharedRedis {
  const commands = client(settings);
  // The subscriber subscribes again on every 'ready' itself (see invalidation.ts).
  const subscriber = client(settings, false);
  let connected = false;
  // A cluster client stays 'ready' while nodes die: its slot refreshes (every second) tell instead.
  const failing = new Set<RedisClient>();
  const report = () => metrics.redisUp(commands.status === 'ready' && subscriber.status === 'ready' && failing.size === 0);
  let closing = false;
  for (const connection of [commands, subscriber]) {
    // ioredis ends a connection for good when its connect attempt is cut short (in sentinel mode:
    // the failover detector firing while a sentinel is asked for the master); only close() may end one.
    connection.on('end', () => {
      if (closing) return;
      logger.warn('Redis connection ended by its client: connecting again');
      setTimeout(() => {
        if (!closing) connection.connect().catch(() => undefined);
      }, RECONNECT_AFTER_END_MS).unref();
    });
    connection.on('node error', () => failing.add(connection) && report());
    connection.on('refresh', () => failing.delete(connection) && report());
    connection.on('ready', report);
    connection.on('close', report);
    connection.on('end', report);
    // Connection errors repeat on every reconnect attempt: the state changes below are logged instead.
    connection.on('error', (error: Error) => logger.debug({ err: error.message }, 'Redis connection error'));
  }
  commands.on('ready', () => {
    connected = true;
    logger.info({ mode: settings.mode }, 'Redis connected: cache, invalidations, rate limit and single-use ids are shared');
  });
  commands.on('close', () => {
    if (connected) logger.warn('Redis connection lost: running in-process until it returns');
    connected = false;
  });
  // WAIT must end within the command's own bound, leaving it time to answer.
  const waitMs = Math.max(1, Math.floor(settings.timeoutMs / 2));

  const shared: SharedRedis = {
    mode: settings.mode,
    commands,
    subscriber,
    key: (name) => `${settings.keyPrefix}${name}`,
    tokenKey: (tokenHash, name) => `${settings.keyPrefix}{${tokenHash}}:${name}`,
    keyOf(kind, key) {
      const colon = key.indexOf(':');
      return shared.tokenKey(key.slice(0, colon), `${kind}:${key.slice(colon + 1)}`);
    },
    async attempt(operation, command, fallback) {
      try {
        return await within(command(commands), settings.timeoutMs);
      } catch (error) {
        metrics.redisError(operation);
        logger.debug({ operation, err: (error as Error).message }, 'Redis command failed; going on in-process');
        return fallback;
      }
    },
    async replicated(operation, queue) {
      const answer = await shared.attempt(
        operation,
        async (r) => {
          const pipeline = r.pipeline();
          queue(pipeline);
          if (settings.waitReplicas > 0) pipeline.wait(settings.waitReplicas, waitMs);
          const answers = (await pipeline.exec()) ?? [];
          const failed = answers.find(([error]) => error !== null);
          if (failed !== undefined) throw failed[0];
          return answers.map(([, result]) => result);
        },
        null,
      );
      if (answer === null) return null;
      const acknowledged = settings.waitReplicas > 0 ? Number(answer.pop()) : 0;
      const replicated = acknowledged >= settings.waitReplicas;
      if (!replicated) metrics.redisError('replicate');
      return { results: answer, replicated };
    },
    async deliver(channel, message) {
      const cluster = commands instanceof Cluster;
      const nodes = commands instanceof Cluster ? commands.nodes('all') : [commands];
      const settle = async (node: Redis) => {
        // A replica's connection is made on its first command (ioredis connects cluster nodes lazily).
        if (node.status === 'wait') await node.connect();
        if (cluster) await node.publish(channel, message);
        await node.ping();
      };
      await Promise.all(
        nodes.map((node) =>
          within(settle(node), settings.timeoutMs).catch((error: Error) =>
            logger.debug(
              { node: `${node.options.host}:${node.options.port}`, err: error.message },
              'Redis node did not confirm an invalidation',
            ),
          ),
        ),
      );
    },
    onReady: (listener) => commands.on('ready', listener),
    async close() {
      closing = true;
      await Promise.all([commands, subscriber].map(quit));
    },
  };
  return shared;
}

const RECONNECT_AFTER_END_MS = 200;

/** A client of `settings.mode`; the subscriber (`resubscribe` false) subscribes again itself. */
function client(settings: RedisSettings, resubscribe = true): RedisClient {
  const options: RedisOptions = {
    // A backstop that frees commands of a frozen Redis; `attempt` enforces REDIS_TIMEOUT_MS itself.
    commandTimeout: Math.max(1_000, settings.timeoutMs * 10),
    connectTimeout: 1_000,
    // Fail instead of queueing while disconnected: a queued command would only add latency.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectionName: 'viewneo-gateway',
    autoResubscribe: resubscribe,
    ...(settings.username !== null ? { username: settings.username } : {}),
    ...(settings.password !== null ? { password: settings.password } : {}),
    ...(settings.tls ? { tls: {} } : {}),
  };
  const retryStrategy = (attempt: number) => Math.min(attempt * 100, 1_000);
  switch (settings.mode) {
    case 'single':
      return new Redis(settings.url, { ...options, retryStrategy });
    case 'sentinel':
      return new Redis({
        ...options,
        retryStrategy,
        sentinels: settings.nodes.map(({ host, port }) => ({ host, port })),
        name: settings.sentinelName ?? '',
        db: settings.db,
        sentinelRetryStrategy: retryStrategy,
        // A sentinel that stops answering would otherwise hold the reconnect for ever: the next one is asked.
        sentinelCommandTimeout: options.commandTimeout,
        // Sentinels announce a new master at once (+switch-master) instead of on the next reconnect.
        failoverDetector: true,
        ...(settings.tls ? { enableTLSForSentinelMode: true, sentinelTLS: {} } : {}),
      });
    case 'cluster': {
      const { enableOfflineQueue, ...redisOptions } = options;
      return new Cluster(
        settings.nodes.map(({ host, port }) => ({ host, port })),
        {
          enableOfflineQueue,
          clusterRetryStrategy: retryStrategy,
          // A promoted replica is found when a command meets a dead node or a MOVED, and at the latest within a second.
          slotsRefreshInterval: 1_000,
          slotsRefreshTimeout: 1_000,
          retryDelayOnFailover: 100,
          redisOptions,
        },
      );
    }
  }
}

async function quit(connection: RedisClient): Promise<void> {
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
