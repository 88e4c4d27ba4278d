import { EventEmitter } from 'node:events';
import { Agent, type Dispatcher, request } from 'undici';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import { Circuits } from './breaker.js';
import type { BudgetSnapshot, RateGate } from './budget.js';
import { createUpstreamHttp, type UpstreamFetch, type UpstreamHttpOptions } from './http.js';
import { RetryBudget } from './retry-budget.js';
import { type ThrottleOptions, UpstreamThrottle } from './throttle.js';

/** The upstream transport and the connection pool it owns. */
export interface Transport {
  readonly send: ReturnType<typeof createUpstreamHttp>;
  /** What a token has left of its upstream budget; null when no budget is kept (UPSTREAM_RATE_PER_MINUTE=0). */
  budget(tokenHash: string): BudgetSnapshot | null;
  /** Closes the pooled connections (at shutdown). */
  close(): Promise<void>;
}

/**
 * The upstream transport of a gateway: a keep-alive connection pool with a connect
 * timeout, the circuits of the viewneo host and of each token, the retry budget and the per-token throttle. `fetch`
 * replaces the pool (tests); `observe` is told about every call and `onBudget` about budget
 * waits and 429s (metrics); `rate` is the per-token budget shared by replicas.
 */
export function createTransport(
  config: Config,
  logger: Logger,
  {
    fetch,
    observe,
    onBudget,
    rate,
  }: { fetch?: UpstreamFetch; observe?: UpstreamHttpOptions['observe']; onBudget?: ThrottleOptions['onEvent']; rate?: RateGate } = {},
): Transport {
  const agent = new Agent({ connect: { timeout: config.upstreamConnectTimeoutMs }, keepAliveTimeout: 30_000 });
  const pooled = pooledFetch(agent);
  const throttle = new UpstreamThrottle({
    concurrencyPerToken: config.upstreamConcurrencyPerToken,
    lowRemaining: 2,
    perMinute: config.upstreamRatePerMinute,
    ...(rate ? { shared: rate } : {}),
    ...(onBudget ? { onEvent: onBudget } : {}),
  });
  const send = createUpstreamHttp({
    fetch: fetch ?? pooled,
    logger,
    timeoutMs: config.upstreamTimeoutMs,
    retries: config.upstreamRetries,
    retryAfterCapMs: 5_000,
    circuits: new Circuits({ windowMs: 10_000, minCalls: 20, failureRatio: 0.5, cooldownMs: config.circuitCooldownMs }),
    retryBudget: new RetryBudget({ ratio: config.retryBudget.ratio, minPerSecond: config.retryBudget.minPerSecond, windowMs: 10_000 }),
    throttle,
    ...(observe ? { observe } : {}),
  });
  return { send, budget: (tokenHash) => throttle.snapshot(tokenHash), close: () => agent.close() };
}

/**
 * The transport's HTTP client on undici's lower-level `request`: the pooled connections without
 * the WHATWG Request/Response machinery, and each call's timeout on a plain timer and an
 * EventEmitter (which undici accepts as a signal) rather than an AbortSignal: both cost
 * measurable CPU per call.
 */
function pooledFetch(agent: Agent): UpstreamFetch {
  return async (url, { method, headers, body, timeoutMs }) => {
    const abort = new EventEmitter();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.emit('abort');
    }, timeoutMs);
    // undici reports the abort as its own error; callers are promised a TimeoutError.
    const failed = (error: unknown): never => {
      clearTimeout(timer);
      throw timedOut ? new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError') : error;
    };
    const answer = await request(url, { method: method as Dispatcher.HttpMethod, headers, body, signal: abort, dispatcher: agent }).catch(
      failed,
    );
    const done = <T>(value: T): T => {
      clearTimeout(timer);
      return value;
    };
    return {
      status: answer.statusCode,
      headers: {
        get(name) {
          const value = answer.headers[name.toLowerCase()];
          return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
        },
      },
      text: () => answer.body.text().then(done, failed),
      cancel: () => answer.body.dump().then(() => done(undefined), failed),
    };
  };
}
