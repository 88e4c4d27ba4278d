/** An entry's id and its current index. */
export interface Indexed {
  readonly id: number;
  readonly index: number;
}

/**
 * Few index writes that make `wanted` (the entries in their new order) the play order (index
 * ascending, then id): entries along a longest run already in play order (not necessarily
 * contiguous) keep their indexes, and each other entry gets an index strictly between its kept
 * neighbours', so a move costs one write where the indexes leave room. When the gaps between kept indexes are too small for the entries that must fit in
 * them (indexes are integers from 0), every entry is renumbered 0, 1, 2, … and only those whose
 * index changes are written. Answers the writes in the new order.
 */
export function planReorder(wanted: readonly Indexed[]): { id: number; index: number }[] {
  const keep = longestRising(wanted);
  const planned = fillGaps(wanted, keep);
  const writes = planned ?? wanted.map((entry, position) => ({ id: entry.id, index: position }));
  return writes.filter((write, position) => write.index !== wanted[position]!.index);
}

/** Whether `a` plays before `b` by their current indexes (equal indexes play by id, as the gateway orders them). */
function before(a: Indexed, b: Indexed): boolean {
  return a.index < b.index || (a.index === b.index && a.id < b.id);
}

/** Positions of a longest subsequence already in play order (patience sorting, O(n log n)). */
function longestRising(entries: readonly Indexed[]): Set<number> {
  const tails: number[] = [];
  const previous: number[] = new Array(entries.length).fill(-1);
  for (let i = 0; i < entries.length; i++) {
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (before(entries[tails[middle]!]!, entries[i]!)) low = middle + 1;
      else high = middle;
    }
    if (low > 0) previous[i] = tails[low - 1]!;
    tails[low] = i;
  }
  const kept = new Set<number>();
  for (let i = tails.at(-1) ?? -1; i >= 0; i = previous[i]!) kept.add(i);
  return kept;
}

/** New indexes for the entries not kept, spread in the gaps between kept ones; null when a gap is too small. */
function fillGaps(entries: readonly Indexed[], kept: ReadonlySet<number>): { id: number; index: number }[] | null {
  const out = entries.map((entry) => ({ id: entry.id, index: entry.index }));
  let position = 0;
  let below = -1;
  while (position < entries.length) {
    if (kept.has(position)) {
      below = entries[position]!.index;
      position++;
      continue;
    }
    const start = position;
    while (position < entries.length && !kept.has(position)) position++;
    const above = position < entries.length ? entries[position]!.index : Number.POSITIVE_INFINITY;
    const count = position - start;
    if (above - below - 1 < count) return null;
    for (let k = 0; k < count; k++) out[start + k]!.index = below + 1 + k;
    below += count;
  }
  return out;
}
