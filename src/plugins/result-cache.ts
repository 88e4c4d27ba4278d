import { type DocumentNode, type ExecutionResult, getOperationAST } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import type { Context } from '../context.js';
import type { Replays } from '../replay.js';
import type { UpstreamCache } from '../session/upstream-cache.js';
import { WholeResult } from './incremental.js';
import { preSerialized, serialize } from './response-size.js';

/** Bounds of the per-token result cache. */
export interface ResultCacheOptions {
  readonly maxEntries: number;
  /** Total size of the cached results, measured as their JSON length. */
  readonly maxBytes: number;
  /** Told about every result served from this cache (metrics). */
  readonly onHit?: () => void;
  /** The fast path of repeated requests: told of each hit, and given the results to answer from. */
  readonly replays?: Replays;
}

const documentIds = new WeakMap<DocumentNode, number>();
let nextDocumentId = 0;

// Yoga's parser cache hands out the same DocumentNode for the same query text: an id per
// document object names the query without printing it.
function documentId(document: DocumentNode): number {
  let id = documentIds.get(document);
  if (id === undefined) {
    id = nextDocumentId++;
    documentIds.set(document, id);
  }
  return id;
}

/**
 * Whole results of read-only operations, per token: a repeated query skips execution. A
 * result is kept only while every upstream read it was built from is still fresh (its TTL is
 * the earliest expiry among them), only without errors or stale reads, and any write by the
 * same token (an invalidation, here or, with Redis, on another replica) makes all of that
 * token's results unreachable. Another token never sees them.
 */
export function useResultCache(cache: UpstreamCache, options: ResultCacheOptions): Plugin<Context> {
  // Kept as JSON text: one string per result instead of an object graph for the GC to walk,
  // and a hit is sent without serialising it again.
  const results = new LRUCache<string, string>({
    max: options.maxEntries,
    maxSize: options.maxBytes,
    sizeCalculation: (json) => Math.max(1, json.length),
    perf: { now: () => cache.clock() },
    // Exact: lru-cache otherwise re-reads the clock at most once per ms, on a timer a busy loop delays.
    ttlResolution: 0,
  });
  options.replays?.attach((tokenHash, rest) => {
    const key = `${tokenHash}:${cache.generation(tokenHash)}:${rest}`;
    const json = results.get(key);
    return json === undefined ? undefined : { json, ttlMs: results.getRemainingTTL(key) };
  });
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const ctx = args.contextValue as Context;
      // An expired token is answered UNAUTHENTICATED by its fields, never from what it read while it lived.
      if (!cache.enabled || ctx.tokenHash === null || !ctx.tokenUsable) return;
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'query') return;
      const generation = cache.generation(ctx.tokenHash);
      const rest = `${documentId(args.document)}:${args.operationName ?? ''}:${JSON.stringify(args.variableValues ?? {})}`;
      const key = `${ctx.tokenHash}:${generation}:${rest}`;
      const hit = results.get(key);
      if (hit !== undefined) {
        options.onHit?.();
        const name = operation.name?.value ?? 'anonymous';
        options.replays?.hit(ctx.request, { tokenHash: ctx.tokenHash, rest, json: hit, operation: { name, type: 'query' } });
        // The answer stays fresh as long as the cached result does (HTTP caching reads it).
        ctx.reads.expiresAt = Math.min(ctx.reads.expiresAt, cache.clock() + results.getRemainingTTL(key));
        return setResultAndStopExecution(preSerialized(hit));
      }
      const tokenHash = ctx.tokenHash;
      const keep = (result: ExecutionResult) => {
        if (result.errors?.length || ctx.staleReads.length > 0) return;
        // A write during execution may have made some reads stale already.
        if (cache.generation(tokenHash) !== generation) return;
        const ttl = Math.floor(ctx.reads.expiresAt - cache.clock());
        if (Number.isFinite(ttl) && ttl > 0) results.set(key, serialize(result), { ttl });
      };
      return {
        onExecuteDone({ result }) {
          if (!isAsyncIterable(result)) return keep(result);
          // An incremental answer (@defer, @stream) is kept whole once its last part went out; a hit answers it at once.
          const whole = new WholeResult();
          return {
            onNext: ({ result: payload }) => whole.add(payload),
            onEnd: () => keep(whole.result),
          };
        },
      };
    },
  };
}
