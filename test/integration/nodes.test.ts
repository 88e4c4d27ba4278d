import { describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../../src/schema/ids.js';
import { useHarness } from '../support/harness.js';

describe('Relay nodes', () => {
  const h = useHarness();

  it('loads every node type by the global id the objects report', async () => {
    const ids = await h.gql(`{
      playlist(id: 1001) { id entries { id viewneoId } }
      mediaFile(id: 2001) { id }
      template(id: 3001) { id }
    }`);
    const entry = ids.data.playlist.entries[0];
    const answer = await h.gql(
      `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id
        ... on Playlist { viewneoId } ... on MediaFile { viewneoId } ... on Template { viewneoId }
        ... on PlaylistEntry { viewneoId } } }`,
      { ids: [ids.data.playlist.id, ids.data.mediaFile.id, ids.data.template.id, entry.id] },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data.nodes).toEqual([
      { __typename: 'Playlist', id: ids.data.playlist.id, viewneoId: 1001 },
      { __typename: 'MediaFile', id: ids.data.mediaFile.id, viewneoId: 2001 },
      { __typename: 'Template', id: ids.data.template.id, viewneoId: 3001 },
      { __typename: 'PlaylistEntry', id: entry.id, viewneoId: entry.viewneoId },
    ]);
  });

  it('answers null for a node that does not exist', async () => {
    const answer = await h.gql('query($id: ID!) { node(id: $id) { id } }', { id: encodeGlobalId('Playlist', 424242) });
    expect(answer).toEqual({ data: { node: null } });
  });

  it('answers BAD_USER_INPUT for an id that is not a global id', async () => {
    const answer = await h.gql('{ node(id: "1001") { id } }');
    expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('resolves entry content to media files and nested playlists', async () => {
    const answer = await h.gql(`{ playlist(id: 1001) { entries { content { __typename ... on Playlist { viewneoId } } } } }`);
    const kinds = answer.data.playlist.entries.map((e: any) => e.content?.__typename);
    expect(kinds).toContain('MediaFile');
    expect(answer.data.playlist.entries.find((e: any) => e.content?.__typename === 'Playlist')?.content.viewneoId).toBe(1002);
  });

  it('orders entries by index and sums their durations, a nested playlist by its own total', async () => {
    const answer = await h.gql(
      '{ playlist(id: 1001) { totalDuration entries { index duration content { ... on Playlist { totalDuration } } } } }',
    );
    const entries = answer.data.playlist.entries;
    expect(entries.map((e: any) => e.index)).toEqual([...entries.map((e: any) => e.index)].sort((a, b) => a - b));
    expect(answer.data.playlist.totalDuration).toBe(entries.reduce((s: number, e: any) => s + (e.content?.totalDuration ?? e.duration), 0));
  });
});
