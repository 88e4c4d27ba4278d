import { afterEach, describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../../src/schema/ids.js';
import { editInCms } from '../support/cms.js';
import { ALICE, type GraphQLAnswer, type Harness, useHarness } from '../support/harness.js';
import { useReplicaGroup } from '../support/replicas.js';

// `ifUnmodifiedSince` is checked against viewneo, whatever the gateway holds: each case warms what
// an editor's screen would have read (a list, the object, a playlist's entries), lets another
// editor change the object in the CMS, then writes with the `updatedAt` it read.
const codes = (answer: GraphQLAnswer) => answer.errors?.map((e) => e.extensions?.code);
const writes = (h: { sandbox: Harness['sandbox'] }) => h.sandbox.requests.filter((r) => r.method !== 'GET');

const RENAME_PLAYLIST = `mutation($id: ID!, $since: DateTime) {
  updatePlaylist(id: $id, input: { name: "Mine" }, ifUnmodifiedSince: $since) { name updatedAt } }`;
const RENAME_MEDIA = `mutation($id: ID!, $since: DateTime) {
  updateMediaFile(id: $id, input: { name: "Mine" }, ifUnmodifiedSince: $since) { name updatedAt } }`;
const REPLACE_TEMPLATE = `mutation($id: ID!, $since: DateTime) {
  updateTemplate(id: $id, input: { name: "Mine" }, ifUnmodifiedSince: $since) { name updatedAt } }`;
const CHANGE_ENTRY = `mutation($id: ID!, $since: DateTime) {
  updatePlaylistEntry(id: $id, input: { duration: 42 }, ifUnmodifiedSince: $since) { duration updatedAt } }`;

/**
 * Warms the gateway as an editor's screen would, with a kind's list (`list` is its field, e.g.
 * `playlists(first: 100)`) or one of its objects (`object`, e.g. `playlist`), and answers the
 * `updatedAt` it showed for `id`.
 */
async function seen(h: Harness, warmed: 'list' | 'object', list: string, object: string, id: number): Promise<string> {
  if (warmed === 'object') return (await h.gql(`{ ${object}(id: ${id}) { updatedAt } }`)).data[object].updatedAt;
  const answer = await h.gql(`{ ${list} { edges { node { viewneoId updatedAt } } } }`);
  const field = list.split('(')[0]!;
  return answer.data[field].edges.find((e: { node: { viewneoId: number } }) => e.node.viewneoId === id).node.updatedAt;
}

const PLAYLIST = {
  list: (h: Harness, id: number) => seen(h, 'list', 'playlists(first: 100)', 'playlist', id),
  object: (h: Harness, id: number) => seen(h, 'object', 'playlists(first: 100)', 'playlist', id),
};

// viewneo's timestamps have whole seconds, so a change in the second of the one an editor saw
// cannot be told apart: every case below edits an object nothing changed today.
describe('the write guard asks viewneo, on one replica', () => {
  const h = useHarness({ CACHE_TTL_MS: '60000' });
  afterEach(() => h.sandbox.reset());

  for (const [warmed, id] of [
    ['list', 1011],
    ['object', 1012],
  ] as const) {
    it(`refuses a stale playlist update after the ${warmed} was cached, and writes nothing`, async () => {
      const since = await PLAYLIST[warmed](h, id);
      await editInCms(h.sandbox, ALICE, 'PUT', `/playlist/${id}`, { name: 'Changed in the CMS' });
      h.sandbox.resetRequests();
      const stale = await h.gql(RENAME_PLAYLIST, { id: String(id), since });
      expect(codes(stale)).toEqual(['CONFLICT']);
      expect(writes(h)).toEqual([]);
      // The refusal dropped the stale copies: the editor's next read shows the other change, and
      // a write with its updatedAt goes through.
      const now = await PLAYLIST[warmed](h, id);
      expect(now).toBe(stale.errors?.[0]?.extensions?.updatedAt);
      expect((await h.gql(`{ playlist(id: ${id}) { name } }`)).data.playlist.name).toBe('Changed in the CMS');
      const fresh = await h.gql(RENAME_PLAYLIST, { id: String(id), since: now });
      expect(fresh.errors).toBeUndefined();
      expect(fresh.data.updatePlaylist.name).toBe('Mine');
    });
  }

  it('lets an update through when viewneo says nothing changed, reading the object once from viewneo', async () => {
    const since = await PLAYLIST.list(h, 1013);
    h.sandbox.resetRequests();
    const answer = await h.gql(RENAME_PLAYLIST, { id: '1013', since });
    expect(answer.errors).toBeUndefined();
    expect(h.sandbox.requests.map((r) => `${r.method} ${r.pathname}`)).toEqual([
      'GET /api/v1.0/playlist/1013',
      'PUT /api/v1.0/playlist/1013',
    ]);
  });

  it("refuses a stale entry change after the playlist's entries were cached", async () => {
    const read = await h.gql('{ playlist(id: 1001) { entries { id viewneoId updatedAt } } }');
    const [first] = read.data.playlist.entries;
    await editInCms(h.sandbox, ALICE, 'PUT', `/playlist/1001/playlistentry/${first.viewneoId}`, { duration: 3 });
    h.sandbox.resetRequests();
    const stale = await h.gql(CHANGE_ENTRY, { id: first.id, since: first.updatedAt });
    expect(codes(stale)).toEqual(['CONFLICT']);
    expect(writes(h)).toEqual([]);
    const after = await h.gql('{ playlist(id: 1001) { entries { viewneoId duration } } }');
    expect(after.data.playlist.entries.find((e: { viewneoId: number }) => e.viewneoId === first.viewneoId).duration).toBe(3);
  });

  const REORDER = `mutation($playlistId: ID!, $entryIds: [ID!]!, $since: DateTime) {
    reorderPlaylistEntries(playlistId: $playlistId, entryIds: $entryIds, ifUnmodifiedSince: $since) { entries { viewneoId } } }`;
  /** The entries an editor's screen shows for a playlist (cached by the gateway), reversed, and the newest updatedAt among them. */
  const reversed = async (playlistId: number) => {
    const read = await h.gql(`{ playlist(id: ${playlistId}) { entries { id viewneoId updatedAt } } }`);
    const shown: { id: string; viewneoId: number; updatedAt: string }[] = read.data.playlist.entries;
    const since = shown.map((e) => e.updatedAt).sort((a, b) => Date.parse(b) - Date.parse(a))[0];
    return { shown, ids: shown.map((e) => e.id).reverse(), since };
  };

  it('refuses a stale reorder after an entry changed in the CMS, writes nothing, and takes the retry with the newer updatedAt', async () => {
    const { shown, ids, since } = await reversed(1004);
    const [first] = shown;
    await editInCms(h.sandbox, ALICE, 'PUT', `/playlist/1004/playlistentry/${first!.viewneoId}`, { duration: 4 });
    h.sandbox.resetRequests();
    const stale = await h.gql(REORDER, { playlistId: '1004', entryIds: ids, since });
    expect(codes(stale)).toEqual(['CONFLICT']);
    expect(writes(h)).toEqual([]);
    const changed = (await h.gql('{ playlist(id: 1004) { entries { viewneoId duration updatedAt } } }')).data.playlist.entries;
    const other = changed.find((e: { viewneoId: number }) => e.viewneoId === first!.viewneoId);
    expect(other.duration).toBe(4);
    expect(stale.errors?.[0]?.extensions?.updatedAt).toBe(other.updatedAt);
    const retried = await h.gql(REORDER, { playlistId: '1004', entryIds: ids, since: other.updatedAt });
    expect(retried.errors).toBeUndefined();
    expect(retried.data.reorderPlaylistEntries.entries.map((e: { viewneoId: number }) => e.viewneoId)).toEqual(
      [...shown].reverse().map((e) => e.viewneoId),
    );
  });

  it('refuses a reorder of entries another editor removed meanwhile as CONFLICT, before any write', async () => {
    const { shown, ids, since } = await reversed(1005);
    await editInCms(h.sandbox, ALICE, 'DELETE', `/playlist/1005/playlistentry/${shown.at(-1)!.viewneoId}`);
    h.sandbox.resetRequests();
    const stale = await h.gql(REORDER, { playlistId: '1005', entryIds: ids, since });
    expect(codes(stale)).toEqual(['CONFLICT']);
    expect(writes(h)).toEqual([]);
  });

  for (const [warmed, mediaId, templateId] of [
    ['list', 2011, 3002],
    ['object', 2012, 3001],
  ] as const) {
    it(`refuses a stale media file rename after the ${warmed} was cached`, async () => {
      const since = await seen(h, warmed, 'mediaFiles(first: 100)', 'mediaFile', mediaId);
      await editInCms(h.sandbox, ALICE, 'PUT', `/mediafile/${mediaId}`, { name: 'Changed in the CMS' });
      h.sandbox.resetRequests();
      const stale = await h.gql(RENAME_MEDIA, { id: String(mediaId), since });
      expect(codes(stale)).toEqual(['CONFLICT']);
      expect(writes(h)).toEqual([]);
      expect((await h.gql(`{ mediaFile(id: ${mediaId}) { name } }`)).data.mediaFile.name).toBe('Changed in the CMS');
    });

    it(`refuses a stale template replacement after the ${warmed} was cached`, async () => {
      const since = await seen(h, warmed, 'templates', 'template', templateId);
      await editInCms(h.sandbox, ALICE, 'PUT', `/template/${templateId}`, { template: { name: 'Changed in the CMS' } });
      h.sandbox.resetRequests();
      const stale = await h.gql(REPLACE_TEMPLATE, { id: encodeGlobalId('Template', templateId), since });
      expect(codes(stale)).toEqual(['CONFLICT']);
      expect(writes(h)).toEqual([]);
      expect((await h.gql(`{ template(id: ${templateId}) { name } }`)).data.template.name).toBe('Changed in the CMS');
      const fresh = await h.gql(REPLACE_TEMPLATE, { id: String(templateId), since: stale.errors?.[0]?.extensions?.updatedAt });
      expect(fresh.data.updateTemplate.name).toBe('Mine');
    });
  }
});

describe('the write guard asks viewneo, across two replicas sharing Redis', () => {
  const replicas = useReplicaGroup({ CACHE_TTL_MS: '60000' });

  it('refuses on one replica a stale update of what the other replica cached', async () => {
    const a = await replicas.group.start();
    const b = await replicas.group.start();
    await replicas.group.ready();
    // A caches the list (and with it Redis); B reads the object from Redis without calling viewneo.
    const since = await PLAYLIST.list(a, 1011);
    expect(await PLAYLIST.object(b, 1011)).toBe(since);
    await editInCms(replicas.sandbox, ALICE, 'PUT', '/playlist/1011', { name: 'Changed in the CMS' });
    replicas.sandbox.resetRequests();
    const stale = await b.gql(RENAME_PLAYLIST, { id: '1011', since });
    expect(codes(stale)).toEqual(['CONFLICT']);
    expect(writes(replicas)).toEqual([]);
    // And the refusal reached the other replica's copies.
    expect(await PLAYLIST.list(a, 1011)).toBe(stale.errors?.[0]?.extensions?.updatedAt);
  });
});
