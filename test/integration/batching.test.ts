import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ALICE, type Harness, startHarness, useHarness } from '../support/harness.js';

const Q3 = /* GraphQL */ `
  {
    playlists(first: 100) {
      edges {
        node {
          name
          entries {
            content {
              __typename
              ... on MediaFile { name }
              ... on Playlist { name }
            }
          }
        }
      }
    }
  }
`;

/** Upstream paths requested since the last reset, with how often each was requested. */
function upstreamCalls(h: Harness): Map<string, number> {
  const calls = new Map<string, number>();
  for (const r of h.sandbox.requests) calls.set(`${r.method} ${r.path}`, (calls.get(`${r.method} ${r.path}`) ?? 0) + 1);
  return calls;
}

describe('batching and de-duplication within one request', () => {
  const h = useHarness({ CACHE_TTL_MS: '0' });
  beforeEach(() => h.sandbox.resetRequests());

  it('fetches each upstream resource at most once for playlists → entries → content', async () => {
    const answer = await h.gql(Q3);
    expect(answer.errors).toBeUndefined();
    const playlists = answer.data.playlists.edges.map((e: any) => e.node);
    expect(playlists).toHaveLength(20);

    const calls = upstreamCalls(h);
    for (const [call, count] of calls) expect({ call, count }).toEqual({ call, count: 1 });

    // The fewest calls: the list, one entries read per playlist, and the 50 distinct media files
    // through the media list (its 4 pages of 15) rather than one by one.
    const mediaNames = new Set<string>();
    for (const p of playlists) for (const e of p.entries) if (e.content?.__typename === 'MediaFile') mediaNames.add(e.content.name);
    expect(mediaNames.size).toBe(50);
    expect(h.sandbox.countRequests({ path: '/api/v1.0/playlist' })).toBe(1);
    expect(h.sandbox.countRequests({ path: /^\/api\/v1\.0\/playlist\/\d+\/playlistentry$/ })).toBe(20);
    expect(h.sandbox.countRequests({ path: '/api/v1.0/mediafile' })).toBe(4);
    expect(h.sandbox.countRequests({ path: /^\/api\/v1\.0\/mediafile\/\d+$/ })).toBe(0);
    // Nested playlists come from the list read: no by-id playlist call.
    expect(h.sandbox.countRequests({ path: /^\/api\/v1\.0\/playlist\/\d+$/ })).toBe(0);
    expect(h.sandbox.requests).toHaveLength(1 + 20 + 4);
  });

  it('reads again on the next request when the cross-request cache is off', async () => {
    await h.gql(Q3);
    const first = h.sandbox.requests.length;
    await h.gql(Q3);
    expect(h.sandbox.requests.length).toBe(2 * first);
  });

  it('dedupes identical reads within one request', async () => {
    const answer = await h.gql(`{
      a: playlist(id: "1001") { name }
      b: playlist(id: "UGxheWxpc3Q6MTAwMQ==") { name }
      c: playlist(id: "1001") { entries { viewneoId } }
      d: playlist(id: "1001") { entries { viewneoId } totalDuration }
    }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data.a.name).toBe(answer.data.b.name);
    expect(h.sandbox.countRequests({ path: '/api/v1.0/playlist/1001' })).toBe(1);
    expect(h.sandbox.countRequests({ path: '/api/v1.0/playlist/1001/playlistentry' })).toBe(1);
  });

  it('runs independent upstream reads in parallel', async () => {
    // One read hangs; the others must reach viewneo while it still hangs. (The five playlists
    // themselves come from one read of the list: cheaper than five by id.)
    const short = await startHarness({ CACHE_TTL_MS: '0', UPSTREAM_TIMEOUT_MS: '1500' }, { sandbox: h.sandbox });
    h.sandbox.injectFault({ path: '/api/v1.0/playlist/1001/playlistentry', kind: 'hang' });
    try {
      let answered = false;
      const pending = short
        .gql(`{ a: playlist(id: 1001) { entries { index } } b: playlist(id: 1002) { entries { index } }
          c: playlist(id: 1003) { entries { index } } d: playlist(id: 1004) { entries { index } }
          e: playlist(id: 1005) { name entries { index } } }`)
        .then((answer) => {
          answered = true;
          return answer;
        });
      const entryReads = () => h.sandbox.countRequests({ path: /^\/api\/v1\.0\/playlist\/\d+\/playlistentry$/ });
      await vi.waitFor(() => expect(entryReads()).toBe(5), { timeout: 1000, interval: 10 });
      expect(answered).toBe(false);
      const answer = await pending;
      expect(answer.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['a', 'entries'], 'UPSTREAM_TIMEOUT']]);
      expect(answer.data.e.name).toBe('Alice playlist 05');
    } finally {
      h.sandbox.clearFaults();
      await short.close();
    }
  });

  it("reads an entry's content while other playlists' entries are still loading", async () => {
    // One playlist's entries hang: the media files of the others must not wait for them.
    const short = await startHarness({ CACHE_TTL_MS: '0', UPSTREAM_TIMEOUT_MS: '1500' }, { sandbox: h.sandbox });
    h.sandbox.injectFault({ path: '/api/v1.0/playlist/1001/playlistentry', kind: 'hang' });
    try {
      let answered = false;
      const pending = short.gql(Q3).then((answer) => {
        answered = true;
        return answer;
      });
      // The media list's 4 pages answer every other playlist's content.
      const mediaListPages = () => h.sandbox.countRequests({ path: '/api/v1.0/mediafile' });
      await vi.waitFor(() => expect(mediaListPages()).toBe(4), { timeout: 1000, interval: 10 });
      expect(answered).toBe(false);
      const answer = await pending;
      expect(answer.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
        [['playlists', 'edges', 0, 'node', 'entries'], 'UPSTREAM_TIMEOUT'],
      ]);
    } finally {
      h.sandbox.clearFaults();
      await short.close();
    }
  });

  it('forwards the caller token and asks for JSON on every upstream call', async () => {
    await h.gql(Q3);
    expect(h.sandbox.requests.length).toBeGreaterThan(20);
    for (const r of h.sandbox.requests) {
      expect(r.headers.authorization).toBe(`Bearer ${ALICE}`);
      expect(r.headers.accept).toBe('application/json');
    }
  });
});
