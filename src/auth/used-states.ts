import { LRUCache } from 'lru-cache';
import { STATE_TTL_SECONDS } from './state.js';

/**
 * Remembers which OAuth `state` values were spent, for as long as a state can be valid,
 * so that a replayed state is refused. In-process: replicas would share it through Redis.
 */
export class UsedStates {
  private readonly spent = new LRUCache<string, true>({ max: 100_000, ttl: STATE_TTL_SECONDS * 1000 });

  /** Marks the state's id as spent; false when it already was. */
  spend(stateId: string): boolean {
    if (this.spent.has(stateId)) return false;
    this.spent.set(stateId, true);
    return true;
  }
}
