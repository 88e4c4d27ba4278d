import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import { tokenExpiresAt } from './auth/expiry.js';
import { hashToken } from './auth/token-hash.js';
import type { Metrics } from './observability/metrics.js';

/** A result cache hit, as the result cache reports it. */
export interface ServedHit {
  readonly tokenHash: string;
  /** The result's key past the token and its cache generation. */
  readonly rest: string;
  readonly json: string;
  readonly operation: { readonly name: string; readonly type: string };
}

/** Finds a cached result by token and key (at the token's current generation), with the ms it stays fresh. */
export type ResultLookup = (tokenHash: string, rest: string) => { json: string; ttlMs: number } | undefined;

/** What the fast path learnt of a request before handing it to Yoga. */
interface Carrier {
  readonly fingerprint: string;
  readonly tokenHash: string;
  readonly expiresAt: number;
}

/** An answer Yoga gave from the result cache, to give again without it. */
interface Recorded extends ServedHit {
  readonly headers: readonly [string, string][];
  /** Whether the answer carried a max-age (a GET under HTTP_CACHE_MAX_AGE): it is then the result's time left. */
  readonly cacheable: boolean;
  readonly expiresAt: number;
}

// Headers that belong to one answer, made again for each replay.
const PER_ANSWER = new Set(['x-request-id', 'content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding']);
const VALID_REQUEST_ID = /^[\w.:-]{1,128}$/;
const MAX_BODY_BYTES = 16 * 1024;
// Request headers that can change Yoga's answer or whether it answers at all (CSRF, CORS, content negotiation).
const FINGERPRINTED = ['accept', 'content-type', 'origin', 'x-graphql-yoga-csrf', 'graphql-require-preflight', 'apollo-require-preflight'];

/**
 * The fast path of repeated identical requests. When Yoga answers a request from the result cache,
 * the answer's headers are recorded under the request's fingerprint: its token's hash, method,
 * URL, body and the headers that can change the answer. An identical request then gets the same
 * answer straight from the result cache, before Yoga or GraphQL run: only while the cached result
 * at the token's current generation (so a write here or on another replica ends it) is the very
 * one that was recorded, and while the token has not expired. Each replay gets its own request id
 * and HTTP max-age, and is counted in the metrics like the hit it repeats.
 */
export class Replays {
  private readonly recorded: LRUCache<string, Recorded>;
  private readonly served = new WeakMap<Request, ServedHit>();
  private lookup: ResultLookup | undefined;

  constructor(
    maxEntries: number,
    private readonly metrics: Metrics,
  ) {
    this.recorded = new LRUCache({ max: Math.max(1, maxEntries) });
  }

  /** Called by the result cache: how replays find its results. */
  attach(lookup: ResultLookup): void {
    this.lookup = lookup;
  }

  /** Called by the result cache on each hit. */
  hit(request: Request, hit: ServedHit): void {
    this.served.set(request, hit);
  }

  /** The Yoga plugin that records hits' answers (registered first: it sees the final headers). */
  recorder(): Plugin {
    return {
      onResponse: ({ request, response, serverContext }) => {
        const carrier = (serverContext as { req?: { replay?: Carrier } }).req?.replay;
        const hit = this.served.get(request);
        if (carrier === undefined || hit === undefined || hit.tokenHash !== carrier.tokenHash || response.status !== 200) return;
        if (!response.headers.get('content-type')?.includes('json')) return;
        const cacheable = /max-age=/.test(response.headers.get('cache-control') ?? '');
        const headers = [...response.headers].filter(([name]) => !PER_ANSWER.has(name) && !(cacheable && name === 'cache-control'));
        this.recorded.set(carrier.fingerprint, { ...hit, headers, cacheable, expiresAt: carrier.expiresAt });
      },
    };
  }

  /** `next` behind the fast path: a request answered before is answered again here, the others go on to `next`. */
  listener(next: RequestListener): RequestListener {
    return (req, res) => {
      const token = bearer(req);
      const replayable = token !== null && this.lookup !== undefined && req.url?.startsWith('/graphql') === true;
      if (!replayable || !(req.method === 'GET' || req.method === 'POST') || req.headers['if-none-match'] !== undefined) {
        return next(req, res);
      }
      const length = Number(req.headers['content-length'] ?? 0);
      if (req.method === 'GET' || !(length > 0 && length <= MAX_BODY_BYTES)) {
        if (req.method === 'GET') return this.answerOr(next, req, res, token, '');
        return next(req, res);
      }
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        // Yoga's Node adapter takes a body already read from `body` instead of the stream.
        (req as IncomingMessage & { body?: Buffer }).body = body;
        this.answerOr(next, req, res, token, body.toString('utf8'));
      });
    };
  }

  private answerOr(next: RequestListener, req: IncomingMessage, res: ServerResponse, token: string, body: string): void {
    const started = performance.now();
    const tokenHash = hashToken(token);
    let fingerprint = `${tokenHash}\n${req.method} ${req.url}\n${body}`;
    for (const name of FINGERPRINTED) fingerprint += `\n${req.headers[name] ?? ''}`;
    const recorded = this.recorded.get(fingerprint);
    const found = recorded === undefined ? undefined : this.lookup?.(tokenHash, recorded.rest);
    if (recorded === undefined || found === undefined || found.json !== recorded.json || recorded.expiresAt <= Date.now()) {
      if (recorded !== undefined) this.recorded.delete(fingerprint);
      const carrier: Carrier = { fingerprint, tokenHash, expiresAt: tokenExpiresAt(token) ?? Number.POSITIVE_INFINITY };
      (req as IncomingMessage & { replay?: Carrier }).replay = carrier;
      next(req, res);
      return;
    }
    for (const [name, value] of recorded.headers) res.setHeader(name, value);
    if (recorded.cacheable) res.setHeader('cache-control', `private, max-age=${Math.max(0, Math.floor(found.ttlMs / 1000))}`);
    const given = req.headers['x-request-id'];
    res.setHeader('x-request-id', typeof given === 'string' && VALID_REQUEST_ID.test(given) ? given : randomUUID());
    res.setHeader('content-length', Buffer.byteLength(found.json));
    res.statusCode = 200;
    res.end(found.json);
    this.metrics.cache('result_replay');
    this.metrics.operation(recorded.operation.name, recorded.operation.type, (performance.now() - started) / 1000);
  }
}

/** The bearer token of a request; null when it has none or a malformed one (Yoga answers those). */
function bearer(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (header === undefined || !header.startsWith('Bearer ')) return null;
  const token = header.slice(7).trim();
  return token === '' || /\s/.test(token) ? null : token;
}
