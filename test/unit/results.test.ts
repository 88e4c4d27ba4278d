import { describe, expect, it } from 'vitest';
import { ResultStore } from '../../src/cache/results.js';
import type { UpstreamCache } from '../../src/cache/upstream-cache.js';

/** A store over a clock that stands still and a token generation that never moves. */
function store(maxEntries: number): ResultStore {
  const cache = { clock: () => 1_000, generation: () => 0 } as Pick<UpstreamCache, 'clock' | 'generation'>;
  return new ResultStore(cache as UpstreamCache, { maxEntries, maxBytes: 1_000_000 });
}

describe('ResultStore', () => {
  it('keeps a result asked for again through a flood of results asked for once', () => {
    const results = store(10);
    results.set('hot', '{"hot":1}', 60_000);
    expect(results.get('hot')?.json).toBe('{"hot":1}');
    for (let i = 0; i < 100; i++) results.set(`once ${i}`, `{"a":${i}}`, 60_000);
    expect(results.get('hot')?.json).toBe('{"hot":1}');
    expect(results.get('once 0')).toBeUndefined();
    expect(results.get('once 99')?.json).toBe('{"a":99}');
  });

  it.each([
    ['kept once, asked for once', ['get'], true],
    ['kept once, then a flood', ['flood', 'get'], false],
    ['kept and asked for, then a flood', ['get', 'flood', 'get'], true],
  ] as const)('answers a result %s as expected', (_name, steps, found) => {
    const results = store(10);
    results.set('q', '{}', 60_000);
    let last: unknown;
    for (const step of steps) {
      if (step === 'flood') for (let i = 0; i < 20; i++) results.set(`other ${i}`, '{}', 60_000);
      else last = results.get('q');
    }
    expect(last !== undefined).toBe(found);
  });

  it('keeps at most its bound of entries across both segments', () => {
    const results = store(10);
    for (let i = 0; i < 30; i++) {
      results.set(`k${i}`, '{}', 60_000);
      results.get(`k${i}`);
    }
    const kept = Array.from({ length: 30 }, (_, i) => results.get(`k${i}`)).filter((r) => r !== undefined);
    expect(kept.length).toBeLessThanOrEqual(10);
    expect(kept.length).toBeGreaterThan(0);
  });
});
