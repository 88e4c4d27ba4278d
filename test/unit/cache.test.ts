import { describe, expect, it } from 'vitest';
import { hashToken } from '../../src/auth/token-hash.js';
import { gatewayError } from '../../src/errors.js';
import { UpstreamCache } from '../../src/session/upstream-cache.js';

function cache(options: { ttlMs?: number; staleIfErrorMs?: number } = {}) {
  let now = 1_000_000;
  const c = new UpstreamCache({ ttlMs: 1_000, maxEntries: 100, staleIfErrorMs: 0, ...options, now: () => now });
  return { c, advance: (ms: number) => (now += ms) };
}

describe('hashToken', () => {
  it('never contains the token and differs per token', () => {
    expect(hashToken('secret-token')).not.toContain('secret-token');
    expect(hashToken('a')).not.toBe(hashToken('b'));
  });
});

describe('UpstreamCache', () => {
  it('keeps an entry no longer than the maximum lifetime given by the read (token expiry)', async () => {
    const { c, advance } = cache({ ttlMs: 60_000 });
    let loads = 0;
    const load = async () => ++loads;
    await c.get('t', 'r', load, { maxTtlMs: 500 });
    advance(499);
    expect(await c.get('t', 'r', load, { maxTtlMs: 500 })).toBe(1);
    advance(2);
    expect(await c.get('t', 'r', load, { maxTtlMs: 500 })).toBe(2);
  });

  it('serves an expired entry when viewneo fails within the stale-if-error window, and says so', async () => {
    const { c, advance } = cache({ staleIfErrorMs: 5_000 });
    await c.get('t', 'r', async () => 'fresh');
    advance(3_000);
    const ages: number[] = [];
    const value = await c.get('t', 'r', async () => Promise.reject(gatewayError('UPSTREAM_ERROR', 'down')), {
      onStale: (age) => ages.push(age),
    });
    expect(value).toBe('fresh');
    expect(ages).toEqual([2_000]);
  });

  it('does not serve stale data past the window', async () => {
    const { c, advance } = cache({ staleIfErrorMs: 5_000 });
    await c.get('t', 'r', async () => 'fresh');
    advance(6_001);
    await expect(c.get('t', 'r', async () => Promise.reject(gatewayError('UPSTREAM_TIMEOUT', 'slow')))).rejects.toThrow('slow');
  });

  it("never serves stale data for failures that are the caller's (a revoked token)", async () => {
    const { c, advance } = cache({ staleIfErrorMs: 5_000 });
    await c.get('t', 'r', async () => 'fresh');
    advance(1_500);
    await expect(c.get('t', 'r', async () => Promise.reject(gatewayError('UNAUTHENTICATED', 'revoked')))).rejects.toThrow('revoked');
  });

  it('keeps tokens apart', async () => {
    const { c } = cache();
    await c.get('alice', 'r', async () => 'alice data');
    expect(await c.get('bob', 'r', async () => 'bob data')).toBe('bob data');
  });
});

describe('UpstreamCache invalidated during a read', () => {
  for (const staleIfErrorMs of [0, 5_000]) {
    it(`reads again, after the write, for every reader of the aborted read (stale-if-error ${staleIfErrorMs} ms)`, async () => {
      const { c } = cache({ staleIfErrorMs });
      let version = 'before the write';
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      const slowLoad = async () => {
        const seen = version;
        await held;
        return seen;
      };
      const first = c.get('t', 'r', slowLoad);
      const joined = c.get('t', 'r', slowLoad);
      version = 'after the write';
      await c.invalidate('t', ['r']);
      release();
      expect(await Promise.all([first, joined])).toEqual(['after the write', 'after the write']);
    });
  }
});
