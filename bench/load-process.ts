// Child process: the load generator. Runs autocannon on the parent's `run` calls and wrk on its
// `wrk` calls, so that the generator never shares an event loop (or, when pinned, a CPU) with the
// server under test.
import autocannon from 'autocannon';
import { serveParent } from './ipc.js';
import { killWrk, runWrk, type WrkJob } from './wrk.js';

/**
 * One load run against one URL: POSTs `body` over `connections` keep-alive connections, for
 * `durationS` (requests still in flight then are dropped), or, with `amount`, until that many
 * requests are answered (so none is cut off; the run is stopped anyway after 3 × `durationS` + 10 s).
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

/**
 * A `run` call: its jobs start together (one autocannon each, e.g. one per replica of a peer)
 * and are measured as one load.
 */
export interface LoadPlan {
  readonly jobs: readonly LoadJob[];
}

/** What a load run measured, all jobs together. */
export interface LoadResult {
  /** Responses received (any status). */
  readonly completed: number;
  /** From the start of the run to its last response (of any job). */
  readonly durationS: number;
  /** Over every response of every job (each response's own latency, not a histogram merge). */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  /** Connection errors and timeouts. */
  readonly errors: number;
  readonly mismatches: number;
  /** CPU the generator used during the run, ms. */
  readonly cpuMs: number;
  /** Per job, in order: responses, and the time from the common start to its last response. */
  readonly jobs: readonly { completed: number; durationS: number }[];
}

/** One job's raw outcome: every response's latency, and when its last response came. */
interface JobOutcome {
  readonly latencies: number[];
  readonly lastResponse: number;
  readonly completed: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly mismatches: number;
}

function runJob(job: LoadJob, started: number): Promise<JobOutcome> {
  const latencies: number[] = [];
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
        resolve({
          latencies,
          lastResponse,
          completed: result['2xx'] + result.non2xx,
          non2xx: result.non2xx,
          errors: result.errors,
          mismatches: result.mismatches,
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

// autocannon's result only has histogram summaries, which cannot be merged into exact
// percentiles: every response's latency is recorded instead, and the jobs' lists pooled.
async function run({ jobs }: LoadPlan): Promise<LoadResult> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const outcomes = await Promise.all(jobs.map((job) => runJob(job, started)));
  const cpu = process.cpuUsage(cpuBefore);
  const latencies = outcomes.flatMap((o) => o.latencies).sort((a, b) => a - b);
  const sum = (pick: (o: JobOutcome) => number) => outcomes.reduce((total, o) => total + pick(o), 0);
  return {
    completed: sum((o) => o.completed),
    durationS: (Math.max(started, ...outcomes.map((o) => o.lastResponse)) - started) / 1000,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    non2xx: sum((o) => o.non2xx),
    errors: sum((o) => o.errors),
    mismatches: sum((o) => o.mismatches),
    cpuMs: (cpu.user + cpu.system) / 1000,
    jobs: outcomes.map((o) => ({ completed: o.completed, durationS: (o.lastResponse - started) / 1000 })),
  };
}

/** The `q` quantile of sorted values (nearest rank); NaN when empty. */
function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

serveParent(
  null,
  { run: (payload) => run(payload as unknown as LoadPlan), wrk: (payload) => runWrk(payload as unknown as WrkJob) },
  async () => killWrk(),
);
