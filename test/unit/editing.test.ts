import { describe, expect, it } from 'vitest';
import { movesIntoItself, reaches } from '../../src/domain/nesting.js';
import { planReorder } from '../../src/domain/reorder.js';
import { decodeWeekdays, encodeWeekdays } from '../../src/domain/weekdays.js';

/** Entries in their wanted order, given as `id:index`. */
const order = (text: string) =>
  text.split(' ').map((pair) => {
    const [id, index] = pair.split(':').map(Number);
    return { id: id!, index: index! };
  });

/** Applies the writes and answers the ids in play order (index, then id), as a player would play them. */
function played(entries: { id: number; index: number }[], writes: { id: number; index: number }[]): number[] {
  const indexes = new Map(entries.map((e) => [e.id, e.index]));
  for (const w of writes) indexes.set(w.id, w.index);
  return [...indexes].sort(([a, i], [b, j]) => i - j || a - b).map(([id]) => id);
}

describe('planReorder', () => {
  it.each([
    ['writes nothing when the order is unchanged', '1:0 2:1 3:2', []],
    ['moves one entry into a gap with one write', '3:30 1:10 2:20', [{ id: 3, index: 0 }]],
    ['moves the last entry first by one write when index 0 is free', '3:5 1:1 2:2', [{ id: 3, index: 0 }]],
    ['writes nothing when the new order is already the play order', '2:10 1:20 3:30', []],
    ['swaps two neighbours with one write when there is room', '2:20 1:10 3:30', [{ id: 2, index: 0 }]],
    [
      'renumbers when the gaps are too small, writing only what changes',
      '3:2 1:0 2:1',
      [
        { id: 3, index: 0 },
        { id: 1, index: 1 },
        { id: 2, index: 2 },
      ],
    ],
    [
      'renumbers a reversed list when the entry it keeps leaves no room below',
      '3:20 2:10 1:0',
      [
        { id: 3, index: 0 },
        { id: 2, index: 1 },
        { id: 1, index: 2 },
      ],
    ],
    ['keeps equal indexes that already play in the new order (by id)', '1:5 2:5 3:5', []],
    ['separates equal indexes that must change places', '3:5 1:5 2:5', [{ id: 3, index: 0 }]],
  ])('%s', (_name, wanted, writes) => {
    const entries = order(wanted);
    const plan = planReorder(entries);
    expect(plan).toEqual(writes);
    expect(played(entries, plan)).toEqual(entries.map((e) => e.id));
  });

  it('always yields the wanted play order, with indexes from 0', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const n = 1 + (seed % 12);
      const indexes = Array.from({ length: n }, (_, i) => (i * seed * 7) % (n * 3));
      const entries = indexes.map((index, i) => ({ id: i + 1, index }));
      const wanted = [...entries].sort((a, b) => ((a.id * seed) % 13) - ((b.id * seed) % 13) || a.id - b.id);
      const plan = planReorder(wanted);
      expect(played(wanted, plan)).toEqual(wanted.map((e) => e.id));
      expect(plan.every((w) => Number.isInteger(w.index) && w.index >= 0)).toBe(true);
      expect(plan.length).toBeLessThanOrEqual(n);
    }
  });
});

describe('reaches', () => {
  const nested = new Map([
    [1, [2]],
    [2, [3]],
    [3, []],
    [4, [4]],
  ]);
  it.each([
    ['a playlist reaches itself', 3, 3, true],
    ['through a chain', 1, 3, true],
    ['not against the nesting', 3, 1, false],
    ['survives a cycle in the data', 4, 1, false],
    ['a playlist nobody lists nests nothing', 9, 1, false],
  ])('%s', (_name, from, target, expected) => {
    expect(reaches(from, target, nested)).toBe(expected);
  });
});

describe('movesIntoItself', () => {
  const parents = new Map<number, number | null>([
    [1, null],
    [2, 1],
    [3, 2],
    [7, 8],
    [8, 7],
  ]);
  const parentOf = (id: number) => parents.get(id) ?? null;
  it.each([
    ['into itself', 2, 2, true],
    ['below itself', 1, 3, true],
    ['to the top level', 3, null, false],
    ['into a sibling branch', 3, 1, false],
    ['survives a cycle in the data', 1, 7, false],
  ])('%s', (_name, id, parent, expected) => {
    expect(movesIntoItself(id, parent, parentOf)).toBe(expected);
  });
});

describe('encodeWeekdays', () => {
  it.each([
    [[], 0],
    [['SUNDAY'], 1],
    [['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'], 62],
    [['SATURDAY', 'SUNDAY', 'SUNDAY'], 65],
  ] as const)('encodes %j as %i, and back', (days, mask) => {
    expect(encodeWeekdays(days)).toBe(mask);
    expect(decodeWeekdays(mask)).toEqual(
      [...new Set(days)].sort((a, b) => decodeWeekdays(127).indexOf(a) - decodeWeekdays(127).indexOf(b)),
    );
  });
});
