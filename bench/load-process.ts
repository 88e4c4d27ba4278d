// Child process: the load generator. Runs autocannon on the parent's `run` calls, so that the
// generator never shares an event loop (or, when pinned, a CPU) with the server under test.
import autocannon from 'autocannon';
import { serveParent } from './ipc.js';

/**
 * One load run: POSTs `body` to `url` over `connections` keep-alive connections, for `durationS`
 * (requests still in flight then are dropped), or, with `amount`, until that many requests are
 * answered (so none is cut off; the run is stopped anyway after 3 × `durationS` + 10 s).
 */
export interface LoadJob {
  readonly url: string;
  readonly body: string;
  /** Bearer tokens, used round-robin over all connections (one token: every request uses it). */
  readonly tokens: readonly string[];
  readonly connections: number;
  readonly durationS: number;
  readonly amount: number | null;
  /** A response body that differs from this counts as a mismatch; null: no check. */
  readonly expectBody: string | null;
}

/** What a load run measured. */
export interface LoadResult {
  /** Responses received (any status). */
  readonly completed: number;
  /** From the start of the run to its last response. */
  readonly durationS: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  /** Connection errors and timeouts. */
  readonly errors: number;
  readonly mismatches: number;
  /** CPU the generator used during the run, ms. */
  readonly cpuMs: number;
}

function run(job: LoadJob): Promise<LoadResult> {
  const latencies: number[] = [];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let lastResponse = started;
  const [first = ''] = job.tokens;
  let next = 0;
  const rotate = job.tokens.length > 1;
  let limit: NodeJS.Timeout | undefined;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: job.url,
        method: 'POST',
        connections: job.connections,
        ...(job.amount === null ? { duration: job.durationS } : { amount: job.amount }),
        sampleInt: 100,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${first}` },
        body: job.body,
        ...(rotate
          ? {
              requests: [
                {
                  setupRequest: (request) => ({
                    ...request,
                    headers: { ...request.headers, authorization: `Bearer ${job.tokens[next++ % job.tokens.length]}` },
                  }),
                },
              ],
            }
          : {}),
        ...(job.expectBody === null ? {} : { verifyBody: (body: string) => body === job.expectBody }),
      },
      (error, result) => {
        clearTimeout(limit);
        if (error) return reject(error);
        const cpu = process.cpuUsage(cpuBefore);
        latencies.sort((a, b) => a - b);
        resolve({
          completed: result['2xx'] + result.non2xx,
          durationS: (lastResponse - started) / 1000,
          p50Ms: percentile(latencies, 0.5),
          p99Ms: percentile(latencies, 0.99),
          non2xx: result.non2xx,
          errors: result.errors,
          mismatches: result.mismatches,
          cpuMs: (cpu.user + cpu.system) / 1000,
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, ms) => {
      latencies.push(ms);
      lastResponse = performance.now();
    });
    limit = setTimeout(() => instance.stop(), (3 * job.durationS + 10) * 1000);
  });
}

/** The `q` quantile of sorted values (nearest rank); NaN when empty. */
function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

serveParent(null, { run: (payload) => run(payload as unknown as LoadJob) });
