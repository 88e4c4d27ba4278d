import { describe, expect, it } from 'vitest';
import { COMPILE_ON_RUN } from '../../src/plugins/jit.js';
import { ALICE, type GraphQLAnswer, useHarness } from '../support/harness.js';

// Most operations run as code compiled by graphql-jit (src/plugins/jit.ts); these pin the places
// where it would answer differently from graphql-js.
describe('execution', () => {
  const h = useHarness({ CACHE_TTL_MS: '0' });

  it.each([
    ['compiled', 'query($id: ID! = "1001") { playlist(id: $id) { name } }'],
    ['with @include (graphql-js)', 'query($id: ID! = "1001", $b: Boolean = true) { playlist(id: $id) @include(if: $b) { name } }'],
  ])('applies the default of a non-null variable left out (%s)', async (_name, query) => {
    const answer = await h.gql(query, {});
    expect(answer.errors).toBeUndefined();
    expect(answer.data.playlist.name).toBe('Alice playlist 01');
  });

  it('refuses a timeline whose items could end past year 9999, naming "to"', async () => {
    const answer = await h.gql('{ playlist(id: 1001) { timeline(from: "9999-12-31T23:00", to: "9999-12-31T23:59:59") { end } } }');
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'to' });
  });

  it('applies @skip and @include to fields that share a fragment', async () => {
    // The shape of zalando-incubator/graphql-jit#111, where graphql-jit once answered empty objects.
    const query = `query($only: Boolean!) {
      playlist(id: 1001) {
        a: entries @skip(if: $only) { ...E }
        b: entries @include(if: $only) { ...E }
      }
    }
    fragment E on PlaylistEntry { index duration }`;
    const only = await h.gql(query, { only: true });
    expect(only.errors).toBeUndefined();
    expect(Object.keys(only.data.playlist)).toEqual(['b']);
    expect(only.data.playlist.b.length).toBeGreaterThan(0);
    for (const entry of only.data.playlist.b) expect(Object.keys(entry)).toEqual(['index', 'duration']);
    const not = await h.gql(query, { only: false });
    expect(Object.keys(not.data.playlist)).toEqual(['a']);
    expect(not.data.playlist.a).toEqual(only.data.playlist.b);
  });

  it('answers in the order of the query when it uses @skip or @include', async () => {
    const answer = await h.gql(
      `query($with: Boolean!) {
      playlists(first: 1) { edges { node { ...P entries @include(if: $with) { index } ...V @include(if: $with) name } } }
    }
    fragment P on Playlist { id }
    fragment V on Playlist { viewneoId }`,
      { with: true },
    );
    expect(Object.keys(answer.data.playlists.edges[0].node)).toEqual(['id', 'entries', 'viewneoId', 'name']);
  });

  it('answers every field of a spread fragment (in an order of its own: README, Errors)', async () => {
    const plain = await h.gql('{ playlists(first: 1) { edges { node { name ...P viewneoId } } } } fragment P on Playlist { id }');
    expect(plain.data.playlists.edges[0].node).toEqual({ name: 'Alice playlist 01', id: 'UGxheWxpc3Q6MTAwMQ==', viewneoId: 1001 });
  });

  it('answers a variable of the wrong type with 400 and where the variable is declared', async () => {
    const response = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: 'query($id: ID!) {\n  playlist(id: $id) { name }\n}', variables: { id: { not: 'an id' } } }),
    });
    expect(response.status).toBe(400);
    const { errors } = (await response.json()) as { errors: { message: string; locations: unknown }[] };
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/^Variable "\$id" got invalid value/);
    expect(errors[0]!.locations).toEqual([{ line: 1, column: 7 }]);
  });

  it('answers a document alike on graphql-js (its first runs) and once compiled', async () => {
    const query = 'query($first: Int) { playlists(first: $first) { edges { node { id name entries { index duration } } } } }';
    const answers = [];
    for (let run = 1; run <= COMPILE_ON_RUN + 1; run++) answers.push(await h.gql(query, { first: 3 }));
    for (const answer of answers) {
      expect(answer.errors).toBeUndefined();
      expect(answer).toEqual(answers[0]);
    }
    expect(answers[0]!.data.playlists.edges).toHaveLength(3);
  });

  it('answers a bad variable with 400 and BAD_USER_INPUT before and after a document is compiled', async () => {
    const query = 'query($first: Int) { playlists(first: $first) { totalCount } }';
    for (let run = 1; run <= COMPILE_ON_RUN; run++) expect((await h.gql(query, { first: 2 })).errors).toBeUndefined();
    for (let run = 1; run <= 2; run++) {
      const response = await fetch(h.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query: run === 1 ? query : `${query} `, variables: { first: 'two' } }),
      });
      expect(response.status).toBe(400);
      const { errors } = (await response.json()) as { errors: { extensions: { code: string } }[] };
      expect(errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
    }
  });
});

describe('documents with several operations', () => {
  const h = useHarness({ CACHE_TTL_MS: '0', RESULT_CACHE_MAX_ENTRIES: '0' });

  it('runs the operation named in each request, once the document is compiled too', async () => {
    const query = 'query Names { playlists(first: 2) { edges { node { name } } } } query Count { playlists(first: 2) { totalCount } }';
    const run = async (operationName: string) => {
      const response = await h.post({ query, operationName }, { authorization: `Bearer ${ALICE}` });
      return (await response.json()) as GraphQLAnswer;
    };
    for (let n = 1; n <= COMPILE_ON_RUN + 1; n++) {
      const names = await run('Names');
      expect(names.data).toEqual({
        playlists: { edges: [{ node: { name: 'Alice playlist 01' } }, { node: { name: 'Alice playlist 02' } }] },
      });
      const count = await run('Count');
      expect(count.errors).toBeUndefined();
      expect(Object.keys(count.data.playlists)).toEqual(['totalCount']);
    }
  });
});
