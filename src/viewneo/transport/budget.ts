import { LRUCache } from 'lru-cache';

/** viewneo's limits are per minute (Laravel's throttle). */
export const BUDGET_WINDOW_MS = 60_000;

/** What a token has left of its upstream budget, as `extensions.upstreamBudget` reports it. */
export interface BudgetSnapshot {
  /** Calls the token may make in any minute. */
  readonly limit: number;
  /** Calls it may make right now without waiting. */
  readonly remaining: number;
  /** ISO-8601 instant by which every call counted now has left the window (then `remaining` is `limit`). */
  readonly resetAt: string;
}

/**
 * The per-minute budget of each token across replicas (Redis: src/redis/rate-gate.ts). Its
 * failures answer null: the caller then decides in-process.
 */
export interface RateGate {
  /** Takes one call from the token's budget of `limit`: 0 when taken, else the ms until one may free up; null when unknown. */
  take(tokenHash: string, limit: number): Promise<number | null>;
  /** Makes the token's window count at least `used` calls (what viewneo says it counted). */
  correct(tokenHash: string, used: number): Promise<void>;
}

interface TokenWindow {
  limit: number;
  /** When an answer last told what viewneo counts (epoch ms); 0: none in this window. */
  learnedAt: number;
  /** Start times (epoch ms) of the calls of the last minute, oldest first. */
  readonly calls: number[];
}

/**
 * Each token's budget of upstream calls in this process: at most `limit` calls start in any
 * 60 seconds (a sliding log, so any fixed window viewneo counts in holds no more either). The
 * limit is the configured one, or viewneo's `X-RateLimit-Limit` when that is lower; the count is
 * raised to what viewneo's `X-RateLimit-Remaining` says it counted (calls of other clients with
 * the same token, of other replicas).
 */
export class LocalBudget {
  private readonly tokens = new LRUCache<string, TokenWindow>({ max: 10_000, ttl: BUDGET_WINDOW_MS, updateAgeOnGet: false });

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The token's limit: the configured one, unless viewneo said it is lower. */
  limit(tokenHash: string): number {
    return this.tokens.get(tokenHash)?.limit ?? this.perMinute;
  }

  /** Takes one call: 0 when taken, else the ms until the oldest counted call leaves the window. */
  take(tokenHash: string): number {
    const window = this.window(tokenHash);
    if (window.calls.length < window.limit) {
      window.calls.push(this.now());
      return 0;
    }
    return Math.max(1, window.calls[0]! + BUDGET_WINDOW_MS - this.now());
  }

  /** Counts a call another gate (the shared one) let out. */
  record(tokenHash: string): void {
    this.window(tokenHash).calls.push(this.now());
  }

  /** Whether an answer of the last minute told what viewneo counts for the token (else its count may be anything). */
  known(tokenHash: string): boolean {
    const learnedAt = this.tokens.get(tokenHash)?.learnedAt ?? 0;
    return this.now() - learnedAt < BUDGET_WINDOW_MS;
  }

  /** Learns the limit and the count viewneo reported; answers the calls viewneo counted, when it said. */
  learn(tokenHash: string, limit: number | null, remaining: number | null): number | null {
    const window = this.window(tokenHash);
    window.learnedAt = this.now();
    // Never more than configured: the operator may keep headroom for the user's other clients.
    if (limit !== null && limit > 0) window.limit = Math.min(limit, this.perMinute);
    if (remaining === null) return null;
    const used = Math.max(0, window.limit - remaining);
    // Calls viewneo counted that this process did not make: counted as made now (the cautious guess).
    while (window.calls.length < used) window.calls.push(this.now());
    return used;
  }

  /** What the token has left now. */
  snapshot(tokenHash: string): BudgetSnapshot {
    const window = this.window(tokenHash);
    const newest = window.calls.at(-1);
    return {
      limit: window.limit,
      remaining: Math.max(0, window.limit - window.calls.length),
      resetAt: new Date(newest === undefined ? this.now() : newest + BUDGET_WINDOW_MS).toISOString(),
    };
  }

  /** The token's window with the calls that left it dropped. */
  private window(tokenHash: string): TokenWindow {
    let window = this.tokens.get(tokenHash);
    if (window === undefined) {
      window = { limit: this.perMinute, learnedAt: 0, calls: [] };
      this.tokens.set(tokenHash, window);
    } else {
      const oldest = this.now() - BUDGET_WINDOW_MS;
      let gone = 0;
      while (gone < window.calls.length && window.calls[gone]! <= oldest) gone++;
      if (gone > 0) window.calls.splice(0, gone);
      // Kept as long as it counts calls; set() again restarts its ttl.
      this.tokens.set(tokenHash, window);
    }
    return window;
  }
}
