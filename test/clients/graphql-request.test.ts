// graphql-request with its defaults (POST, JSON) against a gateway over the sandbox.
import { ClientError, GraphQLClient, gql } from 'graphql-request';
import { describe, expect, it } from 'vitest';
import { ALICE, useHarness } from '../support/harness.js';

describe('graphql-request', () => {
  const h = useHarness();
  const client = () => new GraphQLClient(h.url, { headers: { authorization: `Bearer ${ALICE}` } });

  /** The ClientError a request rejects with (the test fails when it resolves or rejects otherwise). */
  async function clientError(request: Promise<unknown>): Promise<ClientError> {
    const error = await request.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ClientError);
    return error as ClientError;
  }

  it('runs a query with variables', async () => {
    const data = await client().request<{ playlists: { totalCount: number; edges: { node: { name: string } }[] } }>(
      gql`
        query RequestPlaylists($search: String) {
          playlists(search: $search, first: 2) {
            totalCount
            edges {
              node {
                name
              }
            }
          }
        }
      `,
      { search: 'playlist 1' },
    );
    // "Alice playlist 1" matches 10 to 19.
    expect(data.playlists.totalCount).toBe(10);
    expect(data.playlists.edges.map((e) => e.node.name)).toEqual(['Alice playlist 10', 'Alice playlist 11']);
  });

  it('runs a mutation, which writes upstream once', async () => {
    h.sandbox.resetRequests();
    const data = await client().request<{ createPlaylist: { name: string; viewneoId: number; entries: unknown[] } }>(
      gql`
        mutation RequestCreate($name: String!) {
          createPlaylist(input: { name: $name }) {
            name
            viewneoId
            entries {
              index
            }
          }
        }
      `,
      { name: '  Made by graphql-request ' },
    );
    expect(data.createPlaylist).toMatchObject({ name: 'Made by graphql-request', entries: [] });
    expect(h.sandbox.countRequests({ method: 'POST', path: '/api/v1.0/playlist' })).toBe(1);
    const read = await h.gql(`{ playlist(id: "${data.createPlaylist.viewneoId}") { name } }`);
    expect(read.data.playlist.name).toBe('Made by graphql-request');
  });

  it('rejects with a ClientError that carries the error code of a bad argument, before any upstream call', async () => {
    h.sandbox.resetRequests();
    const error = await clientError(client().request(gql`{ playlist(id: "x") { name } }`));
    expect(error.response.status).toBe(200);
    expect(error.response.errors).toHaveLength(1);
    expect(error.response.errors?.[0]).toMatchObject({ path: ['playlist'], extensions: { code: 'BAD_USER_INPUT' } });
    expect(error.response.data).toEqual({ playlist: null });
    expect(h.sandbox.countRequests()).toBe(0);
  });

  it('rejects with a ClientError for an invalid document answered 400', async () => {
    const error = await clientError(client().request(gql`{ playlists { nope } }`));
    expect(error.response.status).toBe(400);
    expect(error.response.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it('rejects with UNAUTHENTICATED for a token viewneo refuses', async () => {
    const anonymous = new GraphQLClient(h.url, { headers: { authorization: 'Bearer not-a-token' } });
    const error = await clientError(anonymous.request(gql`{ playlists { totalCount } }`));
    expect(error.response.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
