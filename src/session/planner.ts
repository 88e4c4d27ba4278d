import DataLoader from 'dataloader';
import type { ListPlan } from '../viewneo/requests.js';

/** What the planner of one kind's by-id reads needs (see {@link plannedById}). */
export interface PlannerDeps<T extends { readonly id: number }> {
  /** Whether a by-id read of `id` would be answered by the cache (fresh entry: no upstream call). */
  readonly isCached: (id: number) => boolean;
  /** The kind's whole list when it is cached and fresh (no upstream call), else undefined. */
  readonly cachedList: () => readonly T[] | undefined;
  /** How many pages the kind's list had when last read; undefined when not known. */
  readonly pages: () => number | undefined;
  /** A by-id read through the cache; null when viewneo has no such object. */
  readonly one: (id: number) => Promise<T | null>;
  /** The whole list, as this request's list loader reads it (cached, and primes the by-id loader). */
  readonly list: () => Promise<readonly T[]>;
  /** The list read with `plan`: answers the whole list, or only its first page when `plan` stopped it. */
  readonly probe: (plan: ListPlan) => Promise<{ readonly items: readonly T[]; readonly complete: boolean }>;
  /** Told how many upstream calls reading the list instead of the objects one by one saved, as they add up. */
  readonly onSaved: (calls: number) => void;
  /**
   * The list as this request reads it ahead (see read-ahead.ts), when it does: then the ids
   * nothing cheaper answers are answered from it.
   */
  readonly ahead?: () => Promise<readonly T[]> | null;
  /**
   * How many times a write in this request made the list stale so far: when it changes, the
   * planner forgets the list it read before (its later ids are planned afresh).
   */
  readonly listWrites?: () => number;
  /** Told once the list read ahead has answered more ids than it has pages: it was worth its calls. */
  readonly onAheadWorthIt?: () => void;
}

/**
 * A request's by-id loader for a kind viewneo also lists (playlists, media files, templates),
 * which spends the fewest upstream calls it can see: an object is answered from a fresh cached
 * entry of its own, else from the kind's list when that is cached or was read in this request
 * (both free; an id a cached list lacks is read by id, as it may have been created since). The rest are read one by one, until that would cost more calls than reading the
 * list: from then on the list is read (once) and answers every further id of the request. When
 * the list's page count is not known yet and a wave asks for several ids, the list's first page
 * is read (it says how many pages there are, and answers the ids it holds); the list is read on
 * only when that is the cheaper way. A request thus never spends much more than the list's pages
 * on by-id reads of one kind. Each key is answered as soon as its own read is over. A list read
 * ahead (read-ahead.ts) answers the ids nothing cheaper answers, and counts as spent.
 */
export function plannedById<T extends { readonly id: number }>(deps: PlannerDeps<T>): DataLoader<number, T | null> {
  let listed: Promise<ReadonlyMap<number, T>> | null = null;
  let probing: Promise<unknown> | null = null;
  // By-id reads this request sent that could cost an upstream call.
  let started = 0;
  let avoided = 0;
  let spent = 0;
  let reported = 0;
  // A list read ahead: null without one, false until its read is over (only then are its pages known).
  let aheadRead: boolean | null = null;
  const report = () => {
    if (aheadRead === false) return;
    const saved = avoided - spent;
    if (aheadRead === true && saved > 0) deps.onAheadWorthIt?.();
    if (saved > reported) {
      deps.onSaved(saved - reported);
      reported = saved;
    }
  };
  const byId = (items: readonly T[]) => new Map(items.map((item) => [item.id, item]));

  let writesSeen = 0;

  async function wave(ids: readonly number[]): Promise<Promise<T | null>[]> {
    // One probe at a time: the waves that come meanwhile are planned with what it learnt.
    while (probing !== null) await probing;
    const writes = deps.listWrites?.() ?? 0;
    if (writes !== writesSeen) {
      writesSeen = writes;
      listed = null;
    }
    const answers = new Map<number, Promise<T | null>>();
    const cachedList = listed === null ? deps.cachedList() : undefined;
    const cached = cachedList === undefined ? null : byId(cachedList);
    const pending: number[] = [];
    for (const id of ids) {
      const fromCachedList = cached?.get(id);
      const isCached = deps.isCached(id);
      if (listed === null && cached === null && !isCached) adoptAhead();
      if (isCached) answers.set(id, deps.one(id));
      else if (fromCachedList !== undefined) {
        avoided++;
        answers.set(id, Promise.resolve(fromCachedList));
      } else if (listed !== null && cached === null) {
        avoided++;
        const list = listed;
        answers.set(
          id,
          list.then((items) => items.get(id) ?? null),
        );
      } else if (cached !== null) {
        // Not in a list that may be seconds old: it may be new, so ask for it.
        started++;
        answers.set(id, deps.one(id));
      } else pending.push(id);
    }
    report();
    if (pending.length > 0) await plan(pending, answers);
    return ids.map((id) => answers.get(id)!);
  }

  /** Answers the rest of the request from the list read ahead, if there is one. */
  function adoptAhead(): void {
    const ahead = deps.ahead?.() ?? null;
    if (ahead === null) return;
    aheadRead = false;
    listed = ahead.then((items) => {
      aheadRead = true;
      // Its pages as read now, which may be more than when it was last read.
      spent += deps.pages() ?? 1;
      report();
      return byId(items);
    });
  }

  async function plan(pending: number[], answers: Map<number, Promise<T | null>>): Promise<void> {
    const pages = deps.pages();
    if (pages !== undefined && started + pending.length > pages) {
      listed = deps.list().then(byId);
      avoided += pending.length;
      spent += pages;
      const list = listed;
      for (const id of pending)
        answers.set(
          id,
          list.then((items) => items.get(id) ?? null),
        );
      report();
      return;
    }
    let rest = pending;
    if (pages === undefined && pending.length > 1) {
      let total = 1;
      const worthReading = (count: number) => {
        total = count;
        return started + pending.length > count;
      };
      // A failed probe costs nothing more than the by-id reads would have: they go ahead.
      const probed = deps.probe({ worthReading }).catch(() => null);
      probing = probed;
      const probe = await probed;
      probing = null;
      if (probe !== null) {
        const found = byId(probe.items);
        if (probe.complete) listed = Promise.resolve(found);
        for (const id of pending) if (probe.complete || found.has(id)) answers.set(id, Promise.resolve(found.get(id) ?? null));
        rest = pending.filter((id) => !answers.has(id));
        avoided += pending.length - rest.length;
        spent += probe.complete ? total : 1;
        report();
      }
    }
    started += rest.length;
    for (const id of rest) answers.set(id, deps.one(id));
  }

  return new DataLoader<number, T | null>(
    // Each key gets its own read's promise, so none waits for the slowest read of its wave.
    (ids) => wave(ids) as unknown as Promise<(T | null)[]>,
  );
}
