import { setTimeout as sleep } from 'node:timers/promises';
import type { GraphQLError } from 'graphql';
import { gatewayError } from '../errors.js';
import type { Logger } from '../logger.js';
import {
  UpstreamShapeError,
  parseFieldErrors,
  parseListPage,
  parseMediaFile,
  parsePlaylist,
  parsePlaylistEntry,
  parseTemplate,
  parseTokenGrant,
} from './parse.js';
import type { MediaFile, Playlist, PlaylistEntry, PlaylistInput, Template, TokenGrant } from './types.js';

/** What the upstream client needs from its environment. */
export interface ViewneoClientOptions {
  /** viewneo origin (and optional path prefix) without a trailing slash. */
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly logger: Logger;
  readonly fetch?: typeof globalThis.fetch;
  /** Extra attempts for idempotent reads that failed on the network or with 502/503/504. */
  readonly retries?: number;
}

/**
 * Every viewneo call the gateway makes. Reads answer `null` where viewneo answers 404;
 * everything else that is not a success becomes a GraphQLError with a stable code.
 */
export interface ViewneoClient {
  listPlaylists(token: string): Promise<Playlist[]>;
  getPlaylist(token: string, id: number): Promise<Playlist | null>;
  createPlaylist(token: string, input: PlaylistInput): Promise<Playlist>;
  updatePlaylist(token: string, id: number, input: PlaylistInput): Promise<Playlist>;
  deletePlaylist(token: string, id: number): Promise<void>;
  /** The entries of a playlist in viewneo's order; null when the playlist does not exist. */
  listPlaylistEntries(token: string, playlistId: number): Promise<PlaylistEntry[] | null>;
  listMediaFiles(token: string): Promise<MediaFile[]>;
  getMediaFile(token: string, id: number): Promise<MediaFile | null>;
  listTemplates(token: string): Promise<Template[]>;
  getTemplate(token: string, id: number): Promise<Template | null>;
  /** The browser URL of viewneo's OAuth consent page. */
  authorizationUrl(params: { clientId: string; redirectUri: string; state: string }): string;
  /** POSTs `body` as JSON to `/oauth/token`. */
  requestToken(body: Record<string, string>): Promise<TokenGrant>;
}

const API_PREFIX = '/api/v1.0';
const MAX_PAGES = 200;
const RETRYABLE = new Set([502, 503, 504]);

interface CallOptions {
  readonly token?: string;
  readonly body?: unknown;
  /** Absolute URL (a next-page link) instead of `API_PREFIX + path`. */
  readonly url?: string;
}

type Answer = { status: number; json: unknown; retryAfter: number | null };

/** Creates the viewneo REST client; the only module that knows viewneo's paths. */
export function createViewneoClient(options: ViewneoClientOptions): ViewneoClient {
  const { baseUrl, timeoutMs, logger } = options;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const retries = options.retries ?? 2;
  const origin = new URL(baseUrl).origin;

  async function call(method: string, path: string, opts: CallOptions = {}): Promise<Answer> {
    const url = opts.url ?? `${baseUrl}${API_PREFIX}${path}`;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (opts.token !== undefined) headers.Authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const deadline = Date.now() + timeoutMs;
    const logPath = new URL(url).pathname;

    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      const remaining = deadline - Date.now();
      let response: Response;
      try {
        response = await fetchImpl(url, { method, headers, body, signal: AbortSignal.timeout(Math.max(remaining, 1)) });
      } catch (error) {
        const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
        logger.warn({ method, path: logPath, attempt, timedOut, err: (error as Error).name }, 'viewneo call failed');
        if (timedOut) throw gatewayError('UPSTREAM_TIMEOUT', `viewneo did not answer ${method} ${logPath} within ${timeoutMs} ms`);
        if (canRetry(method, attempt, deadline)) {
          await backoff(attempt);
          continue;
        }
        throw gatewayError('UPSTREAM_ERROR', `viewneo could not be reached for ${method} ${logPath}`);
      }
      const ms = Math.round(performance.now() - started);
      logger.debug({ method, path: logPath, status: response.status, ms, attempt }, 'viewneo call');
      if (RETRYABLE.has(response.status) && canRetry(method, attempt, deadline)) {
        await response.body?.cancel();
        await backoff(attempt);
        continue;
      }
      return {
        status: response.status,
        json: await readJson(response, method, logPath),
        retryAfter: parseRetryAfter(response.headers.get('retry-after')),
      };
    }

    function canRetry(m: string, attempt: number, end: number): boolean {
      // Only idempotent reads, and only when a retry can still finish before the deadline.
      return m === 'GET' && attempt < retries && end - Date.now() > backoffMs(attempt) + 50;
    }
  }

  async function readJson(response: Response, method: string, path: string): Promise<unknown> {
    let text: string;
    try {
      text = await response.text();
    } catch {
      throw gatewayError('UPSTREAM_ERROR', `viewneo's answer to ${method} ${path} broke off`);
    }
    if (text === '') return null;
    try {
      return JSON.parse(text);
    } catch {
      if (!response.ok) return null;
      throw gatewayError('UPSTREAM_ERROR', `viewneo answered ${method} ${path} with a body that is not JSON`);
    }
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
        return gatewayError('BAD_USER_INPUT', `viewneo refused the input for ${what}`, {
          fieldErrors: parseFieldErrors(answer.json) ?? {},
        });
      case 429:
        return gatewayError('RATE_LIMITED', `viewneo's rate limit was reached for ${what}`, {
          retryAfter: answer.retryAfter,
        });
      default:
        return gatewayError('UPSTREAM_ERROR', `viewneo answered ${answer.status} for ${what}`, {
          upstreamStatus: answer.status,
        });
    }
  }

  function parsed<T>(parse: (json: unknown) => T, json: unknown, what: string): T {
    try {
      return parse(json);
    } catch (error) {
      if (!(error instanceof UpstreamShapeError)) throw error;
      logger.warn({ what, problem: error.message }, 'viewneo answer has an unexpected shape');
      throw gatewayError('UPSTREAM_ERROR', `viewneo's answer for ${what} has an unexpected shape`);
    }
  }

  async function read<T>(path: string, token: string, parse: (json: unknown) => T, what: string): Promise<T | null> {
    const answer = await callChecked('GET', path, { token }, what, true);
    return answer === null ? null : parsed(parse, answer.json, what);
  }

  async function callChecked(method: string, path: string, opts: CallOptions, what: string, nullOn404 = false): Promise<Answer | null> {
    const answer = await call(method, path, opts);
    if (answer.status >= 200 && answer.status < 300) return answer;
    if (answer.status === 404 && nullOn404) return null;
    throw failure(answer, what);
  }

  /** Fetches every page of a list, following next links on the same host only. */
  async function list<T>(path: string, token: string, parse: (json: unknown) => T, what: string): Promise<T[] | null> {
    const items: T[] = [];
    const seen = new Set<string>();
    let url: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await callChecked('GET', path, { token, url }, what, true);
      if (answer === null) return null;
      const { items: raw, next } = parsed(parseListPage, answer.json, what);
      for (const item of raw) items.push(parsed(parse, item, what));
      if (next === null) return items;
      const nextUrl = sameOriginUrl(next, what);
      if (seen.has(nextUrl)) throw gatewayError('UPSTREAM_ERROR', `viewneo's pages for ${what} link back to a page already read`);
      seen.add(nextUrl);
      url = nextUrl;
    }
    throw gatewayError('UPSTREAM_ERROR', `viewneo's list for ${what} has more than ${MAX_PAGES} pages`);
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

  const mustExist = <T>(value: T | null, what: string): T => {
    if (value === null) throw gatewayError('UPSTREAM_ERROR', `viewneo answered no object for ${what}`);
    return value;
  };

  return {
    listPlaylists: async (token) => mustExist(await list('/playlist', token, parsePlaylist, 'the playlists'), 'the playlists'),
    getPlaylist: (token, id) => read(`/playlist/${id}`, token, parsePlaylist, `playlist ${id}`),
    async createPlaylist(token, input) {
      const answer = await callChecked('POST', '/playlist', { token, body: input }, 'creating a playlist');
      return parsed(parsePlaylist, answer?.json, 'the created playlist');
    },
    async updatePlaylist(token, id, input) {
      const answer = await callChecked('PUT', `/playlist/${id}`, { token, body: input }, `updating playlist ${id}`);
      return parsed(parsePlaylist, answer?.json, `the updated playlist ${id}`);
    },
    async deletePlaylist(token, id) {
      await callChecked('DELETE', `/playlist/${id}`, { token }, `deleting playlist ${id}`);
    },
    listPlaylistEntries: (token, playlistId) =>
      list(`/playlist/${playlistId}/playlistentry`, token, parsePlaylistEntry, `the entries of playlist ${playlistId}`),
    listMediaFiles: async (token) => mustExist(await list('/mediafile', token, parseMediaFile, 'the media files'), 'the media files'),
    getMediaFile: (token, id) => read(`/mediafile/${id}`, token, parseMediaFile, `media file ${id}`),
    listTemplates: async (token) => mustExist(await list('/template', token, parseTemplate, 'the templates'), 'the templates'),
    getTemplate: (token, id) => read(`/template/${id}`, token, parseTemplate, `template ${id}`),
    authorizationUrl({ clientId, redirectUri, state }) {
      const url = new URL(`${baseUrl}/oauth/authorize`);
      url.search = new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, response_type: 'code', state }).toString();
      return url.href;
    },
    async requestToken(body) {
      const answer = await call('POST', '', { body, url: `${baseUrl}/oauth/token` });
      if (answer.status >= 200 && answer.status < 300) return parsed(parseTokenGrant, answer.json, 'the token answer');
      throw oauthFailure(answer);
    },
  };
}

function backoffMs(attempt: number): number {
  return 100 * 2 ** attempt;
}

function backoff(attempt: number): Promise<void> {
  // Full jitter: spreads retries of many requests that failed together.
  return sleep(Math.random() * backoffMs(attempt));
}

/** Seconds from a `Retry-After` header (delta-seconds or an HTTP date); null when absent or unreadable. */
export function parseRetryAfter(value: string | null): number | null {
  if (value === null || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

function oauthFailure(answer: Answer): GraphQLError {
  const body = (answer.json ?? {}) as Record<string, unknown>;
  const oauthError = typeof body.error === 'string' ? body.error : undefined;
  if (answer.status === 429) {
    return gatewayError('RATE_LIMITED', "viewneo's token endpoint is throttling requests", { retryAfter: answer.retryAfter });
  }
  if (oauthError === 'invalid_grant' || oauthError === 'invalid_request') {
    return gatewayError('BAD_USER_INPUT', `viewneo refused the grant (${oauthError})`, { oauthError });
  }
  if (oauthError === 'invalid_client') {
    return gatewayError('UPSTREAM_ERROR', "viewneo refused the gateway's OAuth client credentials", { oauthError });
  }
  return gatewayError('UPSTREAM_ERROR', `viewneo's token endpoint answered ${answer.status}`, {
    upstreamStatus: answer.status,
    ...(oauthError && /^[a-z_]{1,64}$/.test(oauthError) ? { oauthError } : {}),
  });
}
