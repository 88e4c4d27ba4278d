import { describe, expect, it } from 'vitest';
import { type PollBudget, pollCostWarning, pollDelayMs } from '../../src/session/poll-pacing.js';

const NOW = Date.parse('2025-03-01T12:00:00.000Z');
const INTERVAL = 1_000;
const at = (ms: number) => new Date(NOW + ms).toISOString();
const budget = (remaining: number, resetInMs = 30_000, limit = 60): PollBudget => ({ limit, remaining, resetAt: at(resetInMs) });

describe('pollDelayMs', () => {
  it.each([
    ['no budget kept', null, INTERVAL],
    ['the whole budget left', budget(60), INTERVAL],
    ['half of it left', budget(30), INTERVAL],
    ['just under half', budget(29), (INTERVAL * 0.5 * 60) / 29],
    ['a quarter left', budget(15), 2 * INTERVAL],
    ['a tenth left', budget(6), 5 * INTERVAL],
    ['a twentieth left', budget(3), 10 * INTERVAL],
    ['one call left, the budget whole again in 30 s', budget(1), 30 * INTERVAL],
    ['one call left, whole again in 20 s: no later than that', budget(1, 20_000), 20 * INTERVAL],
    ['a quarter left, whole again in 1.5 s', budget(15, 1_500), 1_500],
    ['a quarter left, whole again in 0.2 s: never sooner than the interval', budget(15, 200), INTERVAL],
    ['nothing left: until the budget is whole again', budget(0, 45_000), 45_000],
    ['nothing left, whole again in 0.2 s', budget(0, 200), INTERVAL],
    ['nothing left, resetAt already past', budget(0, -5_000), INTERVAL],
    ['nothing left, resetAt unreadable: a budget window', { limit: 60, remaining: 0, resetAt: 'soon' }, 60_000],
    ['a quarter of a limit of 8 left', budget(2, 30_000, 8), 2 * INTERVAL],
  ] as const)('waits the interval stretched to fit the budget: %s', (_case, snapshot, expected) => {
    expect(pollDelayMs(INTERVAL, snapshot, NOW)).toBeCloseTo(expected, 6);
  });

  it('stretches smoothly: never shorter as the share left falls, without a jump at half', () => {
    const delays = Array.from({ length: 61 }, (_, used) => pollDelayMs(INTERVAL, budget(60 - used, 60_000), NOW));
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]!);
    // From half to one call under half the wait grows by a thirtieth of the interval, not more.
    expect(delays[31]! - delays[30]!).toBeLessThan(INTERVAL / 25);
  });
});

describe('pollCostWarning', () => {
  it.each([
    [
      1_000,
      60,
      'LIVE_POLL_INTERVAL_MS=1000 spends 120 calls a minute per subscribed playlist, more than a quarter of UPSTREAM_RATE_PER_MINUTE=60',
    ],
    [7_000, 60, 'LIVE_POLL_INTERVAL_MS=7000 spends 17.1 calls a minute per subscribed playlist'],
    [8_000, 60, null],
    [10_000, 60, null],
    [1_000, 480, null],
    [
      1_000,
      479,
      'LIVE_POLL_INTERVAL_MS=1000 spends 120 calls a minute per subscribed playlist, more than a quarter of UPSTREAM_RATE_PER_MINUTE=479',
    ],
    [100, 0, null],
  ] as const)('at LIVE_POLL_INTERVAL_MS=%i and UPSTREAM_RATE_PER_MINUTE=%i warns %s', (intervalMs, rate, expected) => {
    const warning = pollCostWarning(intervalMs, rate);
    if (expected === null) expect(warning).toBeNull();
    else expect(warning).toContain(expected);
  });

  it('names the interval that keeps within a quarter', () => {
    expect(pollCostWarning(1_000, 60)).toMatch(/LIVE_POLL_INTERVAL_MS=8000 or more keeps within a quarter$/);
    expect(pollCostWarning(8_000, 60)).toBeNull();
  });
});
