import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, BOB, useHarness } from '../support/harness.js';

const NAMES = '{ playlists(first: 100) { totalCount edges { node { viewneoId name comment } } } }';

describe('playlist mutations', () => {
  const h = useHarness({ CACHE_TTL_MS: '60000' });
  afterEach(() => h.sandbox.reset());

  it('creates a playlist with the documented body and shows it in the next list read', async () => {
    await h.gql(NAMES); // warm the cache
    const created = await h.gql(
      'mutation($input: CreatePlaylistInput!) { createPlaylist(input: $input) { id viewneoId name comment companyId createdAt } }',
      { input: { name: '  Lobby  ', comment: 'Main hall' } },
    );
    expect(created.errors).toBeUndefined();
    expect(created.data.createPlaylist).toMatchObject({ name: 'Lobby', comment: 'Main hall', companyId: 221 });
    expect(created.data.createPlaylist.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const post = h.sandbox.requests.find((r) => r.method === 'POST');
    expect(post?.body).toEqual({ name: 'Lobby', comment: 'Main hall' });
    expect(post?.headers['content-type']).toBe('application/json');

    const after = await h.gql(NAMES);
    expect(after.data.playlists.totalCount).toBe(21);
    expect(after.data.playlists.edges.map((e: any) => e.node.name)).toContain('Lobby');
  });

  it('updates a playlist and drops the cached copies it makes stale', async () => {
    await h.gql('{ playlist(id: 1001) { name comment } }');
    await h.gql(NAMES);
    const updated = await h.gql('mutation { updatePlaylist(id: "1001", input: { comment: null, name: "Renamed" }) { name comment } }');
    expect(updated.data.updatePlaylist).toEqual({ name: 'Renamed', comment: null });
    expect(h.sandbox.requests.find((r) => r.method === 'PUT')?.body).toEqual({ name: 'Renamed', comment: null });

    h.sandbox.resetRequests();
    const one = await h.gql('{ playlist(id: 1001) { name } }');
    const list = await h.gql(NAMES);
    expect(one.data.playlist.name).toBe('Renamed');
    expect(list.data.playlists.edges[0].node.name).toBe('Renamed');
    expect(h.sandbox.requests.map((r) => r.pathname)).toEqual(['/api/v1.0/playlist/1001', '/api/v1.0/playlist']);
  });

  it('deletes a playlist and answers its global id', async () => {
    await h.gql('{ playlist(id: 1002) { name entries { viewneoId } } }');
    const deleted = await h.gql('mutation { deletePlaylist(id: "UGxheWxpc3Q6MTAwMg==") }');
    expect(deleted).toEqual({ data: { deletePlaylist: 'UGxheWxpc3Q6MTAwMg==' } });
    const after = await h.gql('{ playlist(id: 1002) { name } }');
    expect(after).toEqual({ data: { playlist: null } });
  });

  it("leaves another token's cached reads alone", async () => {
    const bobBefore = await h.gql(NAMES, {}, BOB);
    await h.gql('mutation { createPlaylist(input: { name: "Alice only" }) { name } }', {}, ALICE);
    h.sandbox.resetRequests();
    const bobAfter = await h.gql(NAMES, {}, BOB);
    expect(bobAfter).toEqual(bobBefore);
    expect(h.sandbox.requests).toHaveLength(0);
  });

  it('needs a token', async () => {
    const answer = await h.gql('mutation { createPlaylist(input: { name: "x" }) { name } }', {}, null);
    expect(answer.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(h.sandbox.requests).toHaveLength(0);
  });
});
