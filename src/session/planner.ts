import DataLoader from 'dataloader';
import type { ListPlan } from '../viewneo/requests.js';

/** A list's first page as a probe read it: the whole list when it has one page. */
export interface FirstPage<T> {
  readonly items: readonly T[];
  readonly complete: boolean;
}

/** One kind's whole list as the planner sees it (a ListReader in production: list-reader.ts). */
export interface PlannedList<T> {
  /** The whole list when it is cached and fresh (no upstream call), else undefined. */
  cached(): readonly T[] | undefined;
  /** How many pages the list had when last read; undefined when not known. */
  pages(): number | undefined;
  /** How many calls reading the whole list costs now (its pages, less a first page already read); undefined when not known. */
  cost(): number | undefined;
  /** The whole list, as this request reads it (once, cached, priming the by-id loader). */
  whole(): Promise<readonly T[]>;
  /** The list read with `plan`: the whole list, or only its first page when `plan` stopped it. */
  firstPage(plan: ListPlan): Promise<FirstPage<T>>;
  /** The list as this request reads it ahead (read-ahead.ts), when it does. */
  readAheadList(): Promise<readonly T[]> | null;
  /** How many times a write in this request made the list stale so far. */
  writeCount(): number;
}

/** The request's other upstream reads, as far as the planner waits for them. */
export interface RequestReads {
  /** Whether any read of the request is in flight (or waiting for its turn). */
  busy(): boolean;
  /** Resolves once no read of the request is in flight (and none started since in the same turn). */
  quiet(): Promise<void>;
}

/** What the planner of one kind's by-id reads needs (see {@link plannedById}). */
export interface PlannerDeps<T extends { readonly id: number }> {
  readonly list: PlannedList<T>;
  /** The fresh cached object of `id`'s own (no upstream call; null: viewneo has none), or undefined. */
  readonly own: (id: number) => { readonly value: T | null } | undefined;
  /** A by-id read through the cache; null when viewneo has no such object. */
  readonly one: (id: number) => Promise<T | null>;
  /** Told how many upstream calls reading the list instead of the objects one by one saved, as they add up. */
  readonly onSaved: (calls: number) => void;
  /** Told when the list was chosen, or a list read ahead answered more ids than it has pages: what the next run may read ahead. */
  readonly onListed?: () => void;
  /** Calls the token may still start this minute without waiting; null (or absent): no budget is kept. */
  readonly remaining?: () => number | null;
  /** The request's other reads; absent: the planner never waits for them. */
  readonly reads?: RequestReads;
}

/** How one id of a wave is answered. */
type Source =
  /** The fresh cached list holds it: free. */
  | 'cachedList'
  /** The list this request read (or reads ahead) answers it. */
  | 'listed'
  /** A cached list lacks it: it may be new since, so read by id. */
  | 'byId'
  /** Nothing free answers it: the wave's plan decides. */
  | 'open';

type Answers<T> = Map<number, Promise<T | null>>;

/** A kind's planned by-id reads in one request (see {@link plannedById}). */
export interface PlannedById<T> {
  /** Reads ids, a wave (one tick's ids) at a time, as the plan says. */
  readonly loader: DataLoader<number, T | null>;
  /**
   * The answer for `id` that costs no call and waits for nothing: a fresh cached object of its
   * own, else the fresh cached list's (counted as a call saved); undefined when neither holds
   * it or a wave of this request is still deciding (then `loader` answers it).
   */
  free(id: number): { readonly value: T | null } | undefined;
}

// Each cached list's objects by id, built once per list the cache hands out (its array is shared).
const indexes = new WeakMap<readonly { readonly id: number }[], ReadonlyMap<number, unknown>>();

/** The list's objects by id (remembered for as long as the list is). */
function indexed<T extends { readonly id: number }>(items: readonly T[]): ReadonlyMap<number, T> {
  let index = indexes.get(items);
  if (index === undefined) {
    index = new Map(items.map((item) => [item.id, item]));
    indexes.set(items, index);
  }
  return index as ReadonlyMap<number, T>;
}

/**
 * A request's by-id loader for a kind viewneo also lists (playlists, media files, templates),
 * which spends the fewest upstream calls it can see. Each wave classifies its ids, then acts: an
 * object is answered from a fresh cached entry of its own, else from the kind's list when that is
 * cached or was read in this request (both free; an id a cached list lacks is read by id, as it
 * may be new). The rest are read one by one until that would cost more calls than reading the
 * list; from then on the list is read (once) and answers every further id of the request. When
 * the page count is not known yet and a wave asks for several ids, the list's first page is read
 * (it says how many pages there are and answers the ids it holds); the list is read on only when
 * that is the cheaper way.
 *
 * With the token's budget in view: when what the token may still spend this minute cannot cover a
 * wave's by-id reads and the list too, the planner stops betting. It waits until the request's
 * other reads are over (they may ask for more ids), then chooses with the whole demand known:
 * the list when it costs fewer calls than the ids still open, else the ids one by one, whatever
 * was spent before. A short budget is thus spent on the cheapest plan it can see, not on
 * speculation it cannot afford. A list read ahead (read-ahead.ts) answers the ids nothing cheaper
 * answers, and counts as spent. Each key is answered as soon as its own read is over.
 */
export function plannedById<T extends { readonly id: number }>(deps: PlannerDeps<T>): PlannedById<T> {
  const { list } = deps;
  let listed: Promise<ReadonlyMap<number, T>> | null = null;
  let probing: Promise<unknown> | null = null;
  // By-id reads this request sent that could cost an upstream call.
  let started = 0;
  let avoided = 0;
  let spent = 0;
  let reported = 0;
  // A list read ahead: null without one, false until its read is over (only then are its pages known).
  let aheadRead: boolean | null = null;
  let writesSeen = 0;
  // Ids waiting for the request's other reads to end, planned together then.
  let held: { id: number; settle: (answer: Promise<T | null>) => void }[] = [];
  let release: Promise<void> | null = null;

  const report = () => {
    if (aheadRead === false) return;
    const saved = avoided - spent;
    if (aheadRead === true && saved > 0) deps.onListed?.();
    if (saved > reported) {
      deps.onSaved(saved - reported);
      reported = saved;
    }
  };
  const byId = (items: readonly T[]) => new Map(items.map((item) => [item.id, item]));
  const from = (items: Promise<ReadonlyMap<number, T>>, id: number) => items.then((found) => found.get(id) ?? null);

  /** Whether the token may no longer spend `demand` by-id reads and the list's cost on top: then nothing is spent on a bet. */
  const short = (demand: number): boolean => {
    const remaining = deps.remaining?.() ?? null;
    return remaining !== null && remaining < demand + (list.cost() ?? demand);
  };

  /** Whether reading the whole list (`cost` calls, `pages` in all) is the cheaper way to answer `demand` more ids. */
  const listIsCheaper = (demand: number, pages: number, cost: number): boolean => {
    // With the budget short, only what is left to spend counts; else never more than the list's pages go to by-id reads.
    if (short(demand)) return demand > cost;
    return started + demand > pages;
  };

  function classify(id: number, cached: ReadonlyMap<number, T> | null): Source {
    if (cached?.has(id)) return 'cachedList';
    if (listed !== null && cached === null) return 'listed';
    if (cached !== null) return 'byId';
    return 'open';
  }

  async function wave(ids: readonly number[], mayHold: boolean): Promise<Answers<T>> {
    // One probe at a time: the waves that come meanwhile are planned with what it learnt.
    while (probing !== null) await probing;
    const writes = list.writeCount();
    if (writes !== writesSeen) {
      writesSeen = writes;
      listed = null;
    }
    const cachedItems = listed === null ? list.cached() : undefined;
    const cached = cachedItems === undefined ? null : indexed(cachedItems);
    const answers: Answers<T> = new Map();
    const open: number[] = [];
    for (const id of ids) {
      // A fresh cached object of its own: free.
      const own = deps.own(id);
      if (own !== undefined) {
        answers.set(id, Promise.resolve(own.value));
        continue;
      }
      let source = classify(id, cached);
      if (source === 'open' && adoptAhead()) source = 'listed';
      if (source === 'byId') {
        started++;
        answers.set(id, deps.one(id));
      } else if (source === 'cachedList') {
        avoided++;
        answers.set(id, Promise.resolve(cached!.get(id)!));
      } else if (source === 'listed') {
        avoided++;
        answers.set(id, from(listed!, id));
      } else open.push(id);
    }
    report();
    if (open.length === 0) return answers;
    if (mayHold && (release !== null || (short(open.length) && deps.reads?.busy()))) {
      for (const id of open) answers.set(id, hold(id));
    } else await plan(open, answers);
    return answers;
  }

  /** Answers `id` once the request's other reads are over, with every id held until then planned together. */
  function hold(id: number): Promise<T | null> {
    const answer = new Promise<T | null>((resolve, reject) => {
      held.push({ id, settle: (read) => read.then(resolve, reject) });
    });
    release ??= deps.reads!.quiet().then(async () => {
      const waiting = held;
      held = [];
      release = null;
      try {
        const answers = await wave(
          waiting.map((w) => w.id),
          false,
        );
        for (const { id: heldId, settle } of waiting) settle(answers.get(heldId)!);
      } catch (error) {
        // Nothing held may wait for ever: each id fails as its own read would have.
        for (const { settle } of waiting) settle(Promise.reject(error));
      }
    });
    return answer;
  }

  /** Answers the rest of the request from the list read ahead, if there is one; true when it does. */
  function adoptAhead(): boolean {
    if (listed !== null) return true;
    const ahead = list.readAheadList();
    if (ahead === null) return false;
    aheadRead = false;
    listed = ahead.then((items) => {
      aheadRead = true;
      // Its pages as read now, which may be more than when it was last read.
      spent += list.pages() ?? 1;
      report();
      return byId(items);
    });
    return true;
  }

  async function plan(pending: readonly number[], answers: Answers<T>): Promise<void> {
    const pages = list.pages();
    const cost = list.cost();
    if (pages !== undefined && cost !== undefined && listIsCheaper(pending.length, pages, cost)) {
      deps.onListed?.();
      const whole = list.whole().then(byId);
      listed = whole;
      avoided += pending.length;
      spent += cost;
      for (const id of pending) answers.set(id, from(whole, id));
      report();
      return;
    }
    let rest = pending;
    if (pages === undefined && pending.length > 1) rest = await probe(pending, answers);
    started += rest.length;
    for (const id of rest) answers.set(id, deps.one(id));
  }

  /** Reads the list's first page (and on, when the whole list is the cheaper way); answers the ids it does not answer. */
  async function probe(pending: readonly number[], answers: Answers<T>): Promise<readonly number[]> {
    let total = 1;
    const worthReading = (count: number) => {
      total = count;
      return listIsCheaper(pending.length, count, count - 1);
    };
    // A failed probe costs nothing more than the by-id reads would have: they go ahead.
    const probed = list.firstPage({ worthReading }).catch(() => null);
    probing = probed;
    const page = await probed;
    probing = null;
    if (page === null) return pending;
    const found = byId(page.items);
    if (page.complete) listed = Promise.resolve(found);
    for (const id of pending) if (page.complete || found.has(id)) answers.set(id, Promise.resolve(found.get(id) ?? null));
    const rest = pending.filter((id) => !answers.has(id));
    avoided += pending.length - rest.length;
    spent += page.complete ? total : 1;
    report();
    return rest;
  }

  return {
    loader: new DataLoader<number, T | null>(async (ids) => {
      const answers = await wave(ids, true);
      // Each key gets its own read's promise, so none waits for the slowest read of its wave.
      return ids.map((id) => answers.get(id)!) as unknown as (T | null)[];
    }),
    free(id) {
      // A wave in progress, a list this request read, or a write since: the loader's plan answers.
      if (probing !== null || listed !== null || release !== null || list.writeCount() !== writesSeen) return undefined;
      const own = deps.own(id);
      if (own !== undefined) return own;
      const cachedItems = list.cached();
      const item = cachedItems === undefined ? undefined : indexed(cachedItems).get(id);
      if (item === undefined) return undefined;
      avoided++;
      report();
      return { value: item };
    },
  };
}
