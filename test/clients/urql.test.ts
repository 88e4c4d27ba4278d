// urql's core client with its defaults (cacheExchange, fetchExchange, queries over GET) against a
// gateway over the sandbox; fetchOptions only carry the token.
import { Client, cacheExchange, fetchExchange, gql } from '@urql/core';
import { describe, expect, it } from 'vitest';
import { ALICE, useHarness } from '../support/harness.js';
import { recordingFetch } from './recording-fetch.js';

const PLAYLISTS = gql`
  query UrqlPlaylists($first: Int) {
    playlists(first: $first) {
      totalCount
      edges {
        node {
          id
          name
        }
      }
    }
  }
`;

const RENAME = gql`
  mutation UrqlRename($id: ID!, $name: String!) {
    updatePlaylist(id: $id, input: { name: $name }) {
      id
      name
    }
  }
`;

const CSRF_HEADERS = ['x-graphql-yoga-csrf', 'graphql-require-preflight', 'apollo-require-preflight'];

describe('urql', () => {
  const h = useHarness();

  function client() {
    const recorder = recordingFetch();
    const urql = new Client({
      url: h.url,
      exchanges: [cacheExchange, fetchExchange],
      fetchOptions: { headers: { authorization: `Bearer ${ALICE}` } },
      fetch: recorder.fetch,
    });
    return { urql, exchanges: recorder.exchanges };
  }

  it('queries over GET without a CSRF header, and the answer is privately cacheable for a while', async () => {
    const { urql, exchanges } = client();
    const result = await urql.query(PLAYLISTS, { first: 3 }).toPromise();
    expect(result.error).toBeUndefined();
    expect(result.data.playlists.totalCount).toBe(20);
    expect(result.data.playlists.edges.map((e: any) => e.node.name)).toEqual([
      'Alice playlist 01',
      'Alice playlist 02',
      'Alice playlist 03',
    ]);

    expect(exchanges).toHaveLength(1);
    const [get] = exchanges;
    expect(get!.method).toBe('GET');
    expect(new URL(get!.url).searchParams.get('query')).toContain('UrqlPlaylists');
    for (const name of CSRF_HEADERS) expect(get!.requestHeaders.has(name)).toBe(false);
    expect(get!.status).toBe(200);
    const cacheControl = get!.responseHeaders.get('cache-control') ?? '';
    // A browser revalidates it with the ETag each time: urql's refetch after a mutation is never served stale.
    expect(cacheControl).toBe('private, no-cache');
    expect(get!.responseHeaders.get('vary')).toMatch(/Authorization/);
    expect(get!.responseHeaders.get('etag')).toMatch(/^W\/".+"$/);
  });

  it('answers a repeated query from its document cache, and refetches it after a mutation on a playlist', async () => {
    const { urql, exchanges } = client();
    const first = await urql.query(PLAYLISTS, { first: 2 }).toPromise();
    const second = first.data.playlists.edges[1].node;
    expect(second.name).toBe('Alice playlist 02');
    const again = await urql.query(PLAYLISTS, { first: 2 }).toPromise();
    expect(again.data).toEqual(first.data);
    expect(exchanges).toHaveLength(1);

    // The document cache drops every result holding a Playlist when a mutation answers one.
    const renamed = await urql.mutation(RENAME, { id: second.id, name: 'Renamed by urql' }).toPromise();
    expect(renamed.error).toBeUndefined();
    expect(renamed.data.updatePlaylist.name).toBe('Renamed by urql');
    expect(exchanges[1]!.method).toBe('POST');
    expect(exchanges[1]!.responseHeaders.get('cache-control')).toBe('no-store');

    const after = await urql.query(PLAYLISTS, { first: 2 }).toPromise();
    expect(after.data.playlists.edges[1].node.name).toBe('Renamed by urql');
    expect(exchanges.map((e) => e.method)).toEqual(['GET', 'POST', 'GET']);
  });
});
