import { LRUCache } from 'lru-cache';
import type { ListResource } from '../session/resources.js';

/**
 * What each token's operations needed last time, for reading it ahead: the lists the planner
 * chose to read after a first round of reads (a media list for the media files a playlist's
 * entries show). The next run of the same operation by the same token starts them with its
 * first round, which takes a sequential round off its critical path. A hint names only what the
 * last run needed, so a run reads ahead nothing that run would not have read, and once a run
 * no longer needs a list its hint is gone: a change in the data costs one list read at most.
 * Keys carry the token's hash, never the token, and hints are never shared between tokens.
 */
export class ReadAheadHints {
  private readonly hints: LRUCache<string, readonly ListResource[]>;

  constructor(maxEntries: number) {
    this.hints = new LRUCache({ max: maxEntries });
  }

  /** The lists to read ahead for this token's `operation`; empty when there is no hint. */
  get(tokenHash: string, operation: string): readonly ListResource[] {
    return this.hints.get(`${tokenHash}:${operation}`) ?? [];
  }

  /** Remembers what this run of the token's `operation` needed (nothing: forgets the hint). */
  learn(tokenHash: string, operation: string, lists: readonly ListResource[]): void {
    const key = `${tokenHash}:${operation}`;
    if (lists.length === 0) this.hints.delete(key);
    else this.hints.set(key, lists);
  }
}
