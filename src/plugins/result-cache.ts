import { type ExecutionResult, getOperationAST } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { operationKey } from '../cache/operation-key.js';
import type { ResultStore } from '../cache/results.js';
import type { UpstreamCache } from '../cache/upstream-cache.js';
import type { Context } from '../context.js';
import type { ServerContext } from '../http/replay.js';
import { WholeResult } from './incremental.js';
import { preSerialized, serialize } from './response-size.js';

/**
 * Whole results of read-only operations, per token, in `results`: a repeated query skips
 * execution. A result is kept only while every upstream read it was built from is still fresh
 * (its TTL is the earliest expiry among them), only without errors or stale reads, and any write
 * by the same token (an invalidation, here or, with Redis, on another replica) makes all of that
 * token's results unreachable. Another token never sees them. Each hit is told to `onHit`, and to
 * the fast path through the request's server context (see http/replay.ts).
 */
export function useResultCache(cache: UpstreamCache, results: ResultStore, onHit: () => void): Plugin<Context & ServerContext> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const ctx = args.contextValue;
      // An expired token is answered UNAUTHENTICATED by its fields, never from what it read while it lived.
      if (!cache.enabled || ctx.tokenHash === null || !ctx.tokenUsable) return;
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'query') return;
      const name = operationKey(args.document, args.operationName, args.variableValues);
      if (name === null) return;
      const tokenHash = ctx.tokenHash;
      const key = results.key(tokenHash, name);
      const hit = results.get(key);
      if (hit !== undefined) {
        onHit();
        if (ctx.replay) ctx.replay.hit = { operation: name, json: hit.json, name: operation.name?.value ?? 'anonymous' };
        // The answer stays fresh as long as the cached result does (HTTP caching reads it).
        ctx.reads.expiresAt = Math.min(ctx.reads.expiresAt, cache.clock() + hit.ttlMs);
        return setResultAndStopExecution(preSerialized(hit.json));
      }
      const keep = (result: ExecutionResult) => {
        if (result.errors?.length || ctx.staleReads.length > 0) return;
        // A write during execution may have made some reads stale already (the key has another generation then).
        if (results.key(tokenHash, name) !== key) return;
        const ttl = Math.floor(ctx.reads.expiresAt - cache.clock());
        if (Number.isFinite(ttl) && ttl > 0) results.set(key, serialize(result), ttl);
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
