import DataLoader from 'dataloader';
import { describe, expect, it } from 'vitest';
import { after, Memo } from '../../src/session/memo.js';

/** A Memo over a loader that records every id it is asked for, with `free` ids answered from `cached`. */
function memo(cached: Map<number, string>, fail: readonly number[] = []) {
  const loaded: number[] = [];
  const loader = new DataLoader<number, string>(async (ids) =>
    ids.map((id) => {
      loaded.push(id);
      return fail.includes(id) ? new Error(`no ${id}`) : `loaded ${id} v${loaded.length}`;
    }),
  );
  const reads = new Memo(loader, (id) => (cached.has(id) ? { value: cached.get(id)! } : undefined));
  return { reads, loaded };
}

describe('Memo', () => {
  it('answers a free id as a plain value, with no load', () => {
    const { reads, loaded } = memo(new Map([[1, 'cached 1']]));
    expect(reads.get(1)).toBe('cached 1');
    expect(loaded).toEqual([]);
  });

  it('keeps the first answer of an id for the rest of the request', async () => {
    const cached = new Map([[1, 'cached 1']]);
    const { reads } = memo(cached);
    expect(reads.get(1)).toBe('cached 1');
    cached.set(1, 'changed 1');
    expect(reads.get(1)).toBe('cached 1');
    expect(await reads.get(2)).toBe('loaded 2 v1');
    // Settled now: a plain value, the same one.
    expect(reads.get(2)).toBe('loaded 2 v1');
  });

  it('loads an id once however often it is asked for while loading', async () => {
    const { reads, loaded } = memo(new Map());
    const [a, b] = [reads.get(7), reads.get(7)];
    expect(a).toBe(b);
    expect(await a).toBe('loaded 7 v1');
    expect(loaded).toEqual([7]);
  });

  it('keeps a failed read failed, with no second load', async () => {
    const { reads, loaded } = memo(new Map(), [3]);
    await expect(reads.get(3)).rejects.toThrow('no 3');
    await expect(reads.get(3)).rejects.toThrow('no 3');
    expect(loaded).toEqual([3]);
  });

  it('reads a cleared id again, and a read from before the clear does not become its answer', async () => {
    const { reads, loaded } = memo(new Map());
    const before = reads.get(5);
    reads.clear(5);
    const again = reads.get(5);
    expect(await before).toBe('loaded 5 v1');
    expect(await again).toBe('loaded 5 v2');
    expect(reads.get(5)).toBe('loaded 5 v2');
    expect(loaded).toEqual([5, 5]);
  });

  it('takes a primed answer only for an id that has none yet', async () => {
    const { reads, loaded } = memo(new Map([[1, 'cached 1']]));
    expect(reads.get(1)).toBe('cached 1');
    reads.prime(1, 'primed 1');
    reads.prime(2, 'primed 2');
    expect(reads.get(1)).toBe('cached 1');
    expect(reads.get(2)).toBe('primed 2');
    reads.clearAll();
    expect(await reads.load(2)).toBe('loaded 2 v1');
    expect(loaded).toEqual([2]);
  });
});

describe('after', () => {
  it.each([
    ['a value', 2, 3],
    ['a promise', Promise.resolve(2), 3],
  ])('applies a function to %s', async (_name, value, expected) => {
    const out = after(value, (n) => n + 1);
    expect(value instanceof Promise).toBe(out instanceof Promise);
    expect(await out).toBe(expected);
  });
});
