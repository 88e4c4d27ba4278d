import { describe, expect, it } from 'vitest';
import { RetryBudget } from '../../src/viewneo/transport/retry-budget.js';

function budget(ratio: number, minPerSecond: number) {
  let now = 1_000_000;
  const b = new RetryBudget({ ratio, minPerSecond, windowMs: 10_000, now: () => now });
  const withdrawals = (n: number) => Array.from({ length: n }, () => b.withdraw()).filter(Boolean).length;
  return { b, withdrawals, advance: (ms: number) => (now += ms) };
}

describe('RetryBudget', () => {
  it.each([
    { ratio: 0.2, minPerSecond: 0, calls: 100, allowed: 20 },
    { ratio: 0.2, minPerSecond: 1, calls: 100, allowed: 30 },
    { ratio: 0, minPerSecond: 1, calls: 1000, allowed: 10 },
    { ratio: 0.5, minPerSecond: 0, calls: 3, allowed: 1 },
    { ratio: 0, minPerSecond: 0, calls: 50, allowed: 0 },
  ])('allows $allowed retries for $calls calls at ratio $ratio and $minPerSecond a second', ({ ratio, minPerSecond, calls, allowed }) => {
    const { b, withdrawals } = budget(ratio, minPerSecond);
    for (let i = 0; i < calls; i++) b.deposit();
    expect(withdrawals(calls)).toBe(allowed);
  });

  it('takes nothing when it refuses', () => {
    const { b, withdrawals } = budget(0.2, 0);
    for (let i = 0; i < 10; i++) b.deposit();
    expect(withdrawals(5)).toBe(2);
    for (let i = 0; i < 5; i++) b.deposit();
    expect(withdrawals(5)).toBe(1);
  });

  it('forgets calls and retries that left the window', () => {
    const { b, withdrawals, advance } = budget(0.2, 0);
    for (let i = 0; i < 10; i++) b.deposit();
    expect(withdrawals(5)).toBe(2);
    advance(10_000);
    expect(withdrawals(5)).toBe(0);
    for (let i = 0; i < 10; i++) b.deposit();
    expect(withdrawals(5)).toBe(2);
  });
});
