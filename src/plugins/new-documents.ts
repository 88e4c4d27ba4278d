import type { Plugin } from 'graphql-yoga';
import { extractBearerToken } from '../auth/token.js';
import { hashToken } from '../auth/token-hash.js';
import type { DocumentCache } from '../cache/documents.js';
import { noFreeSlot, TokenSlots } from './token-slots.js';

/** Settings of {@link useNewDocumentQueue}. */
export interface NewDocumentLimits {
  /** Requests with a new document one token may have parsed, validated and run at once on this replica. */
  readonly perToken: number;
  /** How long a request waits for a slot before it is refused. */
  readonly timeoutMs: number;
}

// Waiting per slot: enough for a client's connections to wait their turn instead of being refused.
const WAITING_PER_SLOT = 16;

/**
 * Queues per token the requests whose document text the gateway has not seen repeated yet: they
 * pay parsing, validation and a run on graphql-js (a document is compiled only once it repeats,
 * see jit.ts), several milliseconds of CPU each. A token sending distinct documents as fast as it
 * can then has at most `perToken` of them in work at once, and another token's requests pass in
 * between; a repeated document (the usual case) passes without waiting. A request that finds no
 * slot within `timeoutMs`, or behind 16 times `perToken` others, is refused with
 * TOO_MANY_REQUESTS (HTTP 429, Retry-After). Requests without a usable token queue together.
 */
export function useNewDocumentQueue(documents: DocumentCache, limits: NewDocumentLimits): Plugin {
  const slots = new TokenSlots(limits.perToken, limits.perToken * WAITING_PER_SLOT);
  const busy = () =>
    noFreeSlot(
      `Expected at most ${limits.perToken} new documents of this token in work at once, and a free slot within ${limits.timeoutMs} ms; none came free`,
      limits.perToken,
    );
  // Requests with a new document: their execution starts in a macrotask of its own (see onExecute).
  const fresh = new WeakSet<Request>();
  return {
    onParams({ params, request, paramsHandler, setParamsHandler }) {
      if (typeof params.query !== 'string' || documents.repeated(params.query)) return;
      fresh.add(request);
      const { token } = extractBearerToken(request.headers.get('authorization'));
      const key = token === null ? '' : hashToken(token);
      setParamsHandler(async (payload) => {
        const release = await slots.acquire(key, Date.now() + limits.timeoutMs);
        if (release === null) return { errors: [busy()] };
        try {
          return await paramsHandler(payload);
        } finally {
          release();
        }
      });
    },
    onExecute({ args }) {
      // Parsing and validating a new document, then running it on graphql-js, would otherwise be
      // one stretch of several ms without a turn of the event loop: other tokens' requests get one
      // in between.
      if (fresh.has((args.contextValue as { request: Request }).request)) return new Promise<void>((resolve) => setImmediate(resolve));
    },
  };
}
