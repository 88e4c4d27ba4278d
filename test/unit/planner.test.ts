import { describe, expect, it } from 'vitest';
import { type PlannedList, plannedById, type RequestReads } from '../../src/session/planner.js';
import type { ListPlan } from '../../src/viewneo/requests.js';

type Item = { id: number };

/**
 * An account of `count` objects listed `perPage` to a page, with what the planner is told about
 * it, recording every read it would send upstream (as DataLoader's own tests record batches).
 */
function account(options: {
  count: number;
  perPage: number;
  pagesKnown?: boolean;
  cachedIds?: number[];
  listCached?: boolean;
  readAhead?: boolean;
  /** Read at each wave: a write in the request made the list stale this many times. */
  listWrites?: () => number;
  /** Calls the token may still start; absent: no budget. Each read spends one. */
  remaining?: number;
  /** The request's other reads, when the test plays them. */
  reads?: RequestReads;
}) {
  const items: Item[] = Array.from({ length: options.count }, (_, i) => ({ id: i + 1 }));
  const pages = Math.ceil(options.count / options.perPage);
  const reads: string[] = [];
  const saved: number[] = [];
  let known = options.pagesKnown ? pages : undefined;
  let firstHeld = false;
  const worthIt: string[] = [];
  const record = (read: string) => reads.push(read);
  const readWhole = async () => {
    for (let page = firstHeld ? 2 : 1; page <= pages; page++) record(`page ${page}`);
    firstHeld = false;
    known = pages;
    return items;
  };
  const ahead = options.readAhead ? readWhole() : null;
  const list: PlannedList<Item> = {
    cached: () => (options.listCached ? items : undefined),
    pages: () => known,
    cost: () => (known === undefined ? undefined : Math.max(1, known - (firstHeld ? 1 : 0))),
    whole: readWhole,
    firstPage: async (plan: ListPlan) => {
      record('page 1');
      known = pages;
      if (pages > 1 && plan.worthReading?.(pages) === false) {
        firstHeld = true;
        return { items: items.slice(0, options.perPage), complete: false };
      }
      for (let page = 2; page <= pages; page++) record(`page ${page}`);
      return { items, complete: true };
    },
    readAheadList: () => ahead,
    writeCount: () => options.listWrites?.() ?? 0,
  };
  const find = (id: number) => items.find((item) => item.id === id) ?? null;
  const planned = plannedById<Item>({
    list,
    own: (id) => (options.cachedIds?.includes(id) ? { value: find(id) } : undefined),
    one: async (id) => {
      record(`one ${id}`);
      return find(id);
    },
    onSaved: (calls) => saved.push(calls),
    onListed: () => worthIt.push('worth it'),
    ...(options.remaining === undefined ? {} : { remaining: () => options.remaining! - reads.length }),
    ...(options.reads ? { reads: options.reads } : {}),
  });
  return { loader: planned.loader, free: (id: number) => planned.free(id), reads, saved, worthIt };
}

/** Other reads of the request, in flight until `end()`. */
function otherReads() {
  let busy = true;
  let end = () => {};
  const over = new Promise<void>((resolve) => {
    end = () => {
      busy = false;
      resolve();
    };
  });
  return { reads: { busy: () => busy, quiet: () => over } satisfies RequestReads, end };
}

describe('plannedById', () => {
  it('answers from a list read ahead, with no read of its own, and says when that saved calls', async () => {
    const { loader, reads, saved, worthIt } = account({ count: 30, perPage: 15, pagesKnown: true, readAhead: true });
    expect(await loader.loadMany([1, 16, 17])).toEqual([{ id: 1 }, { id: 16 }, { id: 17 }]);
    expect(reads).toEqual(['page 1', 'page 2']);
    expect(saved).toEqual([1]);
    expect(worthIt.length).toBeGreaterThan(0);
  });

  it('does not call a list read ahead worth it when it answered no more ids than its pages', async () => {
    const { loader, reads, worthIt } = account({ count: 30, perPage: 15, pagesKnown: true, readAhead: true });
    expect(await loader.loadMany([1, 16])).toEqual([{ id: 1 }, { id: 16 }]);
    expect(reads).toEqual(['page 1', 'page 2']);
    expect(worthIt).toEqual([]);
  });

  it('forgets the list it read once a write in the request made the list stale', async () => {
    let writes = 0;
    const { loader, reads } = account({ count: 30, perPage: 15, pagesKnown: true, listWrites: () => writes });
    await loader.loadMany([1, 2, 3]);
    expect(reads).toEqual(['page 1', 'page 2']);
    writes = 1;
    expect(await loader.load(4)).toEqual({ id: 4 });
    // Planned afresh: one id is cheaper read by itself than the two pages again.
    expect(reads).toEqual(['page 1', 'page 2', 'one 4']);
  });

  it('prefers fresh cached entries to a list read ahead', async () => {
    const { loader, worthIt } = account({ count: 30, perPage: 15, pagesKnown: true, readAhead: true, cachedIds: [3, 4, 5] });
    expect(await loader.loadMany([3, 4, 5])).toEqual([{ id: 3 }, { id: 4 }, { id: 5 }]);
    expect(worthIt).toEqual([]);
  });

  it('answers from fresh cached entries without a read', async () => {
    const { loader, reads } = account({ count: 40, perPage: 15, cachedIds: [3, 4] });
    expect(await loader.loadMany([3, 4])).toEqual([{ id: 3 }, { id: 4 }]);
    expect(reads).toEqual([]);
  });

  it('answers from a cached list for free, and reads by id an id the list does not hold (it may be new)', async () => {
    const { loader, reads, saved } = account({ count: 40, perPage: 15, listCached: true });
    expect(await loader.loadMany([5, 6, 99])).toEqual([{ id: 5 }, { id: 6 }, null]);
    expect(reads).toEqual(['one 99']);
    expect(saved).toEqual([2]);
  });

  it('answers for free, without a promise, an id with a fresh entry of its own or in the fresh cached list', () => {
    const own = account({ count: 40, perPage: 15, cachedIds: [3] });
    expect(own.free(3)).toEqual({ value: { id: 3 } });
    expect(own.free(4)).toBeUndefined();
    const listed = account({ count: 40, perPage: 15, listCached: true });
    expect(listed.free(5)).toEqual({ value: { id: 5 } });
    expect(listed.saved).toEqual([1]);
    // Not in the cached list: it may be new, so the loader reads it by id.
    expect(listed.free(99)).toBeUndefined();
    expect(listed.reads).toEqual([]);
  });

  it('leaves to the loader every id once this request read the list', async () => {
    const { loader, free, reads } = account({ count: 30, perPage: 15, pagesKnown: true });
    await loader.loadMany([1, 2, 3]);
    expect(free(4)).toBeUndefined();
    expect(await loader.load(4)).toEqual({ id: 4 });
    expect(reads).toEqual(['page 1', 'page 2']);
  });

  it('answers null, with no further read, for an id missing from a list read in this request', async () => {
    const { loader, reads } = account({ count: 30, perPage: 15 });
    expect(await loader.loadMany([1, 16, 99])).toEqual([{ id: 1 }, { id: 16 }, null]);
    expect(reads).toEqual(['page 1', 'page 2']);
  });

  it('reads objects one by one while that costs fewer calls than the list', async () => {
    const { loader, reads } = account({ count: 40, perPage: 15, pagesKnown: true });
    await loader.loadMany([1, 2]);
    expect(reads).toEqual(['one 1', 'one 2']);
  });

  it('reads the list once one-by-one reads would cost more, and answers later waves from it', async () => {
    const { loader, reads, saved } = account({ count: 40, perPage: 15, pagesKnown: true });
    await loader.loadMany([1, 2]);
    await loader.loadMany([10, 20]);
    await loader.loadMany([30, 31, 32, 33]);
    expect(reads).toEqual(['one 1', 'one 2', 'page 1', 'page 2', 'page 3']);
    // 6 objects answered from a list of 3 pages.
    expect(saved.reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('reads the first page when the page count is unknown, and stops there when the rest would cost more', async () => {
    const { loader, reads } = account({ count: 150, perPage: 15 });
    expect(await loader.loadMany([2, 3, 40])).toEqual([{ id: 2 }, { id: 3 }, { id: 40 }]);
    expect(reads).toEqual(['page 1', 'one 40']);
  });

  it('reads on past the first page when the whole list is the cheaper way', async () => {
    const { loader, reads } = account({ count: 30, perPage: 15 });
    await loader.loadMany([1, 16, 17, 29]);
    expect(reads).toEqual(['page 1', 'page 2']);
    await loader.load(30);
    expect(reads).toEqual(['page 1', 'page 2']);
  });

  it('reads a single object by id when nothing is known', async () => {
    const { loader, reads } = account({ count: 150, perPage: 15 });
    await loader.load(7);
    expect(reads).toEqual(['one 7']);
  });

  it("with the budget short, waits for the request's other reads and then reads the list when it is the cheaper way", async () => {
    // 61 objects 4 a page (16 pages), 18 calls left: 6 ids by id and the list would not fit.
    const { reads: others, end } = otherReads();
    const { loader, reads } = account({ count: 61, perPage: 4, pagesKnown: true, remaining: 18, reads: others });
    const waves = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((w) => loader.loadMany([1, 2, 3, 4, 5, 6].map((i) => ((w * 6 + i - 1) % 61) + 1)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(reads).toEqual([]);
    end();
    const answers = (await Promise.all(waves)).flat();
    expect(answers.every((a) => a !== null && !(a instanceof Error))).toBe(true);
    expect(reads).toEqual(Array.from({ length: 16 }, (_, i) => `page ${i + 1}`));
  });

  it('with the budget short and nothing else in flight, reads a few ids by id rather than a longer list', async () => {
    const { reads: others, end } = otherReads();
    end();
    const { loader, reads } = account({ count: 61, perPage: 4, pagesKnown: true, remaining: 18, reads: others });
    await loader.loadMany([10, 20, 30, 40, 50, 60]);
    expect(reads).toEqual(['one 10', 'one 20', 'one 30', 'one 40', 'one 50', 'one 60']);
  });

  it('with the budget short, reads the few ids left by id whatever it spent before', async () => {
    const { loader, reads } = account({ count: 61, perPage: 4, pagesKnown: true, remaining: 20 });
    await loader.loadMany([1, 2, 3]);
    await loader.loadMany([4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    // 16 by-id reads already spent: with budget to spare the list would be read now; short, 1 more id costs 1.
    expect(reads).toHaveLength(16);
    await loader.load(17);
    expect(reads.at(-1)).toBe('one 17');
  });

  it('with budget to spare, bets on by-id reads and reads the list once they would cost more', async () => {
    const { reads: others } = otherReads();
    const { loader, reads } = account({ count: 61, perPage: 4, pagesKnown: true, remaining: 1000, reads: others });
    await loader.loadMany([1, 2, 3, 4, 5, 6]);
    expect(reads).toEqual(['one 1', 'one 2', 'one 3', 'one 4', 'one 5', 'one 6']);
    await loader.loadMany([7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]);
    expect(reads.slice(6)).toEqual(Array.from({ length: 16 }, (_, i) => `page ${i + 1}`));
  });
});
