import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DocumentCache } from '../../src/cache/documents.js';

describe('DocumentCache', () => {
  it('keeps a repeated document through a flood of documents seen once', () => {
    const cache = new DocumentCache(4, 2);
    const hot = parse('{ hot: __typename }');
    cache.set('hot', hot);
    expect(cache.get('hot')).toBe(hot);
    expect(cache.repeated('hot')).toBe(true);
    for (let i = 0; i < 100; i++) cache.set(`once ${i}`, parse(`{ a${i}: __typename }`));
    expect(cache.get('hot')).toBe(hot);
    expect(cache.get('once 0')).toBeUndefined();
    expect(cache.get('once 99')).toBeDefined();
  });

  it.each([
    ['never seen', [], false],
    ['parsed once', ['set'], false],
    ['asked for again', ['set', 'get'], true],
  ] as const)('says whether a text is repeated (%s)', (_name, steps, repeated) => {
    const cache = new DocumentCache(4, 2);
    for (const step of steps) {
      if (step === 'set') cache.set('q', parse('{ __typename }'));
      else cache.get('q');
    }
    expect(cache.repeated('q')).toBe(repeated);
  });

  it('evicts the least recently used repeated document past its bound', () => {
    const cache = new DocumentCache(2, 2);
    for (const text of ['a', 'b', 'c']) {
      cache.set(text, parse(`{ ${text}: __typename }`));
      cache.get(text);
    }
    expect(cache.repeated('a')).toBe(false);
    expect(cache.repeated('c')).toBe(true);
  });
});
