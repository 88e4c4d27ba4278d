import { afterEach, describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../../src/schema/ids.js';
import { ALICE, BOB, type GraphQLAnswer, useHarness } from '../support/harness.js';

const entryId = (playlistId: number, id: number) => encodeGlobalId('PlaylistEntry', `${playlistId}:${id}`);
const codes = (answer: GraphQLAnswer) => answer.errors?.map((e) => [e.extensions?.code, e.extensions?.argument]);

const ENTRIES = `query($id: ID!) { playlist(id: $id) { entries { id viewneoId index duration playRule weekdays updatedAt
  content { ... on MediaFile { viewneoId } ... on Playlist { viewneoId } } } } }`;
const ADD = `mutation($playlistId: ID!, $input: AddPlaylistEntryInput!) {
  addPlaylistEntry(playlistId: $playlistId, input: $input) { id viewneoId index duration soundPlayed playRule startDate endDate weekdays removeAfterEndDate } }`;
const UPDATE = `mutation($id: ID!, $input: UpdatePlaylistEntryInput!, $since: DateTime) {
  updatePlaylistEntry(id: $id, input: $input, ifUnmodifiedSince: $since) { id duration updatedAt } }`;
const REORDER = `mutation($playlistId: ID!, $entryIds: [ID!]!) {
  reorderPlaylistEntries(playlistId: $playlistId, entryIds: $entryIds) { id entries { viewneoId index } } }`;

describe('editing playlists', () => {
  const h = useHarness({ CACHE_TTL_MS: '60000' });
  afterEach(() => h.sandbox.reset());

  const entries = async (playlistId: number, token = ALICE) =>
    (await h.gql(ENTRIES, { id: String(playlistId) }, token)).data.playlist.entries;
  const writes = () => h.sandbox.requests.filter((r) => r.method !== 'GET');

  it('adds a media file at the end with the defaults, in one upstream write, and a following read shows it', async () => {
    const before = await entries(1003);
    h.sandbox.resetRequests();
    const answer = await h.gql(ADD, { playlistId: '1003', input: { mediaFileId: '2010' } });
    expect(answer.errors).toBeUndefined();
    const added = answer.data.addPlaylistEntry;
    expect(added).toMatchObject({
      index: 10,
      duration: 10,
      soundPlayed: false,
      playRule: 'ALWAYS',
      weekdays: [],
      removeAfterEndDate: false,
    });
    expect(added.id).toBe(entryId(1003, added.viewneoId));
    expect(writes()).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/api/v1.0/playlist/1003/playlistentry',
        body: {
          media_file_id: 2010,
          duration: 10,
          index: 10,
          is_sound_played: 0,
          play_rule: 1,
          start_date: null,
          end_date: null,
          start_time: null,
          end_time: null,
          weekdays: 0,
          remove_playlist_entry_after_end_date: 0,
        },
      }),
    ]);
    h.sandbox.resetRequests();
    const after = await entries(1003);
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1).viewneoId).toBe(added.viewneoId);
    // Only the entries were stale: the playlist and the media files come from the cache.
    expect(h.sandbox.requests.map((r) => r.path)).toEqual(['/api/v1.0/playlist/1003/playlistentry']);
  });

  it("writes a schedule with its weekdays as viewneo's bitmask", async () => {
    const schedule = {
      playRule: 'SCHEDULE',
      startDate: '2025-01-01',
      endDate: '2025-06-30',
      startTime: '08:00',
      endTime: '18:30:00',
      weekdays: ['MONDAY', 'FRIDAY'],
      removeAfterEndDate: true,
    };
    const answer = await h.gql(ADD, { playlistId: '1005', input: { mediaFileId: '2010', duration: 20, index: 0, schedule } });
    expect(answer.errors).toBeUndefined();
    expect(answer.data.addPlaylistEntry).toMatchObject({ playRule: 'SCHEDULE', weekdays: ['MONDAY', 'FRIDAY'], endDate: '2025-06-30' });
    expect(writes()[0]?.body).toMatchObject({
      play_rule: 0,
      start_time: '08:00:00',
      end_time: '18:30:00',
      weekdays: 34,
      index: 0,
      duration: 20,
    });
  });

  it.each([
    ['neither content', { duration: 5 }, 'input'],
    ['both contents', { mediaFileId: '2010', nestedPlaylistId: '1005' }, 'input'],
    ['a folder', { mediaFileId: '2001' }, 'input.mediaFileId'],
    [
      'a date without SCHEDULE',
      { mediaFileId: '2010', schedule: { playRule: 'ALWAYS', startDate: '2025-01-01' } },
      'input.schedule.startDate',
    ],
    [
      'weekdays without SCHEDULE',
      { mediaFileId: '2010', schedule: { playRule: 'NEVER', weekdays: ['MONDAY'] } },
      'input.schedule.weekdays',
    ],
    [
      'a start after the end',
      { mediaFileId: '2010', schedule: { playRule: 'SCHEDULE', startDate: '2025-02-01', endDate: '2025-01-31' } },
      'input.schedule.endDate',
    ],
    [
      'removal without an end date',
      { mediaFileId: '2010', schedule: { playRule: 'SCHEDULE', removeAfterEndDate: true } },
      'input.schedule.removeAfterEndDate',
    ],
    [
      'a date that does not exist',
      { mediaFileId: '2010', schedule: { playRule: 'SCHEDULE', startDate: '2025-02-30' } },
      'input.schedule.startDate',
    ],
    ['a time past midnight', { mediaFileId: '2010', schedule: { playRule: 'SCHEDULE', endTime: '24:30' } }, 'input.schedule.endTime'],
    ['a negative duration', { mediaFileId: '2010', duration: -1 }, 'input.duration'],
  ])('refuses %s with BAD_USER_INPUT naming the field, before any write', async (_name, input, argument) => {
    const answer = await h.gql(ADD, { playlistId: '1003', input });
    expect(codes(answer)).toEqual([['BAD_USER_INPUT', argument]]);
    expect(writes()).toEqual([]);
  });

  it('refuses a nested playlist that would make a playlist contain itself, directly or through others', async () => {
    // Playlist 1001 nests 1002 (seed): nesting 1001 in 1002 would loop, as would 1002 in itself.
    for (const [target, nested] of [
      ['1002', '1001'],
      ['1002', '1002'],
    ]) {
      const answer = await h.gql(ADD, { playlistId: target, input: { nestedPlaylistId: nested } });
      expect(codes(answer)).toEqual([['BAD_USER_INPUT', 'input.nestedPlaylistId']]);
      expect(answer.errors?.[0]?.message).toMatch(/play itself forever/);
    }
    expect(writes()).toEqual([]);
    const allowed = await h.gql(ADD, { playlistId: '1001', input: { nestedPlaylistId: '1005' } });
    expect(allowed.errors).toBeUndefined();
    expect(writes()[0]?.body).toMatchObject({ playlist_id_as_nested_playlist: 1005, duration: 0 });
  });

  it('refuses a stale write of one of two editors with CONFLICT and writes nothing', async () => {
    const [first] = await entries(1001);
    const seen = first.updatedAt;
    // The other editor changes it meanwhile.
    const other = await h.gql(UPDATE, { id: first.id, input: { duration: 7 }, since: seen }, ALICE);
    expect(other.errors).toBeUndefined();
    h.sandbox.resetRequests();
    const stale = await h.gql(UPDATE, { id: first.id, input: { duration: 99 }, since: seen });
    expect(codes(stale)).toEqual([['CONFLICT', undefined]]);
    expect(stale.errors?.[0]?.extensions?.updatedAt).toBe(other.data.updatePlaylistEntry.updatedAt);
    expect(writes()).toEqual([]);
    const [now] = await entries(1001);
    expect(now.duration).toBe(7);
    // With the current updatedAt the write goes through.
    const fresh = await h.gql(UPDATE, { id: first.id, input: { duration: 99 }, since: now.updatedAt });
    expect(fresh.data.updatePlaylistEntry.duration).toBe(99);
  });

  it('removes an entry and answers its global id', async () => {
    const [first] = await entries(1006);
    const answer = await h.gql('mutation($id: ID!) { removePlaylistEntry(id: $id) }', { id: first.id });
    expect(answer.data.removePlaylistEntry).toBe(first.id);
    expect(writes().map((r) => `${r.method} ${r.path}`)).toEqual([`DELETE /api/v1.0/playlist/1006/playlistentry/${first.viewneoId}`]);
    expect((await entries(1006)).map((e: { id: string }) => e.id)).not.toContain(first.id);
  });

  it('reorders with the fewest writes and answers the new order', async () => {
    const current = await entries(1007);
    h.sandbox.resetRequests();
    // The last entry first: the seed's indexes are 0..9, with no room below 0, so all are renumbered.
    const wanted = [current.at(-1), ...current.slice(0, -1)];
    const answer = await h.gql(REORDER, { playlistId: '1007', entryIds: wanted.map((e: { id: string }) => e.id) });
    expect(answer.errors).toBeUndefined();
    expect(answer.data.reorderPlaylistEntries.entries.map((e: { viewneoId: number }) => e.viewneoId)).toEqual(
      wanted.map((e: { viewneoId: number }) => e.viewneoId),
    );
    const puts = writes().filter((r) => r.method === 'PUT');
    expect(puts.length).toBe(current.length);
    h.sandbox.resetRequests();
    // Swapping the first two back needs one write now that indexes are 0..n-1 with room at the end.
    const again = answer.data.reorderPlaylistEntries.entries.map((e: { viewneoId: number }) => entryId(1007, e.viewneoId));
    const swapped = [...again.slice(1), again[0]];
    const moved = await h.gql(REORDER, { playlistId: '1007', entryIds: swapped });
    expect(moved.errors).toBeUndefined();
    expect(writes().filter((r) => r.method === 'PUT')).toHaveLength(1);
    expect(writes()[0]?.body).toEqual({ index: current.length });
  });

  it('refuses an order that does not name each entry exactly once, before any write', async () => {
    const current = await entries(1007);
    const ids = current.map((e: { id: string }) => e.id);
    for (const entryIds of [ids.slice(1), [...ids, ids[0]], [...ids.slice(1), entryId(1001, 50001)]]) {
      const answer = await h.gql(REORDER, { playlistId: '1007', entryIds });
      expect(codes(answer)).toEqual([['BAD_USER_INPUT', 'entryIds']]);
    }
    expect(writes()).toEqual([]);
  });

  it('shows a change of a nested playlist in the totalDuration and timeline of the playlist that nests it', async () => {
    // 1001 nests 1002 (seed).
    const TOTAL =
      '{ playlist(id: 1001) { totalDuration timeline(from: "2024-03-04T10:00", to: "2024-03-04T12:00", limit: 100) { mediaFile { viewneoId } } } }';
    const before = (await h.gql(TOTAL)).data.playlist;
    const added = await h.gql(ADD, { playlistId: '1002', input: { mediaFileId: '2049', duration: 33 } });
    expect(added.errors).toBeUndefined();
    h.sandbox.resetRequests();
    const after = (await h.gql(TOTAL)).data.playlist;
    expect(after.totalDuration).toBe(before.totalDuration + 33);
    expect(after.timeline.map((i: { mediaFile: { viewneoId: number } }) => i.mediaFile.viewneoId)).toContain(2049);
    // Only 1002's entries were stale.
    expect(h.sandbox.requests.map((r) => r.path)).toEqual(['/api/v1.0/playlist/1002/playlistentry']);
  });

  it("drops only the caller's stale reads: another token's cached reads stay", async () => {
    await entries(1003, BOB);
    await h.gql(ADD, { playlistId: '1003', input: { mediaFileId: '2010' } });
    h.sandbox.resetRequests();
    await entries(1003, BOB);
    expect(h.sandbox.requests).toHaveLength(0);
  });

  it('refuses a playlist update over a change the editor has not seen', async () => {
    const read = await h.gql('{ playlist(id: 1004) { updatedAt } }');
    const seen = read.data.playlist.updatedAt;
    const RENAME =
      'mutation($name: String!, $since: DateTime) { updatePlaylist(id: 1004, input: { name: $name }, ifUnmodifiedSince: $since) { name updatedAt } }';
    const first = await h.gql(RENAME, { name: 'First editor', since: seen });
    expect(first.errors).toBeUndefined();
    h.sandbox.resetRequests();
    const second = await h.gql(RENAME, { name: 'Second editor', since: seen });
    expect(codes(second)).toEqual([['CONFLICT', undefined]]);
    expect(writes()).toEqual([]);
    expect((await h.gql('{ playlist(id: 1004) { name } }')).data.playlist.name).toBe('First editor');
  });
});

describe('editing the media library', () => {
  const h = useHarness({ CACHE_TTL_MS: '60000' });
  afterEach(() => h.sandbox.reset());
  const writes = () => h.sandbox.requests.filter((r) => r.method !== 'GET');
  const MOVE = `mutation($id: ID!, $input: UpdateMediaFileInput!, $since: DateTime) {
    updateMediaFile(id: $id, input: $input, ifUnmodifiedSince: $since) { viewneoId name parentDirectory { viewneoId } updatedAt } }`;

  it('makes a folder, moves a file into it, and the folder lists it at once', async () => {
    const created = await h.gql(
      'mutation { createFolder(name: " Posters ", parentDirectoryId: "2001") { viewneoId name kind parentDirectory { viewneoId } } }',
    );
    expect(created.errors).toBeUndefined();
    const folder = created.data.createFolder;
    expect(folder).toMatchObject({ name: 'Posters', kind: 'DIRECTORY', parentDirectory: { viewneoId: 2001 } });
    expect(writes()[0]).toMatchObject({
      method: 'POST',
      path: '/api/v1.0/mediafile',
      body: { name: 'Posters', media_file_id_as_parent_directory: 2001 },
    });
    const moved = await h.gql(MOVE, { id: '2010', input: { parentDirectoryId: String(folder.viewneoId), name: 'Poster 10' } });
    expect(moved.errors).toBeUndefined();
    expect(moved.data.updateMediaFile).toMatchObject({ name: 'Poster 10', parentDirectory: { viewneoId: folder.viewneoId } });
    expect(writes()[1]).toMatchObject({
      method: 'PUT',
      path: '/api/v1.0/mediafile/2010',
      body: { name: 'Poster 10', media_file_id_as_parent_directory: folder.viewneoId },
    });
    const listed = await h.gql(`{ mediaFile(id: ${folder.viewneoId}) { children { edges { node { viewneoId } } } } }`);
    expect(listed.data.mediaFile.children.edges.map((e: { node: { viewneoId: number } }) => e.node.viewneoId)).toEqual([2010]);
  });

  it('refuses to move a folder into itself or below itself, before any write', async () => {
    // 2002 lies in 2001 (seed).
    for (const parentDirectoryId of ['2001', '2002']) {
      const answer = await h.gql(MOVE, { id: '2001', input: { parentDirectoryId } });
      expect(codes(answer)).toEqual([['BAD_USER_INPUT', 'input.parentDirectoryId']]);
    }
    expect(writes()).toEqual([]);
    const top = await h.gql(MOVE, { id: '2002', input: { parentDirectoryId: '0' } });
    expect(top.data.updateMediaFile.parentDirectory).toBeNull();
  });

  it('refuses a rename over a change the editor has not seen', async () => {
    const seen = (await h.gql('{ mediaFile(id: 2011) { updatedAt } }')).data.mediaFile.updatedAt;
    expect((await h.gql(MOVE, { id: '2011', input: { name: 'A' }, since: seen })).errors).toBeUndefined();
    h.sandbox.resetRequests();
    const stale = await h.gql(MOVE, { id: '2011', input: { name: 'B' }, since: seen });
    expect(codes(stale)).toEqual([['CONFLICT', undefined]]);
    expect(writes()).toEqual([]);
  });

  it('deletes a media file: it is gone from the library and its folder', async () => {
    await h.gql('{ mediaFiles(first: 100) { totalCount } }');
    const answer = await h.gql('mutation { deleteMediaFile(id: "2012") }');
    expect(answer.data.deleteMediaFile).toBe(encodeGlobalId('MediaFile', 2012));
    const after = await h.gql('{ mediaFiles(first: 100) { totalCount } mediaFile(id: 2012) { name } }');
    expect(after.data).toEqual({ mediaFiles: { totalCount: 49 }, mediaFile: null });
  });

  it('replaces a template and deletes one', async () => {
    await h.gql('{ templates { totalCount } template(id: 3002) { name } }');
    const updated = await h.gql(
      'mutation { updateTemplate(id: 3002, input: { name: "Ticker v2", elements: [{ name: "Line", text: "{{title}}" }] }) { name elements { name } } }',
    );
    expect(updated.data.updateTemplate).toEqual({ name: 'Ticker v2', elements: [{ name: 'Line' }] });
    expect(writes()[0]).toMatchObject({ method: 'PUT', path: '/api/v1.0/template/3002', body: { template: { name: 'Ticker v2' } } });
    expect((await h.gql('{ template(id: 3002) { name } }')).data.template.name).toBe('Ticker v2');
    const deleted = await h.gql('mutation { deleteTemplate(id: 3003) }');
    expect(deleted.data.deleteTemplate).toBe(encodeGlobalId('Template', 3003));
    expect((await h.gql('{ templates { totalCount } }')).data.templates.totalCount).toBe(2);
  });

  it("changes a website's URL and headers without ever answering the header values", async () => {
    const answer = await h.gql(
      'mutation($h: JSON) { updateWebsite(id: 5003, input: { url: "https://intranet.alice.example.com/v2", headers: $h }) { url headerNames } }',
      { h: { 'X-Api-Key': 'rotated' } },
    );
    expect(answer.data.updateWebsite).toEqual({ url: 'https://intranet.alice.example.com/v2', headerNames: ['X-Api-Key'] });
    expect(writes()[0]?.body).toEqual({ url: 'https://intranet.alice.example.com/v2', header: '{"X-Api-Key":"rotated"}' });
    const bad = await h.gql('mutation { updateWebsite(id: 5003, input: { url: "ftp://x" }) { url } }');
    expect(codes(bad)).toEqual([['BAD_USER_INPUT', 'input.url']]);
    expect(writes()).toHaveLength(1);
  });

  it("answers an upload's file", async () => {
    const answer = await h.gql(
      '{ mediaFile(id: 2006) { kind file { originalName extension mimeType fileSize width height } } folder: mediaFile(id: 2001) { file { originalName } } }',
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data.mediaFile).toMatchObject({
      kind: 'PHYSICAL_FILE',
      file: { extension: 'jpg', mimeType: 'image/jpeg', width: 1920, height: 1080 },
    });
    expect(answer.data.folder.file).toBeNull();
  });
});
