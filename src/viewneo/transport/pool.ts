import { Agent, type Dispatcher } from 'undici';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import { Circuits } from './breaker.js';
import type { BudgetSnapshot, RateGate } from './budget.js';
import { createUpstreamHttp, splitUrl, type UpstreamFetch, type UpstreamHttpOptions, type UpstreamResponse } from './http.js';
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
    cap: config.upstreamRateCap,
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
 * The transport's HTTP client on undici's dispatcher itself: the pooled connections with neither
 * the WHATWG Request/Response machinery of `fetch` nor the body stream of `request`. The body is
 * gathered as it arrives, and headers are decoded only when asked for. Both layers cost measurable
 * CPU per call (`npm run bench:transport`).
 */
function pooledFetch(agent: Agent): UpstreamFetch {
  return (url, { method, headers, body, timeoutMs }) =>
    new Promise((resolve, reject) => {
      const { origin, target } = splitUrl(url);
      const exchange = new Exchange(resolve, reject, timeoutMs);
      agent.dispatch({ origin, path: target, method: method as Dispatcher.HttpMethod, headers, body: body ?? null }, exchange);
    });
}

/**
 * One exchange as undici's dispatcher drives it: answers the response at its headers, and its
 * body once complete. The timeout covers the whole exchange; past it the exchange is aborted and
 * fails with the `TimeoutError` the transport expects.
 */
class Exchange implements Dispatcher.DispatchHandler {
  private abort: ((reason: Error) => void) | null = null;
  private timedOut = false;
  private readonly timer: NodeJS.Timeout;
  private response: Answered | null = null;

  constructor(
    private readonly resolve: (response: UpstreamResponse) => void,
    private readonly reject: (error: unknown) => void,
    private readonly timeoutMs: number,
  ) {
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.abort?.(new Error('timed out'));
    }, timeoutMs);
  }

  onConnect(abort: (reason?: Error) => void): void {
    this.abort = abort;
    // Timed out while it waited for a connection.
    if (this.timedOut) abort(new Error('timed out'));
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    this.response = new Answered(statusCode, rawHeaders, () => this.abort?.(new Error('cancelled')));
    this.resolve(this.response);
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.response?.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    clearTimeout(this.timer);
    this.response?.end(null);
  }

  onError(error: Error): void {
    clearTimeout(this.timer);
    const failure = this.timedOut ? new DOMException(`no answer within ${this.timeoutMs} ms`, 'TimeoutError') : error;
    if (this.response === null) this.reject(failure);
    else this.response.end(failure);
  }
}

/** A response whose headers arrived: its body settles when the exchange ends. */
class Answered implements UpstreamResponse {
  readonly chunks: Buffer[] = [];
  private ended = false;
  private settle!: { resolve: (text: string) => void; reject: (error: unknown) => void };
  private readonly body = new Promise<string>((resolve, reject) => {
    this.settle = { resolve, reject };
  });

  constructor(
    readonly status: number,
    private readonly rawHeaders: Buffer[],
    private readonly drop: () => void,
  ) {
    // A body nobody reads (a 503 before a retry) may fail unheard.
    this.body.catch(() => undefined);
  }

  /** Drops the rest of the body (before a retry). */
  cancel(): Promise<void> {
    if (!this.ended) this.drop();
    return Promise.resolve();
  }

  readonly headers = {
    get: (name: string): string | null => {
      const wanted = name.toLowerCase();
      let found: string | null = null;
      for (let i = 0; i + 1 < this.rawHeaders.length; i += 2) {
        const raw = this.rawHeaders[i]!;
        // Only names of the right length are decoded: most answers are asked for three headers they lack.
        if (raw.length !== wanted.length || raw.toString('latin1').toLowerCase() !== wanted) continue;
        const value = this.rawHeaders[i + 1]!.toString('latin1');
        found = found === null ? value : `${found}, ${value}`;
      }
      return found;
    },
  };

  /** Settles the body: its text, or the error the exchange ended with. */
  end(error: unknown): void {
    this.ended = true;
    if (error === null) this.settle.resolve(Buffer.concat(this.chunks).toString('utf8'));
    else this.settle.reject(error);
    this.chunks.length = 0;
  }

  text(): Promise<string> {
    return this.body;
  }
}
