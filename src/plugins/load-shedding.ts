import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Plugin } from 'graphql-yoga';

/** Whether the process is too busy to take more work, judged from its event loop's delay. */
export interface LagMonitor {
  /** True while the last two samples' delays were past the threshold. */
  readonly overloaded: boolean;
  /** The last sample's 99th percentile delay, in ms. */
  readonly lagMs: number;
  stop(): void;
}

/**
 * Samples the event loop's delay (Node's histogram at 10 ms resolution) every `intervalMs`: the
 * process is overloaded while the last two samples' 99th percentiles are both over `thresholdMs`.
 * One stall alone (start-up, compiling a new document, a long GC) is not overload: it is over by
 * the time it is measured. A `thresholdMs` of 0 never reports overload and samples nothing.
 */
export function monitorLag(thresholdMs: number, intervalMs = 500): LagMonitor {
  const state = { overloaded: false, lagMs: 0 };
  if (thresholdMs <= 0) return { ...state, stop: () => {} };
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let previousOver = false;
  const timer = setInterval(() => {
    state.lagMs = histogram.percentile(99) / 1e6;
    const over = state.lagMs > thresholdMs;
    state.overloaded = over && previousOver;
    previousOver = over;
    histogram.reset();
  }, intervalMs);
  timer.unref();
  return {
    get overloaded() {
      return state.overloaded;
    },
    get lagMs() {
      return state.lagMs;
    },
    stop() {
      clearInterval(timer);
      histogram.disable();
    },
  };
}

/**
 * Sheds load instead of slowing everyone: while `lag` says the process is overloaded, a new
 * GraphQL request is answered at once with 503, `Retry-After: 1` and the code OVERLOADED, before
 * any work is done for it. Operations endpoints (`/healthz`, `/readyz`, `/metrics`) still answer.
 */
export function useLoadShedding(lag: LagMonitor, onShed?: () => void): Plugin {
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      if (!lag.overloaded || url.pathname !== '/graphql') return;
      onShed?.();
      const lagMs = Math.round(lag.lagMs);
      const body = {
        errors: [
          {
            message: `Expected an event loop delay of at most the threshold, got ${lagMs} ms: the gateway is overloaded, retry in a second`,
            extensions: { code: 'OVERLOADED', retryAfter: 1 },
          },
        ],
      };
      endResponse(
        new fetchAPI.Response(JSON.stringify(body), { status: 503, headers: { 'content-type': 'application/json', 'retry-after': '1' } }),
      );
    },
  };
}
