import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { estimateCost } from '../../src/plugins/cost.js';
import { schema, subgraphSchema } from '../../src/schema/index.js';

const WINDOW = 'from: "2026-01-01T00:00", to: "2026-01-02T00:00"';

describe('estimateCost', () => {
  it.each([
    { name: 'one object', query: '{ playlist(id: 1) { name } }', cost: 1 },
    { name: 'leaves only', query: '{ __typename }', cost: 0 },
    { name: 'a connection at its default page size', query: '{ playlists { edges { node { name } } } }', cost: 1 + 20 + 20 },
    { name: 'a connection at the size asked for', query: '{ playlists(first: 5) { edges { node { name } } } }', cost: 1 + 5 + 5 },
    { name: 'a size past the bound, clamped to it', query: '{ playlists(first: 1000) { edges { node { name } } } }', cost: 1 + 100 + 100 },
    { name: 'totalCount alone', query: '{ playlists(first: 100) { totalCount } }', cost: 1 },
    {
      name: 'entries of every playlist at their assumed size',
      query: '{ playlists(first: 100) { edges { node { entries { duration } } } } }',
      cost: 1 + 100 + 100 + 100 * 20,
    },
    { name: 'a timeline at its default limit', query: `{ playlist(id: 1) { timeline(${WINDOW}) { start } } }`, cost: 1 + 500 },
    {
      name: 'a timeline with a null limit, at its default',
      query: `{ playlist(id: 1) { timeline(${WINDOW}, limit: null) { start } } }`,
      cost: 1 + 500,
    },
    {
      name: 'a timeline at its limit, with an object per item',
      query: `{ playlist(id: 1) { timeline(${WINDOW}, limit: 5000) { start mediaFile { name } } } }`,
      cost: 1 + 5000 + 5000,
    },
    {
      name: 'a limit past the bound, clamped to it',
      query: `{ playlist(id: 1) { timeline(${WINDOW}, limit: 99999) { start } } }`,
      cost: 1 + 5000,
    },
    {
      name: 'a union counting its costliest member',
      query: '{ playlist(id: 1) { entries { content { ... on MediaFile { name } ... on Playlist { entries { duration } } } } } }',
      cost: 1 + 20 + 20 + 20 * 20,
    },
    {
      name: 'a named fragment, spread twice, counted once',
      query: '{ playlist(id: 1) { ...P ...P } } fragment P on Playlist { entries { duration } }',
      cost: 1 + 20,
    },
    { name: 'aliases each counted', query: '{ a: playlist(id: 1) { name } b: playlist(id: 2) { name } }', cost: 2 },
    { name: 'nodes at the number of ids', query: '{ nodes(ids: ["a", "b", "c"]) { id } }', cost: 3 },
    { name: 'introspection', query: '{ __schema { types { name fields { name } } } }', cost: 0 },
    { name: 'a mutation answering an object', query: 'mutation { createPlaylist(input: { name: "x" }) { id } }', cost: 1 },
  ])('estimates $name at $cost', ({ query, cost }) => {
    expect(estimateCost(schema, parse(query), undefined, {})).toBe(cost);
  });

  it("costs a router's _entities at one object per representation, each at its type's selection, and _service at 1", () => {
    const document = parse(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Playlist { name entries { duration } } ... on MediaFile { name } } }',
    );
    const representations = (n: number) => Array.from({ length: n }, (_, i) => ({ __typename: 'Playlist', viewneoId: 1001 + i }));
    expect(estimateCost(subgraphSchema(), document, undefined, { r: representations(3) })).toBe(3 + 3 * 20);
    expect(estimateCost(subgraphSchema(), document, undefined, { r: representations(100) })).toBe(100 + 100 * 20);
    expect(estimateCost(subgraphSchema(), parse('{ _service { sdl } }'), undefined, {})).toBe(1);
  });

  it('reads sizes from variables, and from their defaults', () => {
    const document = parse('query($n: Int = 7) { playlists(first: $n) { edges { node { name } } } }');
    expect(estimateCost(schema, document, undefined, { n: 3 })).toBe(1 + 3 + 3);
    expect(estimateCost(schema, document, undefined, {})).toBe(1 + 7 + 7);
  });

  it('counts a timeline whose limit variable is null or absent at the default limit', () => {
    const document = parse(`query($n: Int) { playlist(id: 1) { timeline(${WINDOW}, limit: $n) { start } } }`);
    expect(estimateCost(schema, document, undefined, { n: null })).toBe(1 + 500);
    expect(estimateCost(schema, document, undefined, {})).toBe(1 + 500);
  });

  it('counts a variable that does not coerce at the default size', () => {
    const document = parse('query($n: Int) { playlists(first: $n) { edges { node { name } } } }');
    expect(estimateCost(schema, document, undefined, { n: 'x' })).toBe(1 + 20 + 20);
  });

  it('estimates the named operation of a document', () => {
    const document = parse('query A { playlist(id: 1) { name } } query B { playlists { edges { node { name } } } }');
    expect(estimateCost(schema, document, 'A', {})).toBe(1);
    expect(estimateCost(schema, document, 'B', {})).toBe(41);
  });

  it('multiplies nested lists: the flood of 20 aliased timelines over 20 playlists', () => {
    const timelines = Array.from({ length: 20 }, (_, i) => `t${i}: timeline(${WINDOW}, limit: 5000) { start mediaFile { name } }`);
    const query = `{ playlists(first: 20) { edges { node { ${timelines.join(' ')} } } } }`;
    expect(estimateCost(schema, parse(query), undefined, {})).toBe(1 + 20 + 20 + 20 * 20 * (5000 + 5000));
  });
});
