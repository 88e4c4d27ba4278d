import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, BOB, useHarness } from '../support/harness.js';

const Q3 = '{ playlists(first: 3) { edges { node { name entries { content { __typename ... on MediaFile { name } } } } } } }';

describe('per-token result cache', () => {
  let clock = 1_000_000;
  const h = useHarness({ CACHE_TTL_MS: '10000' }, { now: () => clock });
  const resultHits = async () => {
    const text = await (await fetch(new URL('/metrics', h.url))).text();
    return Number(/gateway_cache_events_total\{event="result_hit"\} (\d+)/.exec(text)?.[1] ?? 0);
  };
  afterEach(() => {
    h.sandbox.reset();
    clock += 1_000_000;
  });

  it('answers a repeated query of the same token without executing it again', async () => {
    const first = await h.gql(Q3);
    const before = await resultHits();
    const second = await h.gql(Q3);
    expect(second).toEqual(first);
    expect(await resultHits()).toBe(before + 1);
  });

  it('sends a cached result as the same bytes, in every response format', async () => {
    const post = async (accept: string) => {
      const response = await fetch(h.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${ALICE}` },
        body: JSON.stringify({ query: Q3 }),
      });
      return response.text();
    };
    const first = await post('application/graphql-response+json');
    const before = await resultHits();
    expect(await post('application/graphql-response+json')).toBe(first);
    expect(await post('application/json')).toBe(first);
    expect(await post('text/event-stream')).toContain(`data: ${first}`);
    expect(await resultHits()).toBe(before + 3);
  });

  it("never answers another token's query from it", async () => {
    const alice = await h.gql(Q3, {}, ALICE);
    const before = await resultHits();
    const bob = await h.gql(Q3, {}, BOB);
    expect(bob.data.playlists.edges[0].node.name).toMatch(/^Bob/);
    expect(bob).not.toEqual(alice);
    expect(await resultHits()).toBe(before);
  });

  it("forgets the token's results after its write", async () => {
    await h.gql(Q3);
    await h.gql('mutation { updatePlaylist(id: 1001, input: { name: "Renamed" }) { name } }');
    const after = await h.gql(Q3);
    expect(after.data.playlists.edges[0].node.name).toBe('Renamed');
  });

  it('keeps a result no longer than the upstream reads it was built from', async () => {
    await h.gql(Q3);
    h.sandbox.resetRequests();
    clock += 9_000;
    await h.gql(Q3);
    expect(h.sandbox.requests).toHaveLength(0);
    clock += 1_001;
    await h.gql(Q3);
    expect(h.sandbox.countRequests({ path: '/api/v1.0/playlist' })).toBe(1);
  });

  it('does not keep results with errors', async () => {
    h.sandbox.injectFault({ path: '/api/v1.0/mediafile/2001', kind: 'status', status: 500, times: 1 });
    const failed = await h.gql('{ a: mediaFile(id: 2001) { name } b: mediaFile(id: 2006) { name } }');
    expect(failed.errors).toHaveLength(1);
    const ok = await h.gql('{ a: mediaFile(id: 2001) { name } b: mediaFile(id: 2006) { name } }');
    expect(ok.errors).toBeUndefined();
  });

  it('does not keep results of operations that read nothing from viewneo', async () => {
    const a = await h.gql('query($r: String!) { authorizationUrl(redirectUri: $r) { state } }', { r: 'http://localhost:4000/callback' });
    const b = await h.gql('query($r: String!) { authorizationUrl(redirectUri: $r) { state } }', { r: 'http://localhost:4000/callback' });
    expect(a.data.authorizationUrl.state).not.toBe(b.data.authorizationUrl.state);
  });
});

describe('the result cache under a flood of one-off documents', () => {
  const h = useHarness({ CACHE_TTL_MS: '600000', RESULT_CACHE_MAX_ENTRIES: '16' });
  const hits = async () => {
    const text = await (await fetch(new URL('/metrics', h.url))).text();
    const count = (event: string) => Number(new RegExp(`gateway_cache_events_total\\{event="${event}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
    return count('result_hit') + count('result_replay');
  };

  it("keeps another token's repeated results while one token sends a new document per request", async () => {
    const bob = await h.gql(Q3, {}, BOB);
    expect(await h.gql(Q3, {}, BOB)).toEqual(bob);
    // Alice's documents, each sent once: more than the store holds.
    for (let i = 0; i < 40; i++) {
      const answer = await h.gql(`{ a${i}: playlists(first: 3) { edges { node { name } } } }`, {}, ALICE);
      expect(answer.errors).toBeUndefined();
    }
    const before = await hits();
    expect(await h.gql(Q3, {}, BOB)).toEqual(bob);
    expect(await hits()).toBe(before + 1);
  });

  it('answers the second of two identical requests from the cache, also right after a flood', async () => {
    for (let i = 0; i < 40; i++) await h.gql(`{ b${i}: playlists(first: 3) { edges { node { name } } } }`, {}, ALICE);
    const first = await h.gql(Q3, {}, ALICE);
    const before = await hits();
    expect(await h.gql(Q3, {}, ALICE)).toEqual(first);
    expect(await hits()).toBe(before + 1);
  });
});
