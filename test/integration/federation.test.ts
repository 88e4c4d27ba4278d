import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { composeSupergraph, fetchSubgraphSdl, startRouter, VIEWNEO_SUBGRAPH } from '../../examples/supergraph/router.js';
import { STORES_SDL, type Store, startStores } from '../../examples/supergraph/stores.js';
import { ALICE, BOB, type GraphQLAnswer, type Harness, startHarness, useHarness } from '../support/harness.js';

// Ten stores, each showing one of the playlists 1001…1010: Alice's (and Erin's, seeded alike) are
// all ten, Bob's only 1001…1003.
const STORES: Store[] = Array.from({ length: 10 }, (_, i) => ({ id: `s${i + 1}`, name: `Store ${i + 1}`, playlistViewneoId: 1001 + i }));

const SUBGRAPH_SDL = readFileSync(new URL('../../schema.subgraph.graphql', import.meta.url), 'utf8');

const STORES_TO_PLAYLISTS = /* GraphQL */ `
  {
    stores {
      name
      playlist {
        viewneoId
        name
        entries { index content { __typename ... on MediaFile { name } ... on Playlist { name } } }
      }
    }
  }
`;

/** The same playlists and fields as {@link STORES_TO_PLAYLISTS}, asked of the gateway directly in one ordinary query. */
const SAME_PLAYLISTS_DIRECTLY = `{ ${STORES.map(
  (s) =>
    `${s.id}: playlist(id: "${s.playlistViewneoId}") { viewneoId name entries { index content { __typename ... on MediaFile { name } ... on Playlist { name } } } }`,
).join(' ')} }`;

/** What a router sends the subgraph for entities. */
const ENTITIES = /* GraphQL */ `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      __typename
      ... on Playlist { viewneoId name entries { viewneoId } }
      ... on MediaFile { viewneoId name }
      ... on Template { viewneoId name }
      ... on PlaylistEntry { viewneoId index }
    }
  }
`;

const playlistKeys = (n: number) => Array.from({ length: n }, (_, i) => ({ __typename: 'Playlist', viewneoId: 1001 + i }));

/**
 * A gateway over the sandbox with `env` (FEDERATION=true), the stores subgraph and Hive Gateway
 * over the two composed, for the calling `describe` block; `viaRouter` asks the router.
 */
function useSupergraph(env: Record<string, string>) {
  const h = useHarness({ FEDERATION: 'true', ...env });
  let router: { url: string; close(): Promise<void> };
  let stores: { url: string; close(): Promise<void> };
  const storesSawAuthorization: (string | null)[] = [];

  beforeAll(async () => {
    stores = await startStores(STORES, (request) => storesSawAuthorization.push(request.headers.get('authorization')));
    // As a composition tool reads it: from the running gateway, without a token.
    const sdl = await fetchSubgraphSdl(h.url);
    const supergraph = composeSupergraph([
      { name: VIEWNEO_SUBGRAPH, url: h.url, sdl },
      { name: 'stores', url: stores.url, sdl: STORES_SDL },
    ]);
    router = await startRouter(supergraph);
  });
  afterAll(async () => {
    await router?.close();
    await stores?.close();
  });
  beforeEach(() => h.sandbox.resetRequests());

  async function viaRouter(query: string, token: string | null = ALICE): Promise<GraphQLAnswer> {
    const response = await fetch(router.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
      body: JSON.stringify({ query }),
    });
    return (await response.json()) as GraphQLAnswer;
  }
  return { h, viaRouter, storesSawAuthorization };
}

describe('the gateway as a Federation 2 subgraph behind Hive Gateway (FEDERATION=true), each request cold', () => {
  const { h, viaRouter, storesSawAuthorization } = useSupergraph({ CACHE_TTL_MS: '0' });

  it('answers { _service { sdl } } without a token with the SDL committed in schema.subgraph.graphql', async () => {
    const answer = await h.gql('{ _service { sdl } }', undefined, null);
    expect(answer.errors).toBeUndefined();
    expect(`${answer.data._service.sdl}\n`).toBe(SUBGRAPH_SDL);
    expect(SUBGRAPH_SDL).toMatch(/type Playlist implements Node\s+@key\(fields: "id"\)\s+@key\(fields: "viewneoId"\)/);
    expect(SUBGRAPH_SDL).toMatch(/type PlaylistEntry implements Node\s+@key\(fields: "id"\)\s*\{/);
    expect(SUBGRAPH_SDL).toMatch(/type PageInfo\s+@shareable/);
    expect(h.sandbox.requests).toHaveLength(0);
  });

  it("resolves stores → playlists across both subgraphs with the caller's own token, which reaches no other subgraph", async () => {
    storesSawAuthorization.length = 0;
    const answer = await viaRouter(STORES_TO_PLAYLISTS);
    expect(answer.errors).toBeUndefined();
    expect(answer.data.stores).toHaveLength(10);
    expect(answer.data.stores.map((s: any) => [s.name, s.playlist.name])).toEqual(
      STORES.map((s, i) => [s.name, `Alice playlist ${String(i + 1).padStart(2, '0')}`]),
    );
    expect(answer.data.stores[0].playlist.entries.length).toBeGreaterThan(0);
    expect(answer.data.stores[0].playlist.entries[0].content.__typename).toBe('MediaFile');
    // viewneo was called with Alice's token and nothing else; the stores subgraph never saw it.
    expect(h.sandbox.requests.length).toBeGreaterThan(0);
    expect(new Set(h.sandbox.requests.map((r) => r.headers.authorization))).toEqual(new Set([`Bearer ${ALICE}`]));
    expect(storesSawAuthorization.length).toBeGreaterThan(0);
    expect(storesSawAuthorization.every((a) => a === null)).toBe(true);
  });

  it('resolves playlists → Playlist.shownInStores: viewneo first, then the stores subgraph by viewneoId', async () => {
    const answer = await viaRouter('{ playlists(first: 3) { totalCount edges { node { name shownInStores { id name } } } } }');
    expect(answer.errors).toBeUndefined();
    expect(answer.data.playlists.totalCount).toBe(20);
    expect(answer.data.playlists.edges.map((e: any) => [e.node.name, e.node.shownInStores])).toEqual([
      ['Alice playlist 01', [{ id: 's1', name: 'Store 1' }]],
      ['Alice playlist 02', [{ id: 's2', name: 'Store 2' }]],
      ['Alice playlist 03', [{ id: 's3', name: 'Store 3' }]],
    ]);
    expect(h.sandbox.requestCounts()).toEqual({ 'GET /api/v1.0/playlist': 1 });
  });

  it('keeps extensions.code through the router: UNAUTHENTICATED without a token, before any upstream call', async () => {
    const own = await viaRouter('{ playlists { totalCount } }', null);
    expect(own.data).toBeNull();
    expect(own.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['playlists'], 'UNAUTHENTICATED']]);
    const joined = await viaRouter('{ stores { name playlist { name } } }', null);
    expect(joined.data.stores.map((s: any) => s.playlist)).toEqual(Array(10).fill(null));
    expect(new Set(joined.errors?.map((e) => e.extensions?.code))).toEqual(new Set(['UNAUTHENTICATED']));
    expect(h.sandbox.requests).toHaveLength(0);
  });

  it('costs ten representations in one _entities call no more upstream calls than the same ten ids in one ordinary query', async () => {
    const routed = await viaRouter(STORES_TO_PLAYLISTS, ALICE);
    expect(routed.errors).toBeUndefined();
    const throughEntities = h.sandbox.requestCounts();
    h.sandbox.resetRequests();
    const direct = await h.gql(SAME_PLAYLISTS_DIRECTLY);
    expect(direct.errors).toBeUndefined();
    const ordinary = h.sandbox.requestCounts();
    expect(throughEntities).toEqual(ordinary);
    // The planner's choice for ten playlists: the list once rather than ten reads by id, each
    // one's entries once, and their media files from the media list's 4 pages.
    expect(throughEntities).toEqual({
      'GET /api/v1.0/playlist': 1,
      ...Object.fromEntries(STORES.map((s) => [`GET /api/v1.0/playlist/${s.playlistViewneoId}/playlistentry`, 1])),
      'GET /api/v1.0/mediafile': 4,
    });
    expect(routed.data.stores.map((s: any) => s.playlist)).toEqual(STORES.map((s) => direct.data[s.id]));
  });

  it.each([
    { kind: 'MediaFile', field: 'mediaFile', ids: [2005, 2006, 2007, 2008, 2009, 2010, 2011, 2012], select: 'viewneoId name status' },
    { kind: 'Template', field: 'template', ids: [3001, 3002, 3003], select: 'viewneoId name' },
    { kind: 'Playlist', field: 'playlist', ids: [1004, 1005, 1006, 1007, 1008], select: 'viewneoId name totalDuration' },
  ])(
    'reads $kind representations in one _entities call with the calls of one ordinary query for the same ids',
    async ({ kind, field, ids, select }) => {
      const entities = await h.gql(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on ${kind} { ${select} } } }`, {
        r: ids.map((viewneoId) => ({ __typename: kind, viewneoId })),
      });
      expect(entities.errors).toBeUndefined();
      const throughEntities = h.sandbox.requestCounts();
      h.sandbox.resetRequests();
      const direct = await h.gql(`{ ${ids.map((id) => `x${id}: ${field}(id: "${id}") { ${select} }`).join(' ')} }`);
      expect(direct.errors).toBeUndefined();
      expect(throughEntities).toEqual(h.sandbox.requestCounts());
      expect(entities.data._entities).toEqual(ids.map((id) => direct.data[`x${id}`]));
      expect(entities.data._entities.every((e: any) => e !== null)).toBe(true);
    },
  );

  it('resolves each entity by either key in one _entities call, as a router sends it', async () => {
    const playlist = await h.gql('{ playlist(id: "1002") { id entries { id viewneoId } } }');
    const entry = playlist.data.playlist.entries[0];
    const answer = await h.gql(ENTITIES, {
      representations: [
        { __typename: 'Playlist', viewneoId: 1001 },
        { __typename: 'Playlist', id: playlist.data.playlist.id },
        { __typename: 'Playlist', viewneoId: 999_999 },
        { __typename: 'PlaylistEntry', id: entry.id },
        { __typename: 'MediaFile', viewneoId: 2001 },
        { __typename: 'Template', viewneoId: 3001 },
      ],
    });
    expect(answer.errors).toBeUndefined();
    const [byViewneoId, byId, missing, entryAnswer, mediaFile, template] = answer.data._entities;
    expect(byViewneoId).toMatchObject({ __typename: 'Playlist', viewneoId: 1001, name: 'Alice playlist 01' });
    expect(byId).toMatchObject({ __typename: 'Playlist', viewneoId: 1002, name: 'Alice playlist 02' });
    expect(missing).toBeNull();
    expect(entryAnswer).toEqual({ __typename: 'PlaylistEntry', viewneoId: entry.viewneoId, index: expect.any(Number) });
    expect(mediaFile).toEqual({ __typename: 'MediaFile', viewneoId: 2001, name: 'Alice folder 01' });
    expect(template).toEqual({ __typename: 'Template', viewneoId: 3001, name: 'Alice welcome screen' });
  });

  it('refuses malformed representations with BAD_USER_INPUT naming representations, before any upstream call', async () => {
    for (const representation of [
      { __typename: 'Store', id: 's1' },
      { id: 'x' },
      { __typename: 'Playlist', viewneoId: '1001' },
      { __typename: 'Playlist', viewneoId: -1 },
      { __typename: 'Playlist', id: 'TWVkaWFGaWxlOjE=' },
      { __typename: 'PlaylistEntry', id: 'nope' },
    ]) {
      const answer = await h.gql(ENTITIES, { representations: [representation] });
      expect(
        answer.errors?.map((e) => [e.extensions?.code, e.extensions?.argument]),
        JSON.stringify(representation),
      ).toEqual([['BAD_USER_INPUT', 'representations']]);
    }
    expect(h.sandbox.requests).toHaveLength(0);
  });

  it('refuses an _entities call over the cost limit before any upstream call, and reports the budget like any query', async () => {
    const strict = await startHarness({ FEDERATION: 'true', MAX_COST: '100', UPSTREAM_RATE_PER_MINUTE: '600' }, { sandbox: h.sandbox });
    try {
      // 50 playlists × (1 + 20 assumed entries) is over 100.
      const refused = await strict.gql(ENTITIES, { representations: playlistKeys(50) });
      expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['COST_LIMIT_EXCEEDED']);
      expect(refused.errors?.[0]?.extensions?.cost).toBe(50 + 50 * 20);
      expect(h.sandbox.requests).toHaveLength(0);
      const answered = await strict.gql(ENTITIES, { representations: playlistKeys(3) });
      expect(answered.errors).toBeUndefined();
      expect(answered.data._entities.map((p: any) => p.name)).toEqual(['Alice playlist 01', 'Alice playlist 02', 'Alice playlist 03']);
      const { limit, remaining } = answered.extensions?.upstreamBudget ?? {};
      expect(remaining).toBeLessThan(limit);
    } finally {
      await strict.close();
    }
  });
});

describe('the gateway as a subgraph behind Hive Gateway, caches warm', () => {
  const { h, viaRouter } = useSupergraph({});

  it("answers a repeated query through the router from the token's cache, without upstream calls", async () => {
    expect((await viaRouter(STORES_TO_PLAYLISTS)).errors).toBeUndefined();
    h.sandbox.resetRequests();
    const again = await viaRouter(STORES_TO_PLAYLISTS);
    expect(again.errors).toBeUndefined();
    expect(again.data.stores[9].playlist.name).toBe('Alice playlist 10');
    expect(h.sandbox.requests).toHaveLength(0);
  });

  it("answers another token only its own playlists, right after Alice's were cached", async () => {
    expect((await viaRouter(STORES_TO_PLAYLISTS, ALICE)).errors).toBeUndefined();
    const answer = await viaRouter('{ stores { id playlist { viewneoId name } } }', BOB);
    expect(answer.data.stores.slice(0, 3).map((s: any) => s.playlist)).toEqual([
      { viewneoId: 1001, name: 'Bob lobby' },
      { viewneoId: 1002, name: 'Bob cafeteria' },
      { viewneoId: 1003, name: 'Bob entrance' },
    ]);
    // Bob has no playlist 1004…1010: viewneo's subgraph answers null, which the router reports.
    expect(answer.data.stores.slice(3).map((s: any) => s.playlist)).toEqual(Array(7).fill(null));
    expect(answer.errors?.map((e) => e.path)).toEqual(STORES.slice(3).map((_, i) => ['stores', i + 3, 'playlist', 'name']));
    expect(JSON.stringify(answer)).not.toMatch(/Alice/);
    const bobs = h.sandbox.requests.filter((r) => r.headers.authorization === `Bearer ${BOB}`);
    expect(bobs.length).toBeGreaterThan(0);
  });
});

describe('_service beside trusted documents and the result cache', () => {
  const h = useHarness({ FEDERATION: 'true', PERSISTED_DOCUMENTS: 'examples/client/gql/persisted-documents.json' });

  it('answers { _service { sdl } } with and without a token, and again from the result cache', async () => {
    for (const token of [null, ALICE, ALICE]) {
      const answer = await h.gql('{ _service { sdl } }', undefined, token);
      expect(answer.errors).toBeUndefined();
      expect(`${answer.data._service.sdl}\n`).toBe(SUBGRAPH_SDL);
    }
  });

  it('answers _service in production too, where introspection is off', async () => {
    const production = await startHarness({ FEDERATION: 'true', NODE_ENV: 'production' }, { sandbox: h.sandbox });
    try {
      expect((await production.gql('{ __schema { queryType { name } } }', undefined, null)).errors?.length).toBeGreaterThan(0);
      const answer = await production.gql('{ _service { sdl } }', undefined, null);
      expect(answer.errors).toBeUndefined();
      expect(`${answer.data._service.sdl}\n`).toBe(SUBGRAPH_SDL);
    } finally {
      await production.close();
    }
  });

  it('is not there without FEDERATION: the public schema has no _service', async () => {
    const plain: Harness = await startHarness({}, { sandbox: h.sandbox });
    try {
      const answer = await plain.gql('{ _service { sdl } }', undefined, null);
      expect(answer.errors?.[0]?.message).toMatch(/Cannot query field "_service" on type "Query"/);
    } finally {
      await plain.close();
    }
  });
});
