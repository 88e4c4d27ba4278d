import type { Context as TraceContext } from '@opentelemetry/api';
import type { GraphQLError } from 'graphql';
import type { FormData } from 'undici';
import { gatewayError } from '../errors.js';
import type { Logger } from '../logger.js';
import { parseFieldErrors, parseListPage, UpstreamShapeError } from './parse.js';
import type { Answer, UpstreamRequest } from './transport/http.js';

/** What every call carries from the GraphQL request that makes it. */
export interface CallScope {
  /** Epoch ms by which the GraphQL request needs the answer. */
  readonly deadline?: number;
  /** The request id, forwarded to viewneo as `X-Request-Id`. */
  readonly requestId?: string;
  /** The trace context the call's span belongs to. */
  readonly trace?: TraceContext;
  /** `hashToken` of the token the calls carry, when the caller has it already (saves hashing per call). */
  readonly tokenHash?: string;
  /** Told each time an attempt of a call goes out to viewneo (the request counts its upstream calls). */
  readonly onCall?: () => void;
}

/** One call: its token and body, and the scope of the request that makes it. */
export interface CallOptions extends CallScope {
  readonly token?: string;
  readonly body?: unknown;
  readonly form?: FormData;
  /** Absolute URL (a next-page link, the OAuth endpoint) instead of the API prefix and a path. */
  readonly url?: string;
}

/** How a list read may be cut short: what the planner of by-id reads asks of it (see session/planner.ts). */
export interface ListPlan {
  /**
   * Told the list's page count once it is known (from the first page's `last_page`, or after the
   * last page), and whether its pages link each other by number (`?page=N`).
   */
  readonly onPages?: (pages: number, numbered: boolean) => void;
  /**
   * The page count of a list whose pages were numbered when it was last read: its pages are then
   * all asked for at once with the first (one round instead of two). A list that grew since has its
   * new pages read after; one that shrank answers its missing pages empty; one whose pages no longer
   * link by number is followed link by link, the speculative pages dropped.
   */
  readonly expectedPages?: number;
  /**
   * Asked after the first page, when there are more, with the page count it says; false (or a
   * first page that does not say the count) stops the read there, and `onStopped` is told.
   */
  readonly worthReading?: (pages: number) => boolean;
  /** Told that the answered items are only the first page's, with the read of the rest: it answers the whole list (null on 404). */
  readonly onStopped?: (readRest: () => Promise<unknown[] | null>) => void;
}

/** A list read's scope and plan. */
export type ListOptions = CallScope & ListPlan;

/** Parses an answer's JSON into the gateway's shape; throws UpstreamShapeError when it does not fit. */
export type Parse<T> = (json: unknown) => T;

/** The request core under the endpoint table of `client.ts`: calls, answer checks, parsing and pagination. */
export interface Requests {
  /** One call of `API prefix + path` (or `opts.url`), whatever viewneo answers. */
  call(method: string, path: string, opts?: CallOptions): Promise<Answer>;
  /** A read of one object; null on 404. */
  read<T>(path: string, token: string, parse: Parse<T>, what: string, scope?: CallScope): Promise<T | null>;
  /** Every page of a list (unless `opts` stops it), following next links on the same host only; null on 404. */
  list<T>(path: string, token: string, parse: Parse<T>, what: string, opts?: ListOptions): Promise<T[] | null>;
  /** A write whose answer is the written object. */
  write<T>(method: string, path: string, opts: CallOptions, parse: Parse<T>, what: string): Promise<T>;
  /** A write that answers nothing (a delete). */
  send(method: string, path: string, opts: CallOptions, what: string): Promise<void>;
  /** `parse(json)`, with an answer of the wrong shape logged and answered as UPSTREAM_ERROR. */
  parsed<T>(parse: Parse<T>, json: unknown, what: string): T;
}

const API_PREFIX = '/api/v1.0';
const MAX_PAGES = 200;

/**
 * The URLs of pages 2 to `lastPage` when the link to page 2 names its page in a `page` query
 * parameter (Laravel's paginators do), else null: then the pages are followed link by link.
 */
function pageUrls(second: string, lastPage: number): string[] | null {
  const url = new URL(second);
  if (url.searchParams.get('page') !== '2') return null;
  return Array.from({ length: lastPage - 1 }, (_, i) => {
    url.searchParams.set('page', String(i + 2));
    return url.href;
  });
}

/** Maps a non-success answer to the gateway's error; never echoes the upstream body. */
function failure(answer: Answer, what: string): GraphQLError {
  switch (answer.status) {
    case 401:
      return gatewayError('UNAUTHENTICATED', `viewneo rejected the access token for ${what}`);
    case 403:
      return gatewayError('FORBIDDEN', `viewneo does not allow this token ${what}`);
    case 404:
      return gatewayError('NOT_FOUND', `viewneo has no such object for ${what}`);
    case 422:
      return gatewayError('BAD_USER_INPUT', `viewneo refused the input for ${what}`, { fieldErrors: parseFieldErrors(answer.json) ?? {} });
    case 429:
      return gatewayError('RATE_LIMITED', `viewneo's rate limit was reached for ${what}`, {
        retryAfter: answer.retryAfter,
        limitSource: 'VIEWNEO',
      });
    default:
      return gatewayError('UPSTREAM_ERROR', `viewneo answered ${answer.status} for ${what}`, { upstreamStatus: answer.status });
  }
}

/** The request core for viewneo at `baseUrl` (origin and optional path prefix, no trailing slash). */
export function createRequests(baseUrl: string, logger: Logger, send: (request: UpstreamRequest) => Promise<Answer>): Requests {
  const origin = new URL(baseUrl).origin;

  function call(method: string, path: string, opts: CallOptions = {}): Promise<Answer> {
    const { url, ...rest } = opts;
    return send({ method, url: url ?? `${baseUrl}${API_PREFIX}${path}`, ...rest });
  }

  async function checked(method: string, path: string, opts: CallOptions, what: string, nullOn404 = false): Promise<Answer | null> {
    const answer = await call(method, path, opts);
    if (answer.status >= 200 && answer.status < 300) return answer;
    if (answer.status === 404 && nullOn404) return null;
    throw failure(answer, what);
  }

  function parsed<T>(parse: Parse<T>, json: unknown, what: string): T {
    try {
      return parse(json);
    } catch (error) {
      if (!(error instanceof UpstreamShapeError)) throw error;
      logger.warn({ what, problem: error.message }, 'viewneo answer has an unexpected shape');
      throw gatewayError('UPSTREAM_ERROR', `viewneo's answer for ${what} has an unexpected shape`);
    }
  }

  function sameOriginUrl(link: string, what: string): string {
    let url: URL;
    try {
      url = new URL(link, baseUrl);
    } catch {
      throw gatewayError('UPSTREAM_ERROR', `viewneo's next-page link for ${what} is not a URL`);
    }
    // The caller's token goes with the next request: never to another host.
    if (url.origin !== origin) throw gatewayError('UPSTREAM_ERROR', `viewneo's next-page link for ${what} points to another host`);
    return url.href;
  }

  return {
    call,
    parsed,
    async read(path, token, parse, what, scope) {
      const answer = await checked('GET', path, { token, ...scope }, what, true);
      return answer === null ? null : parsed(parse, answer.json, what);
    },
    async list(path, token, parse, what, opts = {}) {
      const { onPages, worthReading, onStopped, expectedPages, ...scope } = opts;
      const items: ReturnType<typeof parse>[] = [];
      const seen = new Set<string>();
      const readFrom = async (first: number, from: string | undefined): Promise<typeof items | null> => {
        let url = from;
        for (let page = first; page < MAX_PAGES; page++) {
          const answer = await checked('GET', path, { token, url, ...scope }, what, true);
          if (answer === null) return null;
          const { items: raw, next, lastPage } = parsed(parseListPage, answer.json, what);
          for (const item of raw) items.push(parsed(parse, item, what));
          if (next === null) {
            onPages?.(page + 1, false);
            return items;
          }
          const nextUrl = sameOriginUrl(next, what);
          if (seen.has(nextUrl)) throw gatewayError('UPSTREAM_ERROR', `viewneo's pages for ${what} link back to a page already read`);
          seen.add(nextUrl);
          // The first page says how many there are and links page 2 by number: the rest in parallel.
          const numbered = page === 0 && lastPage !== null && lastPage <= MAX_PAGES ? pageUrls(nextUrl, lastPage) : null;
          if (page === 0 && lastPage !== null) onPages?.(lastPage, numbered !== null);
          const readRest = () => (numbered ? readPages(numbered) : readFrom(1, nextUrl));
          // A list that does not say how many pages it has is not worth reading on, for all a planner knows.
          if (page === 0 && worthReading && (lastPage === null || !worthReading(lastPage))) {
            onStopped?.(readRest);
            return [...items];
          }
          if (numbered) return readRest();
          url = nextUrl;
        }
        throw gatewayError('UPSTREAM_ERROR', `viewneo's list for ${what} has more than ${MAX_PAGES} pages`);
      };
      /** Pages 2 to the last, read at once (each still through the transport's limits), appended in order. */
      const readPages = async (urls: readonly string[]): Promise<typeof items | null> => {
        const answers = await Promise.all(urls.map((url) => checked('GET', path, { token, url, ...scope }, what, true)));
        for (const answer of answers) {
          if (answer === null) return null;
          for (const item of parsed(parseListPage, answer.json, what).items) items.push(parsed(parse, item, what));
        }
        return items;
      };
      /** Every page at once, when the count is known from the last read (see ListPlan.expectedPages). */
      const readAll = async (pages: number): Promise<typeof items | null> => {
        const first = `${baseUrl}${API_PREFIX}${path}`;
        const guessed = pageUrls(`${first}${first.includes('?') ? '&' : '?'}page=2`, pages) ?? [];
        const [head, ...rest] = await Promise.all(
          [first, ...guessed].map((url) => checked('GET', path, { token, url, ...scope }, what, true)),
        );
        if (head === null || head === undefined) return null;
        const { items: raw, next, lastPage } = parsed(parseListPage, head.json, what);
        const nextUrl = next === null ? null : sameOriginUrl(next, what);
        const numbered = nextUrl !== null && lastPage !== null && lastPage <= MAX_PAGES ? pageUrls(nextUrl, lastPage) : null;
        if (nextUrl !== null && numbered === null) {
          // No longer numbered: the guessed pages may be anything; follow the links from the first.
          for (const item of raw) items.push(parsed(parse, item, what));
          seen.add(nextUrl);
          return readFrom(1, nextUrl);
        }
        const last = nextUrl === null ? 1 : (lastPage as number);
        onPages?.(last, numbered !== null);
        for (const item of raw) items.push(parsed(parse, item, what));
        for (const answer of rest.slice(0, last - 1)) {
          if (answer === null) return null;
          for (const item of parsed(parseListPage, answer.json, what).items) items.push(parsed(parse, item, what));
        }
        // Grown since the last read: its new pages, at once.
        return numbered !== null && last > pages ? readPages(numbered.slice(pages - 1)) : items;
      };
      if (expectedPages !== undefined && expectedPages > 1 && expectedPages <= MAX_PAGES && worthReading === undefined)
        return readAll(expectedPages);
      return readFrom(0, undefined);
    },
    async write(method, path, opts, parse, what) {
      const answer = await checked(method, path, opts, what);
      return parsed(parse, answer?.json, what);
    },
    async send(method, path, opts, what) {
      await checked(method, path, opts, what);
    },
  };
}
