import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALICE, BOB, type GraphQLAnswer, type Harness, startHarness } from '../support/harness.js';
import { useReplicaGroup } from '../support/replicas.js';

// A delete takes entries with it in viewneo (the sandbox: the entries that showed a deleted file,
// a folder's content, a template's TEMPLATE media file): the gateway's cached entries lists that
// showed them must go too, and only those.
const DASHBOARD = `{ playlists(first: 100) { edges { node { viewneoId entries { viewneoId
  content { __typename ... on MediaFile { viewneoId } ... on Playlist { viewneoId } } } } } } }`;

interface Entry {
  readonly viewneoId: number;
  readonly content: { readonly __typename: string; readonly viewneoId: number } | null;
}
/** Each playlist's entries, by playlist id, as the dashboard read them. */
type Board = Map<number, Entry[]>;

async function dashboard(h: Pick<Harness, 'gql'>, token = ALICE): Promise<Board> {
  const answer: GraphQLAnswer = await h.gql(DASHBOARD, {}, token);
  expect(answer.errors).toBeUndefined();
  return new Map(
    answer.data.playlists.edges.map(({ node }: { node: { viewneoId: number; entries: Entry[] } }) => [node.viewneoId, node.entries]),
  );
}

const showsFile = (entry: Entry, ids: readonly number[]) =>
  entry.content?.__typename === 'MediaFile' && ids.includes(entry.content.viewneoId);
/** The playlists whose entries show one of these media files. */
const showing = (board: Board, ids: readonly number[]) =>
  [...board].filter(([, entries]) => entries.some((e) => showsFile(e, ids))).map(([id]) => id);
/** The board as it must read after these media files went, with the entries that showed them. */
const without = (board: Board, ids: readonly number[]) =>
  new Map([...board].map(([id, entries]) => [id, entries.filter((e) => !showsFile(e, ids))]));
/** The paths of the entries lists a sandbox was asked for, sorted. */
const entriesRead = (sandbox: Harness['sandbox']) =>
  sandbox.requests
    .map((r) => r.path)
    .filter((path) => path.endsWith('/playlistentry'))
    .sort();
const entriesPaths = (playlists: readonly number[]) => playlists.map((id) => `/api/v1.0/playlist/${id}/playlistentry`).sort();

async function mutate(h: Pick<Harness, 'gql'>, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const answer = await h.gql(query, variables);
  expect(answer.errors).toBeUndefined();
  return answer.data;
}

describe('a delete and the cached entries that showed what it deleted', () => {
  // Each test starts with cold caches: what one test cached must not warm the next.
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ CACHE_TTL_MS: '60000' });
  });
  afterEach(() => h.close());

  it('leaves no entry showing a deleted media file, re-reading only the entries lists that showed it', async () => {
    const before = await dashboard(h);
    const stale = showing(before, [2012]);
    expect(stale.length).toBeGreaterThan(1);
    await mutate(h, 'mutation { deleteMediaFile(id: "2012") }');
    h.sandbox.resetRequests();
    expect(await dashboard(h)).toEqual(without(before, [2012]));
    expect(entriesRead(h.sandbox)).toEqual(entriesPaths(stale));
  });

  it('leaves no entry showing what a deleted folder held, its subfolders included, re-reading only the lists that showed it', async () => {
    const folder = (await mutate(h, 'mutation { createFolder(name: "Spring") { viewneoId } }')).createFolder.viewneoId;
    const sub = (await mutate(h, `mutation { createFolder(name: "Week 1", parentDirectoryId: "${folder}") { viewneoId } }`)).createFolder
      .viewneoId;
    const MOVE = 'mutation($id: ID!, $to: ID!) { updateMediaFile(id: $id, input: { parentDirectoryId: $to }) { viewneoId } }';
    await mutate(h, MOVE, { id: '2013', to: String(folder) });
    await mutate(h, MOVE, { id: '2016', to: String(sub) });
    const before = await dashboard(h);
    const stale = showing(before, [2013, 2016]);
    expect(stale.length).toBeGreaterThan(2);
    await mutate(h, `mutation { deleteMediaFile(id: "${folder}") }`);
    h.sandbox.resetRequests();
    expect(await dashboard(h)).toEqual(without(before, [2013, 2016]));
    expect(entriesRead(h.sandbox)).toEqual(entriesPaths(stale));
  });

  it("leaves no entry showing a deleted template's media file, re-reading the lists that showed it and those that show content", async () => {
    // 2004 is template 3001's TEMPLATE media file; 2005 is CONTENT, made from a template viewneo does not name (seed).
    const before = await dashboard(h);
    await mutate(h, 'mutation { deleteTemplate(id: 3001) }');
    h.sandbox.resetRequests();
    expect(await dashboard(h)).toEqual(without(before, [2004]));
    expect(entriesRead(h.sandbox)).toEqual(entriesPaths(showing(before, [2004, 2005])));
    expect(showing(before, [2004])).toHaveLength(4);
  });

  it('re-reads every entries list that shows a media file when it cannot tell what a deleted folder held', async () => {
    // Only the entries are cached, not the media list: what lay below folder 2002 is not known.
    const playlists = [1001, 1002, 1003, 1004];
    for (const id of playlists) await mutate(h, `{ playlist(id: ${id}) { entries { viewneoId } } }`);
    await mutate(h, 'mutation { deleteMediaFile(id: "2002") }');
    h.sandbox.resetRequests();
    for (const id of playlists) {
      const entries = (await mutate(h, `{ playlist(id: ${id}) { entries { content { __typename } } } }`)).playlist.entries;
      expect(entries.filter((e: Entry) => e.content === null)).toEqual([]);
    }
    expect(entriesRead(h.sandbox)).toEqual(entriesPaths(playlists));
  });

  it("drops only the deleting token's entries: another token's cached entries of the same ids stay", async () => {
    // Bob's playlists 1001 and 1002 reuse alice's ids, and his 1001 shows his own media file 2003.
    const bob = await dashboard(h, BOB);
    const before = await dashboard(h);
    await mutate(h, 'mutation { deleteMediaFile(id: "2003") }');
    h.sandbox.resetRequests();
    expect(await dashboard(h, BOB)).toEqual(bob);
    expect(h.sandbox.requests).toEqual([]);
    expect(showing(bob, [2003])).toEqual([1001]);
    expect(await dashboard(h)).toEqual(without(before, [2003]));
    expect(entriesRead(h.sandbox)).toEqual(entriesPaths(showing(before, [2003])));
  });
});

describe('a delete and the cached entries that showed it, across two replicas sharing Redis', () => {
  const replicas = useReplicaGroup({ CACHE_TTL_MS: '60000', REDIS_TIMEOUT_MS: '1000' });

  it('leaves no entry showing a media file deleted through the other replica, which found the stale lists in Redis', async () => {
    const a = await replicas.group.start();
    const b = await replicas.group.start();
    await replicas.group.ready();
    // B caches the dashboard (and with it Redis), bob's too; A has read nothing.
    const bob = await dashboard(b, BOB);
    const before = await dashboard(b);
    await mutate(a, 'mutation { deleteMediaFile(id: "2012") }');
    replicas.sandbox.resetRequests();
    expect(await dashboard(b)).toEqual(without(before, [2012]));
    expect(entriesRead(replicas.sandbox)).toEqual(entriesPaths(showing(before, [2012])));
    replicas.sandbox.resetRequests();
    expect(await dashboard(b, BOB)).toEqual(bob);
    expect(replicas.sandbox.requests).toEqual([]);
  });

  it('drops every entries list another replica may hold when neither it nor Redis shows what they hold', async () => {
    // Nothing fits in Redis: A cannot see what B cached.
    const a = await replicas.group.start({ REDIS_MAX_VALUE_BYTES: '1' });
    const b = await replicas.group.start({ REDIS_MAX_VALUE_BYTES: '1' });
    await replicas.group.ready();
    const before = await dashboard(b);
    await mutate(a, 'mutation { deleteMediaFile(id: "2012") }');
    replicas.sandbox.resetRequests();
    expect(await dashboard(b)).toEqual(without(before, [2012]));
    expect(entriesRead(replicas.sandbox)).toEqual(entriesPaths([...before.keys()]));
  });
});
