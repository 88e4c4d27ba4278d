import { describe, expect, it } from 'vitest';
import { LocalBudget } from '../../src/viewneo/transport/budget.js';

function budget(perMinute = 3, cap: number | null = null) {
  const clock = { now: 1_000_000 };
  return { clock, budget: new LocalBudget(perMinute, cap, () => clock.now) };
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
    ['assumes the configured limit until viewneo states one', null, null, { limit: 3, limitSource: 'ASSUMED', remaining: 3 }],
    ['adopts a lower limit viewneo states', { limit: 2, remaining: null }, null, { limit: 2, limitSource: 'VIEWNEO', remaining: 2 }],
    ['adopts a higher limit viewneo states', { limit: 120, remaining: null }, null, { limit: 120, limitSource: 'VIEWNEO', remaining: 120 }],
    ['counts against the stated limit', { limit: 5000, remaining: 4990 }, null, { limit: 5000, limitSource: 'VIEWNEO', remaining: 4990 }],
    ['keeps to the cap below a higher stated limit', { limit: 120, remaining: 100 }, 10, { limit: 10, limitSource: 'CAP', remaining: 0 }],
    ['keeps to a stated limit below the cap', { limit: 2, remaining: null }, 10, { limit: 2, limitSource: 'VIEWNEO', remaining: 2 }],
    ['keeps to the cap below the assumed limit', null, 2, { limit: 2, limitSource: 'CAP', remaining: 2 }],
    ['counts the calls viewneo counted that this process did not make', { limit: null, remaining: 1 }, null, { limit: 3, remaining: 1 }],
    ['counts a window viewneo says is spent as spent', { limit: 3, remaining: 0 }, null, { limit: 3, remaining: 0 }],
    ['never counts fewer calls than it made itself', { limit: 3, remaining: 3 }, null, { limit: 3, remaining: 3 }],
  ] as const)('%s', (_name, heard, cap, expected) => {
    const { budget: b } = budget(3, cap);
    if (heard !== null) b.learn('t', heard.limit, heard.remaining);
    expect(b.snapshot('t')).toMatchObject(expected);
  });

  it('lets a higher stated limit through past the assumed one', () => {
    const { budget: b } = budget(3);
    b.learn('t', 100, 99);
    const waits = Array.from({ length: 80 }, () => b.take('t'));
    expect(waits.filter((w) => w > 0)).toEqual([]);
    expect(b.snapshot('t')).toMatchObject({ limit: 100, remaining: 19 });
  });

  it('adopts a limit another replica heard from viewneo until it hears one itself', () => {
    const { budget: b } = budget(3);
    b.record('t', 50);
    expect(b.inForce('t')).toEqual({ limit: 50, limitSource: 'VIEWNEO', announced: null });
    expect(b.announced('t')).toBe(false);
    b.learn('t', 40, null);
    expect(b.inForce('t')).toEqual({ limit: 40, limitSource: 'VIEWNEO', announced: 40 });
    b.record('t', 50);
    expect(b.limit('t')).toBe(40);
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
    expect(b.snapshot('t')).toEqual({ limit: 3, limitSource: 'ASSUMED', remaining: 3, resetAt: new Date(clock.now).toISOString() });
    b.take('t');
    clock.now += 5_000;
    b.take('t');
    expect(b.snapshot('t')).toEqual({
      limit: 3,
      limitSource: 'ASSUMED',
      remaining: 1,
      resetAt: new Date(clock.now + 60_000).toISOString(),
    });
  });
});
