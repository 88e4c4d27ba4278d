import type { GraphQLError } from 'graphql';
import { gatewayError } from '../errors.js';

/** The refusal of an operation that found no free slot: TOO_MANY_REQUESTS, HTTP 429, Retry-After 1 s, with the slots per token. */
export function noFreeSlot(message: string, perToken: number): GraphQLError {
  return gatewayError('TOO_MANY_REQUESTS', message, {
    retryAfter: 1,
    limit: perToken,
    http: { status: 429, headers: { 'Retry-After': '1' } },
  });
}

/**
 * A per-token queue: at most `perToken` holders per token; others wait in turn (at most
 * `maxWaiting` of them), each until its deadline. Tokens are keys (hashes), never raw tokens.
 */
export class TokenSlots {
  private readonly tokens = new Map<string, { running: number; waiting: (() => void)[] }>();

  constructor(
    private readonly perToken: number,
    private readonly maxWaiting: number,
  ) {}

  /** A release function once a slot is held, or null when none came free by `deadline`. */
  async acquire(token: string, deadline: number): Promise<(() => void) | null> {
    let state = this.tokens.get(token);
    if (state === undefined) {
      state = { running: 0, waiting: [] };
      this.tokens.set(token, state);
    }
    if (state.running >= this.perToken) {
      if (state.waiting.length >= this.maxWaiting) return null;
      const held = await this.wait(state, deadline);
      if (!held) return null;
    } else state.running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release(token);
    };
  }

  /** Waits for a slot to be handed over (true), or for the deadline (false). */
  private wait(state: { waiting: (() => void)[] }, deadline: number): Promise<boolean> {
    return new Promise((resolve) => {
      const handOver = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(
        () => {
          const index = state.waiting.indexOf(handOver);
          // Already handed over: the slot is on its way (see release).
          if (index === -1) return;
          state.waiting.splice(index, 1);
          resolve(false);
        },
        Math.max(0, deadline - Date.now()),
      );
      state.waiting.push(handOver);
    });
  }

  private release(token: string): void {
    const state = this.tokens.get(token);
    if (state === undefined) return;
    const next = state.waiting.shift();
    // The slot passes to the next waiter as it is: `running` stays the same. It passes in a
    // macrotask, so that the event loop serves other tokens' requests in between: handed over at
    // once (a microtask), one token's waiting operations would run one after another without
    // letting any other request in.
    if (next !== undefined) {
      setImmediate(next);
      return;
    }
    state.running--;
    if (state.running === 0) this.tokens.delete(token);
  }
}
