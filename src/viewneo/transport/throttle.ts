import { setTimeout as sleep } from 'node:timers/promises';
import { LRUCache } from 'lru-cache';
import pLimit, { type LimitFunction } from 'p-limit';
import { hashToken } from '../../auth/token-hash.js';
import { type BudgetSnapshot, type LimitInForce, LocalBudget, type RateGate } from './budget.js';

/** Settings of the per-token upstream throttle. */
export interface ThrottleOptions {
  /** Upstream calls one token may have in flight at once, across all requests. */
  readonly concurrencyPerToken: number;
  /** Without a budget (perMinute 0): when viewneo says this few calls remain, calls of that token are spread out. */
  readonly lowRemaining: number;
  /** Calls one token may start per minute until viewneo's headers say otherwise; 0: no budget (an upstream without a per-user limit). */
  readonly perMinute: number;
  /** The operator's cap on a token's calls per minute, whatever viewneo announces (headroom for the user's other clients); null: none. */
  readonly cap?: number | null;
  /** The budget shared by all replicas (Redis); none: this process's own. */
  readonly shared?: RateGate;
  /** Told when a call waits for budget, and when viewneo answered 429 all the same (metrics). */
  readonly onEvent?: (event: 'budget_wait' | 'throttled') => void;
}

interface TokenState {
  readonly limit: LimitFunction;
  /** No call of this token starts before this time (epoch ms). */
  pausedUntil: number;
  /** The one call in flight of a token whose count viewneo has not told lately; the others wait for its answer. */
  scout: Promise<void> | null;
}

// What http.ts names calls without a token (OAuth, reachability): viewneo's per-user limit does not count them.
const TOKENLESS = hashToken('');

/**
 * Thrown by {@link UpstreamThrottle.run} when the token's pause or budget outlasts the caller's
 * deadline: `limit` is the budget's limit in force and whose it is, or null for a pause viewneo
 * asked for (a 429's `Retry-After`).
 */
export class ThrottledError extends Error {
  constructor(
    readonly retryAfterSeconds: number,
    readonly limit: LimitInForce | null,
  ) {
    super(`the token is paused for ${retryAfterSeconds} s`);
    this.name = 'ThrottledError';
  }
}

/**
 * Keeps each token within viewneo's per-user throttle instead of running into it: a per-minute
 * budget every call of the token spends before it goes out (in this process, and with a `shared`
 * gate across replicas; the limit is the one viewneo's `X-RateLimit-Limit` announces once it did,
 * capped by the operator's `cap`, and the count is corrected from `X-RateLimit-Remaining`), a bound
 * on the token's concurrent calls, and pauses learnt from `Retry-After` and from a low
 * `X-RateLimit-Remaining` (then calls are spaced at the sustainable rate).
 */
export class UpstreamThrottle {
  private readonly tokens = new LRUCache<string, TokenState>({ max: 10_000 });
  private readonly budget: LocalBudget | null;

  constructor(private readonly options: ThrottleOptions) {
    this.budget = options.perMinute > 0 ? new LocalBudget(options.perMinute, options.cap ?? null) : null;
  }

  /**
   * Runs `call` for the token when its pause is over, a slot is free and its budget has room;
   * fails if that is after `deadline`.
   */
  async run<T>(tokenHash: string, deadline: number, call: () => Promise<T>): Promise<T> {
    const state = this.state(tokenHash);
    return state.limit(async () => {
      const wait = state.pausedUntil - Date.now();
      if (wait > 0) {
        if (Date.now() + wait > deadline) throw new ThrottledError(Math.ceil(wait / 1000), null);
        await sleep(wait);
      }
      if (tokenHash === TOKENLESS) return call();
      const scouting = await this.spend(state, tokenHash, deadline);
      try {
        return await call();
      } finally {
        scouting?.();
      }
    });
  }

  /** What the token has left of its budget; null without a budget. */
  snapshot(tokenHash: string): BudgetSnapshot | null {
    return this.budget?.snapshot(tokenHash) ?? null;
  }

  /**
   * Waits until the token's budget has room for one more call and takes it, unless that is after
   * `deadline`. While viewneo has not told lately how many calls it counts for the token (other
   * clients may have spent them), one call goes first and the rest wait for its answer: a burst
   * must not run into a 429 that one answer's headers would have foretold. Answers the function
   * that ends the scouting, when this call is the scout.
   */
  private async spend(state: TokenState, tokenHash: string, deadline: number): Promise<(() => void) | null> {
    const budget = this.budget;
    if (budget === null) return null;
    for (;;) {
      if (state.scout !== null) {
        await state.scout;
        continue;
      }
      const wait = await this.take(budget, tokenHash);
      if (wait === 0) return budget.known(tokenHash) ? null : this.scoutFor(state);
      if (Date.now() + wait > deadline) throw new ThrottledError(Math.ceil(wait / 1000), budget.inForce(tokenHash));
      this.options.onEvent?.('budget_wait');
      await sleep(wait);
    }
  }

  private scoutFor(state: TokenState): () => void {
    let done = () => {};
    state.scout = new Promise<void>((resolve) => {
      done = resolve;
    });
    return () => {
      state.scout = null;
      done();
    };
  }

  private async take(budget: LocalBudget, tokenHash: string): Promise<number> {
    const shared = await this.options.shared?.take(
      tokenHash,
      budget.limit(tokenHash),
      budget.announced(tokenHash),
      this.options.cap ?? null,
    );
    if (shared === undefined || shared === null) return budget.take(tokenHash);
    if (shared.wait === 0) budget.record(tokenHash, shared.heard ? shared.limit : null);
    return shared.wait;
  }

  /** Learns from an answer's status and rate-limit headers. */
  observe(tokenHash: string, status: number, headers: { get(name: string): string | null }): void {
    if (status === 429) this.options.onEvent?.('throttled');
    const state = this.state(tokenHash);
    const limit = headerNumber(headers, 'x-ratelimit-limit');
    const remaining = headerNumber(headers, 'x-ratelimit-remaining');
    if (tokenHash !== TOKENLESS && this.budget !== null) {
      const used = this.budget.learn(tokenHash, limit, status === 429 ? 0 : remaining);
      if (used !== null || limit !== null) void this.options.shared?.correct(tokenHash, used, limit);
    }
    const retryAfter = headerNumber(headers, 'retry-after');
    if (retryAfter !== null && retryAfter > 0) {
      state.pausedUntil = Math.max(state.pausedUntil, Date.now() + retryAfter * 1000);
      return;
    }
    // Without a budget, the next best thing: when few calls remain, space them out.
    if (this.budget === null && remaining !== null && limit !== null && remaining <= this.options.lowRemaining && limit > 0) {
      // Laravel's limits are per minute: space the remaining calls at the sustained rate.
      state.pausedUntil = Math.max(state.pausedUntil, Date.now() + Math.ceil(60_000 / limit));
    }
  }

  private state(tokenHash: string): TokenState {
    let state = this.tokens.get(tokenHash);
    if (!state) {
      state = { limit: pLimit(this.options.concurrencyPerToken), pausedUntil: 0, scout: null };
      this.tokens.set(tokenHash, state);
    }
    return state;
  }
}

function headerNumber(headers: { get(name: string): string | null }, name: string): number | null {
  const raw = headers.get(name);
  if (raw === null || !/^\s*\d+\s*$/.test(raw)) return null;
  return Number(raw);
}
