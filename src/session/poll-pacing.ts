import { BUDGET_WINDOW_MS, type BudgetSnapshot } from '../viewneo/transport/budget.js';

/** The share of its budget left below which a token's polls slow down: the user's own reads come first. */
const FULL_PACE_SHARE = 0.5;

/** What pacing reads of a token's budget. */
export type PollBudget = Pick<BudgetSnapshot, 'limit' | 'remaining' | 'resetAt'>;

/**
 * How long a poller of a token's playlist waits after its last poll (ms), at epoch ms `now`:
 * `intervalMs` while the token has at least half its budget left, or none is kept (`budget`
 * null). Below half, the wait stretches smoothly as the share left falls, `intervalMs` × 0.5 /
 * share (twice the interval at a quarter left, ten times at a twentieth), but never past the
 * budget's `resetAt` (when it is whole again); with nothing left, it lasts until `resetAt`
 * (a minute when `resetAt` cannot be read). Never shorter than `intervalMs`.
 */
export function pollDelayMs(intervalMs: number, budget: PollBudget | null, now: number): number {
  if (budget === null) return intervalMs;
  const share = budget.remaining / budget.limit;
  if (share >= FULL_PACE_SHARE) return intervalMs;
  const stretched = share > 0 ? (intervalMs * FULL_PACE_SHARE) / share : Number.POSITIVE_INFINITY;
  const untilReset = Date.parse(budget.resetAt) - now;
  // The budget is per minute: a minute from now, every call it counts has left it.
  return Math.max(intervalMs, Math.min(stretched, Number.isNaN(untilReset) ? BUDGET_WINDOW_MS : untilReset));
}

/** Upstream calls of one poll: the playlist and its entries. */
const CALLS_PER_POLL = 2;

/** The share of a token's per-minute budget that polling one playlist may take before the start-up log warns. */
const FAIR_SHARE = 0.25;

/**
 * The start-up warning when polling every `intervalMs` would spend more than a quarter of a
 * token's `ratePerMinute` calls (UPSTREAM_RATE_PER_MINUTE) on each playlist it subscribes to;
 * null when it would not, or no budget is kept (`ratePerMinute` 0).
 */
export function pollCostWarning(intervalMs: number, ratePerMinute: number): string | null {
  const perMinute = (CALLS_PER_POLL * BUDGET_WINDOW_MS) / intervalMs;
  if (ratePerMinute === 0 || perMinute <= ratePerMinute * FAIR_SHARE) return null;
  const fairMs = Math.ceil((CALLS_PER_POLL * BUDGET_WINDOW_MS) / (ratePerMinute * FAIR_SHARE));
  return (
    `LIVE_POLL_INTERVAL_MS=${intervalMs} spends ${Number(perMinute.toFixed(1))} calls a minute per subscribed playlist, ` +
    `more than a quarter of UPSTREAM_RATE_PER_MINUTE=${ratePerMinute}: polls will slow down as the budget runs low; ` +
    `LIVE_POLL_INTERVAL_MS=${fairMs} or more keeps within a quarter`
  );
}
