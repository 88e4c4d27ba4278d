// The part of autocannon 8's API the benchmark uses (the package ships no types). Ambient: it
// types every `import autocannon from 'autocannon'` in the project.
declare module 'autocannon' {
  interface AutocannonRequest {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    setupRequest?: (request: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest;
  }

  interface AutocannonOptions {
    url: string;
    method?: string;
    connections?: number;
    /** Seconds; ignored when `amount` is set. */
    duration?: number;
    /** Requests to send in all, spread over the connections; the run ends when all are answered. */
    amount?: number;
    /** How often the run checks whether it is over, ms. */
    sampleInt?: number;
    headers?: Record<string, string>;
    body?: string;
    requests?: AutocannonRequest[];
    verifyBody?: (body: string) => boolean;
  }

  /** A summary of a histogram: latency in ms, requests and throughput per sample. */
  interface AutocannonHistogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    p50: number;
    p90: number;
    p99: number;
    [percentile: string]: number;
  }

  interface AutocannonResult {
    latency: AutocannonHistogram;
    requests: AutocannonHistogram;
    throughput: AutocannonHistogram;
    /** Seconds. */
    duration: number;
    errors: number;
    timeouts: number;
    mismatches: number;
    non2xx: number;
    '2xx': number;
  }

  interface AutocannonInstance {
    on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTimeMs: number) => void): void;
    /** Ends the run now (answers still in flight are dropped). */
    stop(): void;
  }

  function autocannon(options: AutocannonOptions, callback: (error: Error | null, result: AutocannonResult) => void): AutocannonInstance;
  /** Without a callback the instance is also a promise of the result. */
  function autocannon(options: AutocannonOptions): AutocannonInstance & PromiseLike<AutocannonResult>;
  export default autocannon;
}
