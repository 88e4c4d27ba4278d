import { createFetch } from '@whatwg-node/fetch';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { LocalSpentIds } from './auth/spent-ids.js';
import type { Config } from './config.js';
import { type Context, createContext, type GatewayServices } from './context.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { useResponseCookies } from './plugins/cookies.js';
import { useCompiledExecution } from './plugins/jit.js';
import { type Readiness, useObservability } from './plugins/observability.js';
import { useResultCache } from './plugins/result-cache.js';
import { securityPlugins } from './plugins/security.js';
import { useStaleReads } from './plugins/stale-reads.js';
import { schema } from './schema/index.js';
import { RedisCache } from './shared/l2-cache.js';
import { RedisRateGate } from './shared/rate-limit.js';
import { connectRedis } from './shared/redis.js';
import { RedisSpentIds } from './shared/spent.js';
import { ResponseCache } from './viewneo/cache.js';
import { createViewneoClient } from './viewneo/client.js';
import type { UpstreamFetch } from './viewneo/http.js';
import { createTransport } from './viewneo/transport.js';

/** Things tests and embedders may swap; production uses the defaults. */
export interface GatewayOptions {
  readonly logger?: Logger;
  /** Replaces the pooled HTTP client of upstream calls. */
  readonly fetch?: UpstreamFetch;
  /** Clock of the cross-request cache's TTLs. */
  readonly now?: () => number;
  /** Replaces the per-request loaders (the benchmark's naive peer uses this). */
  readonly createLoaders?: GatewayServices['createLoaders'];
}

/** The Yoga server of the gateway, with its lifecycle. */
export type Gateway = YogaServerInstance<Record<string, never>, Context> & {
  /** Marks the gateway ready (listening) or not (shutting down) for `/readyz`. */
  setReady(ready: boolean): void;
  /** Closes the upstream connection pool and the Redis connections; call after the server stopped accepting. */
  close(): Promise<void>;
  readonly metrics: Metrics;
};

const EXAMPLE_QUERY = `# Put your viewneo token in the Headers tab below:
#   { "Authorization": "Bearer <token>" }
query Playlists {
  playlists(first: 5) {
    totalCount
    edges {
      node {
        id
        name
        totalDuration
        entries {
          index
          duration
          playRule
          content {
            __typename
            ... on MediaFile { name kind status }
            ... on Playlist { name }
          }
        }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;

/**
 * Builds the gateway: a Yoga instance serving `/graphql` (GraphiQL in browsers) over the
 * viewneo API at `config.viewneoBaseUrl`. It holds the cross-request cache; it does not
 * listen (see `server.ts`).
 */
export function createGateway(config: Config, options: GatewayOptions = {}): Gateway {
  const logger = options.logger ?? createLogger(config.logLevel);
  if (config.gatewaySecretGenerated) {
    logger.warn('GATEWAY_SECRET is not set: OAuth state is signed with a random key that changes on every restart');
  }
  const metrics = createMetrics();
  // With REDIS_URL, replicas share the cache, invalidations, rate limit and single-use ids.
  const redis = config.redis === null ? null : connectRedis(config.redis, logger, metrics);
  const transport = createTransport(config, logger, {
    fetch: options.fetch,
    observe: metrics.upstreamCall,
    ...(redis && config.upstreamRatePerMinute > 0 ? { rate: new RedisRateGate(redis, config.upstreamRatePerMinute) } : {}),
  });
  const client = createViewneoClient({ baseUrl: config.viewneoBaseUrl, logger, send: transport.send });
  const readiness: Readiness = {
    ready: false,
    ...(config.readinessProbesUpstream ? { probe: () => client.reachable() } : {}),
  };
  const services: GatewayServices = {
    config,
    logger,
    spentIds: redis ? new RedisSpentIds(redis) : new LocalSpentIds(),
    ...(options.createLoaders ? { createLoaders: options.createLoaders } : {}),
    client,
    cache: new ResponseCache({
      ttlMs: config.cacheTtlMs,
      maxEntries: config.cacheMaxEntries,
      maxBytes: config.cacheMaxBytes,
      staleIfErrorMs: config.staleIfErrorMs,
      observe: metrics.cache,
      ...(options.now ? { now: options.now } : {}),
      // A fence must outlive every read that began before its invalidation: reads end with their request.
      ...(redis && config.redis
        ? { shared: new RedisCache(redis, { maxValueBytes: config.redis.maxValueBytes, fenceTtlMs: config.requestTimeoutMs + 60_000 }) }
        : {}),
    }),
  };
  const yoga = createYoga<Record<string, never>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    context: ({ request }) => createContext(services, request),
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(' ')),
      info: (...args) => logger.info(args.map(String).join(' ')),
      warn: (...args) => logger.warn(args.map(String).join(' ')),
      error: (...args) => logger.error({ err: args[0] }, 'GraphQL request failed'),
    },
    graphiql: config.graphiql && {
      title: 'viewneo gateway',
      defaultQuery: EXAMPLE_QUERY,
      headers: JSON.stringify({ Authorization: 'Bearer <your viewneo token>' }, null, 2),
    },
    cors: config.corsOrigins.length > 0 ? { origin: [...config.corsOrigins], credentials: true, maxAge: 600 } : false,
    // One operation per request: a batch would multiply the upstream load of one request.
    batching: false,
    // useBodyLimit (security.ts) bounds every POST by its required Content-Length, which Node's
    // HTTP parser holds the body to; Yoga's own limit would pipe each body through a stream
    // transform that costs more CPU than a small query's whole execution.
    maxRequestBodySize: false,
    plugins: [
      useObservability(metrics, readiness),
      ...securityPlugins(config),
      useStaleReads(),
      useResponseCookies(),
      ...(config.resultCacheMaxEntries > 0
        ? [
            useResultCache(services.cache, {
              maxEntries: config.resultCacheMaxEntries,
              maxBytes: config.cacheMaxBytes,
              onHit: () => metrics.cache('result_hit'),
            }),
          ]
        : []),
      // Last: the result cache answers before anything is executed.
      ...useCompiledExecution(logger),
    ],
    // Multipart uploads are parsed within these limits: a larger file fails the request
    // instead of growing a buffer without bound.
    fetchAPI: createFetch({
      formDataLimits: { fileSize: config.maxUploadBytes, files: 1, fields: 10, fieldSize: 1024 * 1024 },
    }),
    // Self-contained GraphiQL (no CDN), so it also works on closed networks. Its bundle is large:
    // loaded on the first page view only, so servers without GraphiQL never hold it.
    renderGraphiQL: async (options) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options),
    landingPage: false,
  });
  return Object.assign(yoga, {
    metrics,
    setReady: (ready: boolean) => {
      readiness.ready = ready;
    },
    close: async () => {
      await transport.close();
      await redis?.close();
    },
  });
}
