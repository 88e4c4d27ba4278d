import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, BOB, useHarness } from '../support/harness.js';

const LIST = '{ playlists(first: 3) { edges { node { viewneoId name } } } }';

describe('cross-request cache', () => {
  let clock = 1_000_000; // lru-cache reads a start time of 0 as "no TTL"
  const h = useHarness({ CACHE_TTL_MS: '10000' }, { now: () => clock });
  afterEach(() => {
    h.sandbox.reset();
    clock += 1_000_000; // let every entry expire between tests
  });

  it('serves repeated reads of one token from the cache within the TTL', async () => {
    const first = await h.gql(LIST);
    expect(h.sandbox.requests).toHaveLength(1);
    clock += 9_000;
    const second = await h.gql(LIST);
    expect(second).toEqual(first);
    expect(h.sandbox.requests).toHaveLength(1);
  });

  it('reads upstream again once the TTL has passed', async () => {
    await h.gql(LIST);
    clock += 10_001;
    await h.gql(LIST);
    expect(h.sandbox.countRequests({ path: '/api/v1.0/playlist' })).toBe(2);
  });

  it("never serves one token's cached data to another token with the same ids", async () => {
    const alice = await h.gql('{ playlist(id: 1001) { name entries { viewneoId } } }', {}, ALICE);
    const bob = await h.gql('{ playlist(id: 1001) { name entries { viewneoId } } }', {}, BOB);
    expect(alice.data.playlist.name).toMatch(/^Alice/);
    expect(bob.data.playlist.name).toMatch(/^Bob/);
    expect(bob.data.playlist.entries).not.toEqual(alice.data.playlist.entries);
    // Bob's read went upstream with Bob's token, not to Alice's cache entry.
    const bobCalls = h.sandbox.requests.filter((r) => r.headers.authorization === `Bearer ${BOB}`);
    expect(bobCalls.map((r) => r.pathname).sort()).toEqual(['/api/v1.0/playlist/1001', '/api/v1.0/playlist/1001/playlistentry']);
  });

  it('caches a 404 so a missing object is not asked for again at once', async () => {
    const first = await h.gql('{ playlist(id: 99999) { name } }');
    expect(first).toEqual({ data: { playlist: null } });
    await h.gql('{ playlist(id: 99999) { name } }');
    expect(h.sandbox.countRequests({ path: '/api/v1.0/playlist/99999' })).toBe(1);
    clock += 2_001;
    await h.gql('{ playlist(id: 99999) { name } }');
    expect(h.sandbox.countRequests({ path: '/api/v1.0/playlist/99999' })).toBe(2);
  });

  it('does not cache errors', async () => {
    h.sandbox.injectFault({ path: '/api/v1.0/playlist', kind: 'status', status: 500, times: 1 });
    const failed = await h.gql(LIST);
    expect(failed.errors?.[0]?.extensions?.code).toBe('UPSTREAM_ERROR');
    const ok = await h.gql(LIST);
    expect(ok.errors).toBeUndefined();
    expect(ok.data.playlists.edges).toHaveLength(3);
  });

  it('coalesces concurrent identical requests of one token into one upstream call', async () => {
    h.sandbox.setLatency(100);
    const answers = await Promise.all(Array.from({ length: 10 }, () => h.gql(LIST)));
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]?.data.playlists.edges).toHaveLength(3);
    expect(h.sandbox.requests).toHaveLength(1);
  });

  it('costs each upstream resource one call for a burst of 100 identical deep queries', async () => {
    h.sandbox.setLatency(20);
    const q3 =
      '{ playlists(first: 100) { edges { node { name entries { content { __typename ... on MediaFile { name } ... on Playlist { name } } } } } } }';
    const answers = await Promise.all(Array.from({ length: 100 }, () => h.gql(q3)));
    expect(answers.every((a) => a.errors === undefined)).toBe(true);
    const perPath = new Map<string, number>();
    for (const r of h.sandbox.requests) perPath.set(r.path, (perPath.get(r.path) ?? 0) + 1);
    // The list, 20 entries reads and the media list's 4 pages: each once for all 100 queries.
    expect(perPath.size).toBe(1 + 20 + 4);
    expect([...perPath].filter(([, count]) => count > 1)).toEqual([]);
  });

  it('keeps concurrent requests of two tokens apart', async () => {
    h.sandbox.setLatency(50);
    const [alice, bob] = await Promise.all([h.gql(LIST, {}, ALICE), h.gql(LIST, {}, BOB)]);
    expect(alice.data.playlists.edges[0].node.name).toMatch(/^Alice/);
    expect(bob.data.playlists.edges[0].node.name).toMatch(/^Bob/);
    expect(h.sandbox.requests).toHaveLength(2);
  });
});
