import { Agent, fetch as undiciFetch } from 'undici';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { CircuitBreaker } from './breaker.js';
import { createUpstreamHttp, type UpstreamHttpOptions } from './http.js';
import { UpstreamThrottle, type RateGate } from './throttle.js';

/** The upstream transport and the connection pool it owns. */
export interface Transport {
  readonly send: ReturnType<typeof createUpstreamHttp>;
  /** Closes the pooled connections (at shutdown). */
  close(): Promise<void>;
}

/**
 * The upstream transport of a gateway: a keep-alive connection pool with a connect
 * timeout, the circuit breaker of the viewneo host and the per-token throttle. `fetch`
 * replaces the pool (tests); `observe` is told about every call (metrics); `rate` is the
 * per-token budget shared by replicas.
 */
export function createTransport(
  config: Config,
  logger: Logger,
  { fetch, observe, rate }: { fetch?: typeof globalThis.fetch; observe?: UpstreamHttpOptions['observe']; rate?: RateGate } = {},
): Transport {
  const agent = new Agent({ connect: { timeout: config.upstreamConnectTimeoutMs }, keepAliveTimeout: 30_000 });
  const pooled = ((url: string, init: RequestInit) => undiciFetch(url, { ...(init as object), dispatcher: agent })) as unknown as typeof globalThis.fetch;
  const send = createUpstreamHttp({
    fetch: fetch ?? pooled,
    logger,
    timeoutMs: config.upstreamTimeoutMs,
    retries: config.upstreamRetries,
    retryAfterCapMs: 5_000,
    breaker: new CircuitBreaker({ windowMs: 10_000, minCalls: 20, failureRatio: 0.5, cooldownMs: config.circuitCooldownMs }),
    throttle: new UpstreamThrottle({ concurrencyPerToken: config.upstreamConcurrencyPerToken, lowRemaining: 2, ...(rate ? { rate } : {}) }),
    ...(observe ? { observe } : {}),
  });
  return { send, close: () => agent.close() };
}
