import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * What the cache reports: a read served from it (`shared_hit`: from the Redis level shared by
 * replicas), one that had to go upstream, a stale answer, an eviction, a reused query result.
 */
export type CacheEvent = 'hit' | 'shared_hit' | 'miss' | 'stale' | 'eviction' | 'result_hit' | 'result_replay';

/** The gateway's Prometheus metrics, on a registry of its own. Tokens never become label values. */
export interface Metrics {
  readonly registry: Registry;
  /** Records one GraphQL operation. */
  operation(name: string, type: string, seconds: number): void;
  /** Counts one error of a response by its `extensions.code`. */
  error(code: string): void;
  /** Marks an upstream call as started; call the result when it ends. */
  upstreamCall(method: string, resource: string): (status: number | 'error' | 'timeout') => void;
  cache(event: CacheEvent): void;
  /** Counts a Redis command that failed or timed out (the gateway went on in-process). */
  redisError(operation: string): void;
  /** Whether the Redis connections (REDIS_URL) are up. */
  redisUp(up: boolean): void;
  /** How many invalidated keys wait to be sent to Redis again (it failed, or did not replicate them). */
  redisPending(keys: number): void;
  /** Counts a call that waited for its token's upstream budget, or a 429 viewneo answered all the same. */
  budget(event: 'budget_wait' | 'throttled'): void;
  /** Counts upstream calls the planner saved by reading a list instead of objects one by one. */
  callsSaved(calls: number): void;
  /** Live updates: a subscription opened (+1) or ended (-1), a poller started or stopped, a poll made, an event pushed. */
  live(event: 'subscription' | 'poller', change: 1 | -1): void;
  livePoll(): void;
  liveEvent(): void;
}

const MAX_OPERATION_NAMES = 200;
const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Creates the metrics of one gateway (default Node.js process metrics included). */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const operations = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'Duration of executed GraphQL operations, by operation name and type.',
    labelNames: ['operation', 'type'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'graphql_errors_total',
    help: 'Errors in GraphQL responses, by extensions.code.',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const upstream = new Histogram({
    name: 'viewneo_upstream_duration_seconds',
    help: 'Duration of calls to viewneo, by method, resource (ids replaced by :id) and status.',
    labelNames: ['method', 'resource', 'status'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [registry],
  });
  // prom-client hashes a label set on every observation; a call's series is looked up once instead.
  const upstreamChildren = new Map<string, { observe(seconds: number): void }>();
  const upstreamSeries = (method: string, resource: string, status: number | string) => {
    const key = `${method} ${resource} ${status}`;
    let child = upstreamChildren.get(key);
    if (child === undefined) {
      child = upstream.labels({ method, resource, status: String(status) });
      // Resources are path templates and statuses few; the bound only guards against a surprise.
      if (upstreamChildren.size < 10_000) upstreamChildren.set(key, child);
    }
    return child;
  };
  const inFlight = new Gauge({ name: 'viewneo_upstream_in_flight', help: 'Calls to viewneo in flight.', registers: [registry] });
  const cache = new Counter({
    name: 'gateway_cache_events_total',
    help: 'Cross-request cache events: hit, shared_hit (from Redis), miss, stale (served after an upstream failure), eviction, result_hit (a whole query result reused), result_replay (a repeated identical request answered from it before GraphQL ran).',
    labelNames: ['event'] as const,
    registers: [registry],
  });
  const redisErrors = new Counter({
    name: 'gateway_redis_errors_total',
    help: 'Redis commands that failed or timed out, by operation; each fell back to in-process behaviour.',
    labelNames: ['operation'] as const,
    registers: [registry],
  });
  const redisUp = new Gauge({
    name: 'gateway_redis_up',
    help: '1 while the Redis connections (REDIS_URL) are up; 0 when they are down or REDIS_URL is unset.',
    registers: [registry],
  });
  const redisPending = new Gauge({
    name: 'gateway_redis_pending_invalidations',
    help: 'Invalidated keys this replica sends to Redis again: Redis failed, or too few replicas acknowledged them (REDIS_WAIT_REPLICAS).',
    registers: [registry],
  });
  const budgetWaits = new Counter({
    name: 'gateway_upstream_budget_waits_total',
    help: "Upstream calls that waited for their token's per-minute budget instead of running into viewneo's throttle.",
    registers: [registry],
  });
  const throttled = new Counter({
    name: 'viewneo_throttled_total',
    help: 'Answers 429 (rate limited) received from viewneo; the budget keeps this at 0 unless other clients share the token.',
    registers: [registry],
  });
  const saved = new Counter({
    name: 'gateway_upstream_calls_saved_total',
    help: 'Upstream calls saved by reading a list instead of its objects one by one.',
    registers: [registry],
  });
  const subscriptions = new Gauge({ name: 'gateway_subscriptions_active', help: 'Open GraphQL subscriptions.', registers: [registry] });
  const pollers = new Gauge({
    name: 'gateway_live_pollers',
    help: 'Pollers of subscribed playlists (one per token and playlist).',
    registers: [registry],
  });
  const polls = new Counter({
    name: 'gateway_live_polls_total',
    help: 'Reads of a subscribed playlist made to see changes made elsewhere.',
    registers: [registry],
  });
  const events = new Counter({ name: 'gateway_live_events_total', help: 'Events pushed to subscribers.', registers: [registry] });
  const names = new Set<string>();

  return {
    registry,
    operation(name, type, seconds) {
      // Operation names come from clients: bound their number so labels cannot grow without limit.
      const known = names.has(name) || (names.size < MAX_OPERATION_NAMES && names.add(name));
      operations.observe({ operation: known ? name : 'other', type }, seconds);
    },
    error: (code) => errors.inc({ code }),
    upstreamCall(method, resource) {
      inFlight.inc();
      const started = performance.now();
      return (status) => {
        inFlight.dec();
        upstreamSeries(method, resource, status).observe((performance.now() - started) / 1000);
      };
    },
    cache: (event) => cache.inc({ event }),
    redisError: (operation) => redisErrors.inc({ operation }),
    redisUp: (up) => redisUp.set(up ? 1 : 0),
    redisPending: (keys) => redisPending.set(keys),
    budget: (event) => (event === 'budget_wait' ? budgetWaits : throttled).inc(),
    callsSaved: (calls) => saved.inc(calls),
    live: (event, change) => (event === 'subscription' ? subscriptions : pollers).inc(change),
    livePoll: () => polls.inc(),
    liveEvent: () => events.inc(),
  };
}
