import { beforeEach, describe, expect, it } from 'vitest';
import { ALICE, BOB, type Harness, useHarness } from '../support/harness.js';

// Q3 of the benchmark: the media files of the entries come from the media list, after the entries.
const dashboard = (first: number) => /* GraphQL */ `
  query Dashboard {
    playlists(first: ${first}) {
      edges { node { name entries { content { __typename ... on MediaFile { name } ... on Playlist { name } } } } }
    }
  }
`;

/** Where the first media-list and the first entries read came in this request, in arrival order. */
function order(h: Harness): { media: number; entries: number; calls: number } {
  const paths = h.sandbox.requests.map((r) => r.pathname);
  return {
    media: paths.indexOf('/api/v1.0/mediafile'),
    entries: paths.findIndex((p) => /\/playlistentry$/.test(p)),
    calls: paths.length,
  };
}

describe('reading ahead what the same query of the same token needed last time', () => {
  const h = useHarness({ CACHE_TTL_MS: '0' });
  beforeEach(() => h.sandbox.resetRequests());

  it('reads the media list with the first round, for the same answer and no more calls', async () => {
    const query = dashboard(20);
    await h.gql(query);
    h.sandbox.resetRequests();
    const learnt = await h.gql(query);
    const before = order(h);
    // The run that learns it: the media list after the entries, which name the media files.
    expect(before.media).toBeGreaterThan(before.entries);

    h.sandbox.resetRequests();
    const ahead = await h.gql(query);
    const after = order(h);
    expect(ahead.errors).toBeUndefined();
    expect(ahead.data).toEqual(learnt.data);
    expect(after.media).toBeGreaterThanOrEqual(0);
    expect(after.media).toBeLessThan(after.entries);
    expect(after.calls).toBe(before.calls);
  });

  it("reads nothing ahead for another token's run of the same query", async () => {
    const query = dashboard(19);
    await h.gql(query, undefined, ALICE);
    await h.gql(query, undefined, ALICE);
    h.sandbox.resetRequests();
    await h.gql(query, undefined, BOB);
    const bob = order(h);
    expect(bob.entries).toBeGreaterThanOrEqual(0);
    expect(bob.media === -1 || bob.media > bob.entries).toBe(true);
  });

  it('reads nothing ahead for another query, nor for the same one with other variables', async () => {
    const query = /* GraphQL */ `
      query Dashboard($first: Int!) {
        playlists(first: $first) { edges { node { entries { content { ... on MediaFile { name } } } } } }
      }
    `;
    await h.gql(query, { first: 18 });
    await h.gql(query, { first: 18 });
    h.sandbox.resetRequests();
    await h.gql(query, { first: 17 });
    expect(order(h).media).toBeGreaterThan(order(h).entries);
    h.sandbox.resetRequests();
    await h.gql(dashboard(18));
    expect(order(h).media).toBeGreaterThan(order(h).entries);
  });

  it('stops reading ahead once the list no longer saves calls', async () => {
    const query = dashboard(2);
    await h.gql(query);
    await h.gql(query);
    h.sandbox.resetRequests();
    await h.gql(query);
    expect(order(h).media).toBeLessThan(order(h).entries);
    // One media file per page: the list now costs more calls than the files it answers.
    h.sandbox.setListShape('mediafile', 'paginator', 1);
    try {
      // This run reads it ahead once more, and learns that it no longer saves calls.
      await h.gql(query);
      h.sandbox.resetRequests();
      const answer = await h.gql(query);
      expect(answer.errors).toBeUndefined();
      expect(order(h).media).toBe(-1);
      expect(h.sandbox.countRequests({ path: /^\/api\/v1\.0\/mediafile\/\d+$/ })).toBeGreaterThan(0);
    } finally {
      h.sandbox.setListShape('mediafile', 'paginator');
    }
  });
});
