import { describe, expect, it } from 'vitest';
import { hashToken } from '../../src/auth/token-hash.js';
import { type SharedCache, UpstreamCache } from '../../src/cache/upstream-cache.js';
import { gatewayError } from '../../src/errors.js';

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

/** A promise and its resolve (Node 20 has no Promise.withResolvers). */
function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}

describe('UpstreamCache.held and known', () => {
  const entriesOf = (resource: string) => /^playlist:(\d+):entries$/.exec(resource)?.[1];

  it("lists the token's resources held fresh or being loaded, never another token's or an expired one", async () => {
    const { c, advance } = cache();
    await c.get('t', 'playlist:1:entries', async () => []);
    await c.get('t', 'playlist:1', async () => ({}));
    await c.get('u', 'playlist:2:entries', async () => []);
    await c.get('t', 'playlist:3:entries', async () => [], { maxTtlMs: 10 });
    advance(11);
    const { promise, resolve } = deferred<never[]>();
    const loading = c.get('t', 'playlist:4:entries', () => promise);
    expect(c.held('t', entriesOf).sort()).toEqual(['1', '4']);
    resolve([]);
    await loading;
    expect(c.held('t', entriesOf).sort()).toEqual(['1', '4']);
  });

  it('answers what this level holds, else what the shared level holds, and leaves out what is being loaded', async () => {
    const peeked: string[][] = [];
    const shared: SharedCache = {
      read: async () => ({ hit: false, fence: '0' }),
      write: async () => {},
      peek: async (keys) => {
        peeked.push([...keys]);
        return new Map(keys.filter((key) => key.endsWith(':b')).map((key) => [key, 'shared b']));
      },
      invalidate: async () => {},
      follow: () => {},
    };
    const c = new UpstreamCache({ ttlMs: 1_000, maxEntries: 100, shared });
    await c.get('t', 'a', async () => 'local a');
    const { promise, resolve } = deferred<string>();
    const loading = c.get('t', 'c', () => promise);
    expect(await c.known('t', ['a', 'b', 'c', 'd'])).toEqual(
      new Map([
        ['a', 'local a'],
        ['b', 'shared b'],
      ]),
    );
    expect(peeked).toEqual([['t:b', 't:d']]);
    expect(c.replicated).toBe(true);
    resolve('c');
    await loading;
  });

  it('knows nothing and is not replicated when the cache is off', async () => {
    const c = new UpstreamCache({ ttlMs: 0, maxEntries: 100 });
    await c.get('t', 'a', async () => 'a');
    expect([await c.known('t', ['a']), c.held('t', (r) => r), c.replicated]).toEqual([new Map(), [], false]);
  });
});
