import { setTimeout as sleep } from 'node:timers/promises';
import { LRUCache } from 'lru-cache';
import pLimit, { type LimitFunction } from 'p-limit';

/** Settings of the per-token upstream throttle. */
export interface ThrottleOptions {
  /** Upstream calls one token may have in flight at once, across all requests. */
  readonly concurrencyPerToken: number;
  /** When viewneo says this few calls remain, calls of that token are spread out. */
  readonly lowRemaining: number;
}

interface TokenState {
  readonly limit: LimitFunction;
  /** No call of this token starts before this time (epoch ms). */
  pausedUntil: number;
}

/** Thrown by {@link UpstreamThrottle.run} when the token's pause outlasts the caller's deadline. */
export class ThrottledError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`the token is paused for ${retryAfterSeconds} s`);
    this.name = 'ThrottledError';
  }
}

/**
 * Keeps each token under viewneo's per-user throttle instead of running into it: a bound on
 * the token's concurrent calls, and pauses learnt from `Retry-After` and from a low
 * `X-RateLimit-Remaining` (then calls are spaced at the sustainable rate).
 */
export class UpstreamThrottle {
  private readonly tokens = new LRUCache<string, TokenState>({ max: 10_000 });

  constructor(private readonly options: ThrottleOptions) {}

  /** Runs `call` for the token when its pause is over and a slot is free; fails if that is after `deadline`. */
  async run<T>(tokenHash: string, deadline: number, call: () => Promise<T>): Promise<T> {
    const state = this.state(tokenHash);
    return state.limit(async () => {
      const wait = state.pausedUntil - Date.now();
      if (wait > 0) {
        if (Date.now() + wait > deadline) throw new ThrottledError(Math.ceil(wait / 1000));
        await sleep(wait);
      }
      return call();
    });
  }

  /** Learns from an answer's rate-limit headers. */
  observe(tokenHash: string, headers: Headers): void {
    const state = this.state(tokenHash);
    const retryAfter = Number(headers.get('retry-after'));
    if (retryAfter > 0) {
      state.pausedUntil = Math.max(state.pausedUntil, Date.now() + retryAfter * 1000);
      return;
    }
    const remaining = Number(headers.get('x-ratelimit-remaining') ?? NaN);
    const limit = Number(headers.get('x-ratelimit-limit') ?? NaN);
    if (remaining <= this.options.lowRemaining && limit > 0) {
      // Laravel's limits are per minute: space the remaining calls at the sustained rate.
      state.pausedUntil = Math.max(state.pausedUntil, Date.now() + Math.ceil(60_000 / limit));
    }
  }

  private state(tokenHash: string): TokenState {
    let state = this.tokens.get(tokenHash);
    if (!state) {
      state = { limit: pLimit(this.options.concurrencyPerToken), pausedUntil: 0 };
      this.tokens.set(tokenHash, state);
    }
    return state;
  }
}
