import { createHash } from 'node:crypto';
import { getOperationAST } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Context } from '../context.js';
import { serialize } from './response-size.js';

/** What a cacheable answer's headers say: its tag and how long its reads stay fresh. */
interface Freshness {
  readonly etag: string;
  readonly maxAge: number;
}

/** Whether an `If-None-Match` header names `etag` (or is `*`), compared weakly (RFC 9110). */
function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (ifNoneMatch === null) return false;
  const value = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => {
    const given = tag.trim();
    return given === '*' || given.replace(/^W\//, '') === value;
  });
}

/**
 * HTTP caching of queries over GET (by query text or by trusted document id): an answer without
 * errors or stale reads is sent with `Cache-Control: private, no-cache` (a browser asks again
 * each time, with the tag: a client's own write is seen at once), or with `maxAge`
 * `private, max-age=<seconds until the earliest of its upstream reads expires>`, `Vary: Authorization, Cookie` and a weak `ETag` of its
 * data and errors (the budget figures in `extensions` may differ between equal answers); a request whose `If-None-Match` names that tag is answered 304 without a body. Every
 * other GraphQL answer (POST, mutations, errors, stale reads) gets `Cache-Control: no-store`.
 * Never `public`: every answer belongs to one token. `clock` is the upstream cache's clock (the
 * one the reads' expiries are on). Streamed answers (`@defer`, subscriptions) are left as they are.
 */
export function useHttpCaching(clock: () => number, maxAge: boolean): Plugin<Context> {
  const fresh = new WeakMap<Request, Freshness>();
  return {
    onExecute({ args }) {
      const ctx = args.contextValue as Context;
      if (ctx.request.method !== 'GET' || getOperationAST(args.document, args.operationName)?.operation !== 'query') return;
      return {
        onExecuteDone({ result }) {
          if (isAsyncIterable(result) || result.errors?.length || ctx.staleReads.length > 0) return;
          const left = ctx.reads.expiresAt - clock();
          const maxAge = Number.isFinite(left) ? Math.max(0, Math.floor(left / 1000)) : 0;
          const etag = `W/"${createHash('sha1').update(serialize(result)).digest('base64url')}"`;
          fresh.set(ctx.request, { etag, maxAge });
        },
      };
    },
    onResponse({ request, response, setResponse, fetchAPI }) {
      if (new URL(request.url).pathname !== '/graphql') return;
      const type = response.headers.get('content-type') ?? '';
      if (type.startsWith('text/event-stream') || type.startsWith('multipart/') || type.startsWith('text/html')) return;
      const answer = fresh.get(request);
      if (answer === undefined || response.status !== 200) {
        response.headers.set('cache-control', 'no-store');
        return;
      }
      const cacheControl = maxAge ? `private, max-age=${answer.maxAge}` : 'private, no-cache';
      const headers = { 'cache-control': cacheControl, etag: answer.etag };
      for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
      response.headers.append('vary', 'Authorization, Cookie');
      if (matches(request.headers.get('if-none-match'), answer.etag)) {
        const notModified = new fetchAPI.Headers(headers);
        notModified.set('vary', response.headers.get('vary') ?? 'Authorization, Cookie');
        setResponse(new fetchAPI.Response(null, { status: 304, headers: notModified }));
      }
    },
  };
}
