import { Agent, request, type Dispatcher, type FormData } from 'undici';
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
  const pooled = pooledFetch(agent);
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

/**
 * The subset of `fetch` the transport uses, on undici's lower-level `request`: the same pooled
 * connections without the WHATWG Request/Response machinery, which cost measurable CPU per call.
 */
function pooledFetch(agent: Agent): typeof globalThis.fetch {
  return (async (url: string, init: RequestInit) => {
    const answer = await request(url, {
      method: init.method as Dispatcher.HttpMethod,
      headers: init.headers as Record<string, string>,
      body: init.body as string | FormData | undefined,
      signal: init.signal ?? undefined,
      dispatcher: agent,
    });
    const header = (name: string) => {
      const value = answer.headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    };
    return {
      status: answer.statusCode,
      ok: answer.statusCode >= 200 && answer.statusCode < 300,
      headers: { get: header },
      text: () => answer.body.text(),
      body: { cancel: () => answer.body.dump() },
    } as unknown as Response;
  }) as typeof globalThis.fetch;
}
