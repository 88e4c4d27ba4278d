import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import { tokenExpiresAt } from '../auth/expiry.js';
import { extractBearerToken } from '../auth/token.js';
import { hashToken } from '../auth/token-hash.js';
import type { ResultStore } from '../cache/results.js';
import type { Metrics } from '../observability/metrics.js';
import { CSRF_HEADERS } from '../plugins/security.js';
import { requestIdFrom } from '../request-id.js';

/** A result cache hit, as the result cache reports it to the fast path. */
export interface ServedHit {
  /** The operation's key (see operationKey): its result's key without the token and generation. */
  readonly operation: string;
  readonly json: string;
  /** The operation's name, for the metrics. */
  readonly name: string;
}

/** What the fast path learnt of a request before handing it to Yoga, and what the result cache tells it back. */
export interface Carrier {
  readonly fingerprint: string;
  readonly tokenHash: string;
  readonly expiresAt: number;
  /** Set by the result cache when it answered this request. */
  hit?: ServedHit;
}

/** Yoga's server context (part of every GraphQL context): the fast path's carrier of a request it handed on. */
export interface ServerContext {
  readonly replay?: Carrier;
}

/** Yoga's Node listener, given the request's server context. */
export type NextListener = (req: IncomingMessage, res: ServerResponse, context: ServerContext) => void;

/** An answer Yoga gave from the result cache, to give again without it. */
interface Recorded extends ServedHit {
  readonly tokenHash: string;
  readonly headers: readonly [string, string][];
  /** Whether the answer carried a max-age (a GET under HTTP_CACHE_MAX_AGE): it is then the result's time left. */
  readonly cacheable: boolean;
  readonly expiresAt: number;
}

// Headers that belong to one answer, made again for each replay.
const PER_ANSWER = new Set(['x-request-id', 'content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding']);
const MAX_BODY_BYTES = 16 * 1024;
// Request headers that can change Yoga's answer or whether it answers at all (CSRF, CORS, content negotiation).
const FINGERPRINTED = ['accept', 'content-type', 'origin', ...CSRF_HEADERS];

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

  constructor(
    maxEntries: number,
    private readonly metrics: Metrics,
    private readonly results: ResultStore,
  ) {
    this.recorded = new LRUCache({ max: Math.max(1, maxEntries) });
  }

  /** The Yoga plugin that records hits' answers (registered first: it sees the final headers). */
  recorder(): Plugin {
    return {
      onResponse: ({ response, serverContext }) => {
        const carrier = (serverContext as ServerContext).replay;
        const hit = carrier?.hit;
        if (carrier === undefined || hit === undefined || response.status !== 200) return;
        if (!response.headers.get('content-type')?.includes('json')) return;
        const cacheable = /max-age=/.test(response.headers.get('cache-control') ?? '');
        const headers = [...response.headers].filter(([name]) => !PER_ANSWER.has(name) && !(cacheable && name === 'cache-control'));
        this.recorded.set(carrier.fingerprint, { ...hit, tokenHash: carrier.tokenHash, headers, cacheable, expiresAt: carrier.expiresAt });
      },
    };
  }

  /** `next` behind the fast path: a request answered before is answered again here, the others go on to `next`. */
  listener(next: NextListener): RequestListener {
    return (req, res) => {
      const { token } = extractBearerToken(req.headers.authorization ?? null);
      const replayable = token !== null && req.url?.startsWith('/graphql') === true;
      if (!replayable || !(req.method === 'GET' || req.method === 'POST') || req.headers['if-none-match'] !== undefined) {
        return next(req, res, {});
      }
      const length = Number(req.headers['content-length'] ?? 0);
      if (req.method === 'GET' || !(length > 0 && length <= MAX_BODY_BYTES)) {
        if (req.method === 'GET') return this.answerOr(next, req, res, token, '');
        return next(req, res, {});
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

  private answerOr(next: NextListener, req: IncomingMessage, res: ServerResponse, token: string, body: string): void {
    const started = performance.now();
    const tokenHash = hashToken(token);
    let fingerprint = `${tokenHash}\n${req.method} ${req.url}\n${body}`;
    for (const name of FINGERPRINTED) fingerprint += `\n${req.headers[name] ?? ''}`;
    const recorded = this.recorded.get(fingerprint);
    const found = recorded === undefined ? undefined : this.results.get(this.results.key(tokenHash, recorded.operation));
    if (recorded === undefined || found === undefined || found.json !== recorded.json || recorded.expiresAt <= Date.now()) {
      if (recorded !== undefined) this.recorded.delete(fingerprint);
      next(req, res, { replay: { fingerprint, tokenHash, expiresAt: tokenExpiresAt(token) ?? Number.POSITIVE_INFINITY } });
      return;
    }
    for (const [name, value] of recorded.headers) res.setHeader(name, value);
    if (recorded.cacheable) res.setHeader('cache-control', `private, max-age=${Math.max(0, Math.floor(found.ttlMs / 1000))}`);
    res.setHeader('x-request-id', requestIdFrom(req.headers['x-request-id']));
    res.setHeader('content-length', Buffer.byteLength(found.json));
    res.statusCode = 200;
    res.end(found.json);
    this.metrics.cache('result_replay');
    this.metrics.operation(recorded.name, 'query', (performance.now() - started) / 1000);
  }
}
