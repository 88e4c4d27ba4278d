import { setTimeout as sleep } from 'node:timers/promises';
import { LRUCache } from 'lru-cache';
import pLimit, { type LimitFunction } from 'p-limit';
import { hashToken } from '../../auth/token-hash.js';

/** A budget of upstream calls per token shared by replicas (Redis: src/redis/rate-gate.ts). */
export interface RateGate {
  /** Takes one call from the token's budget: 0 when taken, else the ms until one may free up. */
  take(tokenHash: string): Promise<number>;
}

/** Settings of the per-token upstream throttle. */
export interface ThrottleOptions {
  /** Upstream calls one token may have in flight at once, across all requests. */
  readonly concurrencyPerToken: number;
  /** When viewneo says this few calls remain, calls of that token are spread out. */
  readonly lowRemaining: number;
  /** The per-minute budget of each token across replicas; none: no such budget. */
  readonly rate?: RateGate;
}

interface TokenState {
  readonly limit: LimitFunction;
  /** No call of this token starts before this time (epoch ms). */
  pausedUntil: number;
}

// What http.ts names calls without a token (OAuth, reachability): viewneo's per-user limit does not count them.
const TOKENLESS = hashToken('');

/** Thrown by {@link UpstreamThrottle.run} when the token's pause or budget outlasts the caller's deadline. */
export class ThrottledError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`the token is paused for ${retryAfterSeconds} s`);
    this.name = 'ThrottledError';
  }
}

/**
 * Keeps each token under viewneo's per-user throttle instead of running into it: a bound on
 * the token's concurrent calls, pauses learnt from `Retry-After` and from a low
 * `X-RateLimit-Remaining` (then calls are spaced at the sustainable rate), and, with a
 * `rate` gate, a per-minute budget shared by all replicas.
 */
export class UpstreamThrottle {
  private readonly tokens = new LRUCache<string, TokenState>({ max: 10_000 });

  constructor(private readonly options: ThrottleOptions) {}

  /**
   * Runs `call` for the token when its pause is over, a slot is free and its budget has room;
   * fails if that is after `deadline`.
   */
  async run<T>(tokenHash: string, deadline: number, call: () => Promise<T>): Promise<T> {
    const state = this.state(tokenHash);
    return state.limit(async () => {
      const wait = state.pausedUntil - Date.now();
      if (wait > 0) {
        if (Date.now() + wait > deadline) throw new ThrottledError(Math.ceil(wait / 1000));
        await sleep(wait);
      }
      if (tokenHash !== TOKENLESS) await this.budget(tokenHash, deadline);
      return call();
    });
  }

  /** Waits until the token's budget has room for one more call, unless that is after `deadline`. */
  private async budget(tokenHash: string, deadline: number): Promise<void> {
    const rate = this.options.rate;
    if (rate === undefined) return;
    for (let wait = await rate.take(tokenHash); wait > 0; wait = await rate.take(tokenHash)) {
      if (Date.now() + wait > deadline) throw new ThrottledError(Math.ceil(wait / 1000));
      await sleep(wait);
    }
  }

  /** Learns from an answer's rate-limit headers. */
  observe(tokenHash: string, headers: { get(name: string): string | null }): void {
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
