// Apollo Client 4 with its defaults (HttpLink, InMemoryCache) against a gateway over the sandbox.
import { ApolloClient, gql, HttpLink, InMemoryCache, type TypedDocumentNode } from '@apollo/client';
import { Defer20220824Handler } from '@apollo/client/incremental';
import { describe, expect, it } from 'vitest';
import { ALICE, useHarness } from '../support/harness.js';
import { recordingFetch } from './recording-fetch.js';

interface Row {
  __typename: 'Playlist';
  id: string;
  name: string;
}
type Playlists = { playlists: { edges: { node: Row }[] } };
type PlaylistById = { playlist: (Row & { viewneoId: number }) | null };
type Rename = { updatePlaylist: Row };

const PLAYLISTS: TypedDocumentNode<Playlists, Record<string, never>> = gql`
  query ApolloPlaylists {
    playlists(first: 3) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`;

const PLAYLIST: TypedDocumentNode<PlaylistById, { id: string }> = gql`
  query ApolloPlaylist($id: ID!) {
    playlist(id: $id) {
      id
      name
      viewneoId
    }
  }
`;

const RENAME: TypedDocumentNode<Rename, { id: string; name: string }> = gql`
  mutation ApolloRename($id: ID!, $name: String!) {
    updatePlaylist(id: $id, input: { name: $name }) {
      id
      name
    }
  }
`;

const DEFERRED = gql`
  query ApolloDeferred($id: ID!) {
    playlist(id: $id) {
      id
      name
      ... @defer(label: "entries") {
        entries {
          id
          index
          duration
        }
      }
    }
  }
`;

describe('Apollo Client', () => {
  const h = useHarness();

  function client() {
    const recorder = recordingFetch();
    const apollo = new ApolloClient({
      link: new HttpLink({ uri: h.url, headers: { authorization: `Bearer ${ALICE}` }, fetch: recorder.fetch }),
      cache: new InMemoryCache(),
      incrementalHandler: new Defer20220824Handler(),
    });
    return { apollo, exchanges: recorder.exchanges };
  }

  it('keeps one normalised cache entry for a playlist that two queries read by its global id', async () => {
    const { apollo } = client();
    const list = await apollo.query({ query: PLAYLISTS });
    const first = list.data!.playlists.edges[0]!.node;
    expect(first).toMatchObject({ __typename: 'Playlist', name: 'Alice playlist 01' });
    h.sandbox.resetRequests();
    const one = await apollo.query({ query: PLAYLIST, variables: { id: first.id } });
    // The gateway answers it from the list it cached for the first query.
    expect(h.sandbox.countRequests()).toBe(0);
    expect(one.data?.playlist).toMatchObject({ id: first.id, name: 'Alice playlist 01' });

    const key = apollo.cache.identify({ __typename: 'Playlist', id: first.id });
    expect(key).toBe(`Playlist:${first.id}`);
    const stored = apollo.cache.extract() as Record<string, any>;
    // Both queries point at the same entry, which holds the fields of both (viewneoId only the second asked for).
    expect(stored.ROOT_QUERY[`playlist({"id":"${first.id}"})`]).toEqual({ __ref: key });
    expect(stored.ROOT_QUERY['playlists({"first":3})'].edges[0].node).toEqual({ __ref: key });
    expect(stored[key!]).toEqual({ __typename: 'Playlist', id: first.id, name: 'Alice playlist 01', viewneoId: 1001 });
    expect(Object.keys(stored).filter((k) => k.startsWith('Playlist:'))).toHaveLength(3);
  });

  it("updates a query it read before from a mutation's answer, without refetching it", async () => {
    const { apollo, exchanges } = client();
    const watched = apollo.watchQuery({ query: PLAYLISTS });
    const seen: Row[] = [];
    const names = () => seen.map((row) => row.name);
    const subscription = watched.subscribe((result) => {
      if (result.dataState === 'complete') seen.push(result.data.playlists.edges[1]!.node);
    });
    try {
      await expect.poll(names).toEqual(['Alice playlist 02']);
      const second = seen[0]!;
      h.sandbox.resetRequests();
      const before = exchanges.length;

      const renamed = await apollo.mutate({ mutation: RENAME, variables: { id: second.id, name: 'Renamed by Apollo' } });
      expect(renamed.data?.updatePlaylist).toMatchObject({ id: second.id, name: 'Renamed by Apollo' });

      await expect.poll(names).toEqual(['Alice playlist 02', 'Renamed by Apollo']);
      // One request to the gateway (the mutation), one write upstream, and no read of the list again.
      expect(exchanges.slice(before).map((e) => e.method)).toEqual(['POST']);
      expect(h.sandbox.countRequests({ method: 'PUT' })).toBe(1);
      expect(h.sandbox.countRequests({ method: 'GET', path: '/api/v1.0/playlist' })).toBe(0);
      // And a cache-first read of the list is answered from the cache.
      const again = await apollo.query({ query: PLAYLISTS });
      expect(again.data?.playlists.edges[1]?.node.name).toBe('Renamed by Apollo');
      expect(exchanges.length).toBe(before + 1);
    } finally {
      subscription.unsubscribe();
    }
  });

  it('receives a deferred fragment in a later part over multipart/mixed and ends with the whole data', async () => {
    const { apollo, exchanges } = client();
    const whole = await h.gql('{ playlist(id: "1003") { name entries { index duration } } }');
    const expectedEntries = whole.data.playlist.entries;
    expect(expectedEntries.length).toBeGreaterThan(0);

    const results: { dataState: string; data: any; error?: unknown }[] = [];
    const subscription = apollo.watchQuery({ query: DEFERRED, variables: { id: '1003' } }).subscribe((result) => {
      results.push({ dataState: result.dataState, data: result.data, error: result.error });
    });
    try {
      const settled = () => results.some((r) => r.error !== undefined) || results.at(-1)?.dataState === 'complete';
      await expect.poll(settled, { timeout: 10_000 }).toBe(true);
    } finally {
      subscription.unsubscribe();
    }
    expect(results.filter((r) => r.error !== undefined)).toEqual([]);
    const streaming = results.filter((r) => r.dataState === 'streaming');
    expect(streaming.length).toBeGreaterThan(0);
    // The first part: the playlist without the deferred entries.
    expect(streaming[0]!.data.playlist).toMatchObject({ name: 'Alice playlist 03' });
    expect(streaming[0]!.data.playlist.entries).toBeUndefined();
    // The last: the deferred entries merged into the same playlist.
    const final = results.at(-1)!.data.playlist;
    expect(final.name).toBe('Alice playlist 03');
    expect(final.entries.map(({ index, duration }: any) => ({ index, duration }))).toEqual(expectedEntries);

    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]!.requestHeaders.get('accept')).toContain('multipart/mixed');
    expect(exchanges[0]!.responseHeaders.get('content-type')).toMatch(/^multipart\/mixed/);
  });
});
