import type { RequestListener } from 'node:http';
import { useDeferStream } from '@graphql-yoga/plugin-defer-stream';
import { createFetch } from '@whatwg-node/fetch';
import { createYoga, type YogaServerInstance, type YogaServerOptions } from 'graphql-yoga';
import { DocumentCache } from './cache/documents.js';
import type { Config } from './config.js';
import { type Context, createContext } from './context.js';
import { Replays, type ServerContext } from './http/replay.js';
import type { Metrics } from './observability/metrics.js';
import { useResponseCookies } from './plugins/cookies.js';
import { useCostLimits } from './plugins/cost.js';
import { useErrorCodes } from './plugins/error-codes.js';
import { useHttpCaching } from './plugins/http-caching.js';
import { useWholeForJsonClients } from './plugins/incremental.js';
import { useCompiledExecution } from './plugins/jit.js';
import { type LagMonitor, monitorLag, useLoadShedding } from './plugins/load-shedding.js';
import { useNewDocumentQueue } from './plugins/new-documents.js';
import { type Readiness, useObservability } from './plugins/observability.js';
import { useReadAhead } from './plugins/read-ahead.js';
import { useResponseSizeLimit } from './plugins/response-size.js';
import { useResultCache } from './plugins/result-cache.js';
import { securityPlugins } from './plugins/security.js';
import { useStaleReads } from './plugins/stale-reads.js';
import { useTrustedDocuments } from './plugins/trusted-documents.js';
import { useUpstreamBudget } from './plugins/upstream-budget.js';
import { schema, subgraphSchema } from './schema/index.js';
import { createServices, type GatewayOptions, type GatewayServices } from './services.js';

export type { GatewayOptions } from './services.js';

/** The Yoga server of the gateway, with its lifecycle. */
export type Gateway = YogaServerInstance<ServerContext, Context> & {
  /** Marks the gateway ready (listening) or not (shutting down) for `/readyz`. */
  setReady(ready: boolean): void;
  /** Ends every open subscription (at shutdown, so that their streams do not hold the server open); new ones are refused. */
  endSubscriptions(): void;
  /** Closes the upstream connection pool and the Redis connections; call after the server stopped accepting. */
  close(): Promise<void>;
  readonly metrics: Metrics;
  /** The Node request listener to serve: repeated identical requests answered from the result cache first, then Yoga. */
  readonly listener: RequestListener;
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
 * viewneo API at `config.viewneoBaseUrl`. It holds the cross-request caches; it does not
 * listen (see `server.ts`).
 */
export function createGateway(config: Config, options: GatewayOptions = {}): Gateway {
  return gatewayOf(createServices(config, options));
}

/** The gateway over already built services (the benchmark's naive peer swaps their `openSession`). */
export function gatewayOf(services: GatewayServices): Gateway {
  const readiness: Readiness = {
    ready: false,
    ...(services.config.readinessProbesUpstream ? { probe: () => services.client.reachable() } : {}),
  };
  const lag = monitorLag(services.config.loadShedLagMs);
  const { results } = services;
  const replays = results === null ? null : new Replays(services.config.resultCacheMaxEntries, services.metrics, results);
  const documents = new DocumentCache();
  const yoga = createYoga<ServerContext, Context>({
    ...yogaOptions(services, documents),
    plugins: plugins(services, documents, readiness, lag, replays),
  });
  return Object.assign(yoga, {
    listener: replays === null ? (yoga as RequestListener) : replays.listener((req, res, context) => yoga(req, res, context)),
    metrics: services.metrics,
    setReady: (ready: boolean) => {
      readiness.ready = ready;
    },
    endSubscriptions: () => services.live.close(),
    close: () => {
      lag.stop();
      return services.close();
    },
  });
}

/** Yoga's plugins, in the order they see a request. */
function plugins(
  { config, cache, results, metrics, logger, upstreamBudget, readAhead }: GatewayServices,
  documents: DocumentCache,
  readiness: Readiness,
  lag: LagMonitor,
  replays: Replays | null,
) {
  return [
    useObservability(metrics, readiness),
    // Before any work is done for a request: an overloaded process refuses new ones at once.
    useLoadShedding(lag),
    ...securityPlugins(config),
    ...(config.persistedDocuments ? [useTrustedDocuments(config.persistedDocuments, config.persistedDocumentsOnly)] : []),
    // After trusted documents, which put a named document's text in the request.
    useNewDocumentQueue(documents, { perToken: config.limits.newDocumentsPerToken, timeoutMs: config.requestTimeoutMs }),
    // After CSRF prevention, which refuses a cross-site form's text/plain POST before its type is judged.
    useErrorCodes(),
    useStaleReads(),
    useResponseCookies(),
    // The next three see every answer, a result cache hit too (the cache ends the others' onExecute),
    // in this order. A JSON client's @defer answer is made whole, so the result cache keeps it whole.
    useWholeForJsonClients(),
    // Bounds the answer, and makes the JSON that is sent and that the result cache keeps.
    useResponseSizeLimit(config.limits.responseBytes),
    // Tags the answers of GETs (a weak tag: the budget figures added below may differ).
    useHttpCaching(() => cache.clock(), config.httpCacheMaxAge),
    ...(results ? [useResultCache(cache, results, () => metrics.cache('result_hit'))] : []),
    // After the result cache, so that cached results hold no budget figures.
    useUpstreamBudget(upstreamBudget),
    // After the result cache: a cached answer costs nothing to send again.
    useCostLimits({
      maxCost: config.limits.cost,
      expensiveCost: config.limits.expensiveCost,
      expensivePerToken: config.limits.expensivePerToken,
    }),
    // After the result cache and the cost limits: an answer from the cache, or a refused operation, reads nothing.
    ...(readAhead ? [useReadAhead(readAhead)] : []),
    // @defer and @stream, over multipart/mixed and SSE (such documents run on Yoga's executor, not jit).
    useDeferStream(),
    // Last: the result cache answers before anything is executed.
    useCompiledExecution(logger),
    // Last of all in onResponse: it records the headers every other plugin set.
    ...(replays ? [replays.recorder()] : []),
  ];
}

/** Yoga's settings apart from the plugins: endpoint, context, logging, GraphiQL, CORS, request limits. */
function yogaOptions(services: GatewayServices, documents: DocumentCache): YogaServerOptions<ServerContext, Context> {
  const { config, logger } = services;
  return {
    // FEDERATION: the same endpoint is also a subgraph a router can compose and query.
    schema: config.federation ? subgraphSchema() : schema,
    graphqlEndpoint: '/graphql',
    // The fast path hashed the token of the requests it hands on already.
    context: ({ request, replay }) => createContext(services, request, replay),
    logging: {
      // Yoga says several debug lines per request: made only when they are written.
      debug: (...args) => {
        if (logger.isLevelEnabled('debug')) logger.debug(args.map(String).join(' '));
      },
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
    // Documents sent once do not evict the ones clients repeat (with their validation and compiled code).
    parserAndValidationCache: { documentCache: documents },
    // One operation per request: a batch would multiply the upstream load of one request.
    batching: false,
    // GraphQL over HTTP's persisted documents name theirs in the body (see trusted-documents.ts).
    extraParamNames: ['documentId'],
    // useBodyLimit (security.ts) bounds every POST by its required Content-Length, which Node's
    // HTTP parser holds the body to; Yoga's own limit would pipe each body through a stream
    // transform that costs more CPU than a small query's whole execution.
    maxRequestBodySize: false,
    // Multipart uploads are parsed within these limits: a larger file fails the request
    // instead of growing a buffer without bound.
    fetchAPI: createFetch({
      formDataLimits: { fileSize: config.maxUploadBytes, files: 1, fields: 10, fieldSize: 1024 * 1024 },
    }),
    // Self-contained GraphiQL (no CDN), so it also works on closed networks. Its bundle is large:
    // loaded on the first page view only, so servers without GraphiQL never hold it.
    renderGraphiQL: async (options) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options),
    landingPage: false,
  };
}
