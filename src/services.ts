import { LocalSpentIds, type SpentIds } from './auth/spent-ids.js';
import { ReadAheadHints } from './cache/read-ahead.js';
import { ResultStore } from './cache/results.js';
import { UpstreamCache } from './cache/upstream-cache.js';
import type { Config, RedisSettings } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { connectRedis, type SharedRedis } from './redis/connection.js';
import { RedisBaselines } from './redis/live-baselines.js';
import { RedisPollLease } from './redis/poll-lease.js';
import { RedisRateGate } from './redis/rate-gate.js';
import { RedisCache, type RedisCacheOptions } from './redis/shared-cache.js';
import { RedisSpentIds } from './redis/spent-ids.js';
import { LiveUpdates } from './session/live.js';
import { pollCostWarning } from './session/poll-pacing.js';
import { createSession, type OpenSession } from './session/session.js';
import { createViewneoClient, type ViewneoClient } from './viewneo/client.js';
import type { BudgetSnapshot } from './viewneo/transport/budget.js';
import type { UpstreamFetch } from './viewneo/transport/http.js';
import { createTransport, type Transport } from './viewneo/transport/pool.js';

/** Things tests and embedders may swap; production uses the defaults. */
export interface GatewayOptions {
  readonly logger?: Logger;
  /** Replaces the pooled HTTP client of upstream calls. */
  readonly fetch?: UpstreamFetch;
  /** Clock of the cross-request cache's TTLs. */
  readonly now?: () => number;
}

/** The long-lived parts of a gateway that every request's context is built from. */
export interface GatewayServices {
  readonly config: Config;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly client: ViewneoClient;
  /** The cache of viewneo's answers, per token. */
  readonly cache: UpstreamCache;
  /** Single-use ids already spent: OAuth states, refresh cookies (shared by replicas with Redis). */
  readonly spentIds: SpentIds;
  /** What a token has left of its viewneo budget; null when none is kept. */
  readonly upstreamBudget: (tokenHash: string) => BudgetSnapshot | null;
  /** Live updates of playlists for subscriptions. */
  readonly live: LiveUpdates;
  /** Whole results of read-only operations per token (result cache and fast path); null when RESULT_CACHE_MAX_ENTRIES is 0. */
  readonly results: ResultStore | null;
  /** What each token's queries needed last time, to read it ahead; null when READ_AHEAD_MAX_ENTRIES is 0. */
  readonly readAhead: ReadAheadHints | null;
  /** Opens each request's viewneo session. */
  readonly openSession: OpenSession;
  /** Closes the upstream connection pool and the Redis connections. */
  close(): Promise<void>;
}

/**
 * Builds a gateway's services: metrics, Redis when configured (then replicas share the cache,
 * invalidations, rate limit and single-use ids), the upstream transport and client, and the
 * cache of viewneo's answers.
 */
export function createServices(config: Config, options: GatewayOptions = {}): GatewayServices {
  const logger = options.logger ?? createLogger(config.logLevel);
  if (config.gatewaySecretGenerated) {
    logger.warn('GATEWAY_SECRET is not set: OAuth state is signed with a random key that changes on every restart');
  }
  const pollCost = pollCostWarning(config.livePollIntervalMs, config.upstreamRatePerMinute);
  if (pollCost !== null) logger.warn(pollCost);
  const metrics = createMetrics();
  const redis = config.redis === null ? null : connectRedis(config.redis, logger, metrics);
  const transport = createUpstreamTransport(config, logger, metrics, redis, options.fetch);
  const client = createViewneoClient({ baseUrl: config.viewneoBaseUrl, logger, send: transport.send });
  // Invalidations (this replica's and, through Redis, the others') wake the subscribers.
  const onForget = (tokenHash: string, resources: readonly string[]) => live.notify(tokenHash, resources);
  const cache = createUpstreamCache(config, metrics, redis, options.now, onForget);
  const live = new LiveUpdates({
    pollIntervalMs: config.livePollIntervalMs,
    maxPerToken: config.maxSubscriptionsPerToken,
    client,
    cache,
    budget: transport.budget,
    logger,
    metrics,
    ...(redis ? { lease: new RedisPollLease(redis), baselines: new RedisBaselines(redis) } : {}),
  });
  return {
    config,
    logger,
    metrics,
    client,
    cache,
    live,
    spentIds: redis ? new RedisSpentIds(redis) : new LocalSpentIds(),
    upstreamBudget: transport.budget,
    results:
      config.resultCacheMaxEntries > 0
        ? new ResultStore(cache, { maxEntries: config.resultCacheMaxEntries, maxBytes: config.cacheMaxBytes })
        : null,
    readAhead: config.readAheadMaxEntries > 0 ? new ReadAheadHints(config.readAheadMaxEntries) : null,
    openSession: createSession,
    close: async () => {
      live.close();
      await transport.close();
      await redis?.close();
    },
  };
}

function createUpstreamTransport(
  config: Config,
  logger: Logger,
  metrics: Metrics,
  redis: SharedRedis | null,
  fetch: UpstreamFetch | undefined,
): Transport {
  return createTransport(config, logger, {
    fetch,
    observe: metrics.upstreamCall,
    onBudget: metrics.budget,
    ...(redis && config.upstreamRatePerMinute > 0 ? { rate: new RedisRateGate(redis) } : {}),
  });
}

function createUpstreamCache(
  config: Config,
  metrics: Metrics,
  redis: SharedRedis | null,
  now: (() => number) | undefined,
  onForget: (tokenHash: string, resources: readonly string[]) => void,
): UpstreamCache {
  return new UpstreamCache({
    ttlMs: config.cacheTtlMs,
    maxEntries: config.cacheMaxEntries,
    maxBytes: config.cacheMaxBytes,
    staleIfErrorMs: config.staleIfErrorMs,
    observe: metrics.cache,
    onForget,
    ...(now ? { now } : {}),
    ...(redis && config.redis ? { shared: new RedisCache(redis, redisCacheOptions(config, config.redis, metrics)) } : {}),
  });
}

/** A fence must outlive every read that began before its invalidation: reads end with their request. */
function redisCacheOptions(config: Config, redis: RedisSettings, metrics: Metrics): RedisCacheOptions {
  const fenceTtlMs = config.requestTimeoutMs + 60_000;
  // An answer stored before an invalidation lives CACHE_TTL_MS at most; a read before it, its request.
  return {
    maxValueBytes: redis.maxValueBytes,
    fenceTtlMs,
    resendForMs: Math.max(fenceTtlMs, config.cacheTtlMs),
    observePending: metrics.redisPending,
  };
}
