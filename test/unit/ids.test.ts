import type { GraphQLObjectType, GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import { decodeGlobalId, encodeGlobalId, parseViewneoId } from '../../src/schema/ids.js';
import { schema, subgraphSchema } from '../../src/schema/index.js';

describe('global ids', () => {
  it('round-trips a typename and a local id', () => {
    expect(decodeGlobalId(encodeGlobalId('Playlist', 1001))).toEqual({ typename: 'Playlist', id: '1001' });
  });

  it.each(['', 'not base64!', encodeGlobalId('User', 1), encodeGlobalId('Playlist', 'abc')])('rejects %j with BAD_USER_INPUT', (id) => {
    expect(() => decodeGlobalId(id)).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } }));
  });
});

describe('node ids', () => {
  it.each([
    ['the schema', schema],
    ['the subgraph schema', subgraphSchema()],
  ])('resolve in %s to the global id at once, not as a promise', (_name, built) => {
    const cases = [
      ['Playlist', { id: 1001 }, 'Playlist:1001'],
      ['MediaFile', { id: 2012 }, 'MediaFile:2012'],
      ['PlaylistEntry', { id: 7, playlistId: 1001 }, 'PlaylistEntry:1001:7'],
    ] as const;
    for (const [type, parent, plain] of cases) {
      const field = (built.getType(type) as GraphQLObjectType).getFields().id!;
      const id = field.resolve!(parent, {}, {}, {} as GraphQLResolveInfo);
      expect(id).toBe(Buffer.from(plain).toString('base64'));
    }
  });
});

describe('parseViewneoId', () => {
  it('accepts a plain viewneo id and a global id of the right type', () => {
    expect(parseViewneoId('1001', 'Playlist')).toBe(1001);
    expect(parseViewneoId(encodeGlobalId('Playlist', 1001), 'Playlist')).toBe(1001);
  });

  it.each(['0', '-1', '1.5', 'abc', encodeGlobalId('MediaFile', 1001), '99999999999999999'])('rejects %j for a Playlist', (raw) => {
    expect(() => parseViewneoId(raw, 'Playlist')).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
    );
  });
});
