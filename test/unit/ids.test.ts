import { describe, expect, it } from 'vitest';
import { decodeGlobalId, encodeGlobalId, parseViewneoId } from '../../src/schema/ids.js';

describe('global ids', () => {
  it('round-trips a typename and a local id', () => {
    expect(decodeGlobalId(encodeGlobalId('Playlist', 1001))).toEqual({ typename: 'Playlist', id: '1001' });
  });

  it.each(['', 'not base64!', encodeGlobalId('User', 1), encodeGlobalId('Playlist', 'abc')])('rejects %j with BAD_USER_INPUT', (id) => {
    expect(() => decodeGlobalId(id)).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } }));
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
