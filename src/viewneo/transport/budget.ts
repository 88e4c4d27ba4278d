import { LRUCache } from 'lru-cache';

/** viewneo's limits are per minute (Laravel's throttle). */
export const BUDGET_WINDOW_MS = 60_000;

/**
 * Whose limit is in force for a token: viewneo's announced `X-RateLimit-Limit`, the gateway's
 * assumed one (`UPSTREAM_RATE_PER_MINUTE`, until viewneo's first answer for the token says), or
 * the operator's cap (`UPSTREAM_RATE_CAP`, when it is below what viewneo announced or assumed).
 */
export type LimitSource = 'VIEWNEO' | 'ASSUMED' | 'CAP';

/** The limit in force for a token and whose it is. */
export interface LimitInForce {
  /** Calls the token may make in any minute. */
  readonly limit: number;
  readonly limitSource: LimitSource;
  /** viewneo's announced limit, when it announced one (it may be above a cap). */
  readonly announced: number | null;
}

/** What a token has left of its upstream budget, as `extensions.upstreamBudget` reports it. */
export interface BudgetSnapshot {
  /** Calls the token may make in any minute: the limit in force. */
  readonly limit: number;
  /** Whose limit that is. */
  readonly limitSource: LimitSource;
  /** Calls it may make right now without waiting. */
  readonly remaining: number;
  /** ISO-8601 instant by which every call counted now has left the window (then `remaining` is `limit`). */
  readonly resetAt: string;
}

/** What a {@link RateGate} answers for one call: the wait (0: taken), the limit it counted against, and whether that is one another replica heard from viewneo. */
export interface SharedTake {
  readonly wait: number;
  readonly limit: number;
  readonly heard: boolean;
}

/**
 * The per-minute budget of each token across replicas (Redis: src/redis/rate-gate.ts). Its
 * failures answer null: the caller then decides in-process.
 */
export interface RateGate {
  /**
   * Takes one call from the token's budget: of `limit` when `announced` (this replica learnt it
   * from viewneo), else of the limit another replica learnt, capped at `cap`, falling back to
   * `limit`. Answers the wait (0 when taken, else the ms until one may free up) and the limit it
   * counted against; null when unknown.
   */
  take(tokenHash: string, limit: number, announced: boolean, cap: number | null): Promise<SharedTake | null>;
  /** Makes the token's window count at least `used` calls (what viewneo says it counted), and remembers viewneo's `announced` limit. */
  correct(tokenHash: string, used: number | null, announced: number | null): Promise<void>;
}

interface TokenWindow {
  /** viewneo's announced limit (its last `X-RateLimit-Limit`); null until it said. */
  announced: number | null;
  /** A limit another replica learnt from viewneo (through the shared gate), while this one has not. */
  shared: number | null;
  /** When an answer last told what viewneo counts (epoch ms); 0: none in this window. */
  learnedAt: number;
  /** Start times (epoch ms) of the calls of the last minute, oldest first. */
  readonly calls: number[];
}

/**
 * Each token's budget of upstream calls in this process: at most the limit in force start in any
 * 60 seconds (a sliding log, so any fixed window viewneo counts in holds no more either). The
 * limit in force is viewneo's `X-RateLimit-Limit`, higher or lower than the assumed one, once an
 * answer for the token said it (the assumed `perMinute` until then), never above `cap`; the count
 * is raised to what viewneo's `X-RateLimit-Remaining` says it counted (calls of other clients with
 * the same token, of other replicas).
 */
export class LocalBudget {
  private readonly tokens = new LRUCache<string, TokenWindow>({ max: 10_000, ttl: BUDGET_WINDOW_MS, updateAgeOnGet: false });

  constructor(
    private readonly perMinute: number,
    private readonly cap: number | null = null,
    private readonly now: () => number = Date.now,
  ) {}

  /** The token's limit in force and whose it is. */
  inForce(tokenHash: string): LimitInForce {
    const window = this.tokens.get(tokenHash);
    const announced = window?.announced ?? null;
    const known = announced ?? window?.shared ?? null;
    const limit = known ?? this.perMinute;
    if (this.cap !== null && this.cap < limit) return { limit: this.cap, limitSource: 'CAP', announced };
    return { limit, limitSource: known === null ? 'ASSUMED' : 'VIEWNEO', announced };
  }

  /** The token's limit in force. */
  limit(tokenHash: string): number {
    return this.inForce(tokenHash).limit;
  }

  /** Whether viewneo announced the token's limit to this process (rather than it being assumed, or learnt by another replica). */
  announced(tokenHash: string): boolean {
    return (this.tokens.get(tokenHash)?.announced ?? null) !== null;
  }

  /** Takes one call: 0 when taken, else the ms until the oldest counted call leaves the window. */
  take(tokenHash: string): number {
    const window = this.window(tokenHash);
    if (window.calls.length < this.limit(tokenHash)) {
      window.calls.push(this.now());
      return 0;
    }
    return Math.max(1, window.calls[0]! + BUDGET_WINDOW_MS - this.now());
  }

  /** Counts a call another gate (the shared one) let out; `heard`: the limit another replica heard from viewneo, when it counted with one. */
  record(tokenHash: string, heard: number | null): void {
    const window = this.window(tokenHash);
    if (window.announced === null && heard !== null) window.shared = heard;
    window.calls.push(this.now());
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
    if (limit !== null && limit > 0) window.announced = limit;
    if (remaining === null) return null;
    // viewneo counts against its own limit, whatever this process keeps to.
    const used = Math.max(0, (window.announced ?? this.perMinute) - remaining);
    // Calls viewneo counted that this process did not make: counted as made now (the cautious guess).
    while (window.calls.length < used) window.calls.push(this.now());
    return used;
  }

  /** What the token has left now. */
  snapshot(tokenHash: string): BudgetSnapshot {
    const window = this.window(tokenHash);
    const { limit, limitSource } = this.inForce(tokenHash);
    const newest = window.calls.at(-1);
    return {
      limit,
      limitSource,
      remaining: Math.max(0, limit - window.calls.length),
      resetAt: new Date(newest === undefined ? this.now() : newest + BUDGET_WINDOW_MS).toISOString(),
    };
  }

  /** The token's window with the calls that left it dropped. */
  private window(tokenHash: string): TokenWindow {
    let window = this.tokens.get(tokenHash);
    if (window === undefined) {
      window = { announced: null, shared: null, learnedAt: 0, calls: [] };
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
