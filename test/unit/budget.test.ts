import { describe, expect, it } from 'vitest';
import { LocalBudget } from '../../src/viewneo/transport/budget.js';

function budget(perMinute = 3) {
  const clock = { now: 1_000_000 };
  return { clock, budget: new LocalBudget(perMinute, () => clock.now) };
}

describe('LocalBudget', () => {
  it('lets `limit` calls start in any minute, then answers how long until the oldest leaves the window', () => {
    const { clock, budget: b } = budget(3);
    expect([b.take('t'), b.take('t'), b.take('t')]).toEqual([0, 0, 0]);
    clock.now += 10_000;
    expect(b.take('t')).toBe(50_000);
    clock.now += 50_000;
    expect(b.take('t')).toBe(0);
  });

  it.each([
    ['adopts a lower limit viewneo states', { limit: 2, remaining: null }, { limit: 2, remaining: 2 }],
    ['keeps to the configured limit when viewneo states a higher one', { limit: 120, remaining: null }, { limit: 3, remaining: 3 }],
    ['counts the calls viewneo counted that this process did not make', { limit: null, remaining: 1 }, { limit: 3, remaining: 1 }],
    ['counts a window viewneo says is spent as spent', { limit: 3, remaining: 0 }, { limit: 3, remaining: 0 }],
    ['never counts fewer calls than it made itself', { limit: 3, remaining: 3 }, { limit: 3, remaining: 3 }],
  ])('%s', (_name, heard, expected) => {
    const { budget: b } = budget(3);
    b.learn('t', heard.limit, heard.remaining);
    expect(b.snapshot('t')).toMatchObject(expected);
  });

  it('keeps each token apart', () => {
    const { budget: b } = budget(1);
    expect(b.take('a')).toBe(0);
    expect(b.take('a')).toBeGreaterThan(0);
    expect(b.take('b')).toBe(0);
  });

  it('knows a token only for a minute after an answer told its count', () => {
    const { clock, budget: b } = budget(3);
    expect(b.known('t')).toBe(false);
    b.learn('t', 3, 2);
    expect(b.known('t')).toBe(true);
    clock.now += 60_000;
    expect(b.known('t')).toBe(false);
  });

  it('reports when the last counted call leaves the window', () => {
    const { clock, budget: b } = budget(3);
    expect(b.snapshot('t')).toEqual({ limit: 3, remaining: 3, resetAt: new Date(clock.now).toISOString() });
    b.take('t');
    clock.now += 5_000;
    b.take('t');
    expect(b.snapshot('t')).toEqual({ limit: 3, remaining: 1, resetAt: new Date(clock.now + 60_000).toISOString() });
  });
});
