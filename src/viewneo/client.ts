import type { Context as TraceContext } from '@opentelemetry/api';
import type { GraphQLError } from 'graphql';
import { FormData } from 'undici';
import { gatewayError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Answer, UpstreamRequest } from './http.js';
import {
  parseFieldErrors,
  parseListPage,
  parseMediaFile,
  parsePlaylist,
  parsePlaylistEntry,
  parseTemplate,
  parseTokenGrant,
  parseWebsite,
  UpstreamShapeError,
} from './parse.js';
import type {
  ContentInput,
  MediaFile,
  Playlist,
  PlaylistEntry,
  PlaylistInput,
  Template,
  TemplateInput,
  TokenGrant,
  UploadInput,
  Website,
  WebsiteInput,
} from './types.js';

/** What the upstream client needs from its environment. */
export interface ViewneoClientOptions {
  /** viewneo origin (and optional path prefix) without a trailing slash. */
  readonly baseUrl: string;
  readonly logger: Logger;
  /** The transport: timeouts, retries, throttle and circuit breaker (see `http.ts`). */
  readonly send: (request: UpstreamRequest) => Promise<Answer>;
}

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
}

/**
 * Every viewneo call the gateway makes. Reads answer `null` where viewneo answers 404;
 * everything else that is not a success becomes a GraphQLError with a stable code.
 */
export interface ViewneoClient {
  listPlaylists(token: string, opts?: CallScope): Promise<Playlist[]>;
  getPlaylist(token: string, id: number, opts?: CallScope): Promise<Playlist | null>;
  createPlaylist(token: string, input: PlaylistInput, opts?: CallScope): Promise<Playlist>;
  updatePlaylist(token: string, id: number, input: PlaylistInput, opts?: CallScope): Promise<Playlist>;
  deletePlaylist(token: string, id: number, opts?: CallScope): Promise<void>;
  /** The entries of a playlist in viewneo's order; null when the playlist does not exist. */
  listPlaylistEntries(token: string, playlistId: number, opts?: CallScope): Promise<PlaylistEntry[] | null>;
  listMediaFiles(token: string, opts?: CallScope): Promise<MediaFile[]>;
  getMediaFile(token: string, id: number, opts?: CallScope): Promise<MediaFile | null>;
  listTemplates(token: string, opts?: CallScope): Promise<Template[]>;
  getTemplate(token: string, id: number, opts?: CallScope): Promise<Template | null>;
  getWebsite(token: string, id: number, opts?: CallScope): Promise<Website | null>;
  /** Creates a Website media file (the documented JSON form of `POST /mediafile`). */
  createWebsite(token: string, input: WebsiteInput, opts?: CallScope): Promise<MediaFile>;
  /** Uploads a file (the documented multipart form of `POST /mediafile`). */
  uploadMediaFile(token: string, input: UploadInput, opts?: CallScope): Promise<MediaFile>;
  /** Creates a template with its elements (`POST /template`). */
  createTemplate(token: string, input: TemplateInput, opts?: CallScope): Promise<Template>;
  /** Creates content from a template (the documented template form of `POST /mediafile`). */
  createContentFromTemplate(token: string, input: ContentInput, opts?: CallScope): Promise<MediaFile>;
  /** Whether viewneo answers HTTP at all (any status; no token sent). */
  reachable(): Promise<boolean>;
  /** The browser URL of viewneo's OAuth consent page. */
  authorizationUrl(params: { clientId: string; redirectUri: string; state: string }): string;
  /** POSTs `body` as JSON to `/oauth/token`. */
  requestToken(body: Record<string, string>): Promise<TokenGrant>;
}

const API_PREFIX = '/api/v1.0';
const MAX_PAGES = 200;

interface CallOptions extends CallScope {
  readonly token?: string;
  readonly body?: unknown;
  readonly form?: FormData;
  /** Absolute URL (a next-page link) instead of `API_PREFIX + path`. */
  readonly url?: string;
}

/** Creates the viewneo REST client; the only module that knows viewneo's paths. */
export function createViewneoClient(options: ViewneoClientOptions): ViewneoClient {
  const { baseUrl, logger, send } = options;
  const origin = new URL(baseUrl).origin;

  function call(method: string, path: string, opts: CallOptions = {}): Promise<Answer> {
    const { url, ...rest } = opts;
    return send({ method, url: url ?? `${baseUrl}${API_PREFIX}${path}`, ...rest });
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

  async function read<T>(path: string, token: string, parse: (json: unknown) => T, what: string, opts?: CallScope): Promise<T | null> {
    const answer = await callChecked('GET', path, { token, ...opts }, what, true);
    return answer === null ? null : parsed(parse, answer.json, what);
  }

  async function callChecked(method: string, path: string, opts: CallOptions, what: string, nullOn404 = false): Promise<Answer | null> {
    const answer = await call(method, path, opts);
    if (answer.status >= 200 && answer.status < 300) return answer;
    if (answer.status === 404 && nullOn404) return null;
    throw failure(answer, what);
  }

  /** Fetches every page of a list, following next links on the same host only. */
  async function list<T>(path: string, token: string, parse: (json: unknown) => T, what: string, opts?: CallScope): Promise<T[] | null> {
    const items: T[] = [];
    const seen = new Set<string>();
    let url: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await callChecked('GET', path, { token, url, ...opts }, what, true);
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

  async function write<T>(method: string, path: string, opts: CallOptions, parse: (json: unknown) => T, what: string): Promise<T> {
    const answer = await callChecked(method, path, opts, what);
    return parsed(parse, answer?.json, what);
  }

  const mustExist = <T>(value: T | null, what: string): T => {
    if (value === null) throw gatewayError('UPSTREAM_ERROR', `viewneo answered no object for ${what}`);
    return value;
  };

  return {
    listPlaylists: async (token, opts) => mustExist(await list('/playlist', token, parsePlaylist, 'the playlists', opts), 'the playlists'),
    getPlaylist: (token, id, opts) => read(`/playlist/${id}`, token, parsePlaylist, `playlist ${id}`, opts),
    async createPlaylist(token, input, opts) {
      const answer = await callChecked('POST', '/playlist', { token, body: input, ...opts }, 'creating a playlist');
      return parsed(parsePlaylist, answer?.json, 'the created playlist');
    },
    async updatePlaylist(token, id, input, opts) {
      const answer = await callChecked('PUT', `/playlist/${id}`, { token, body: input, ...opts }, `updating playlist ${id}`);
      return parsed(parsePlaylist, answer?.json, `the updated playlist ${id}`);
    },
    async deletePlaylist(token, id, opts) {
      await callChecked('DELETE', `/playlist/${id}`, { token, ...opts }, `deleting playlist ${id}`);
    },
    listPlaylistEntries: (token, playlistId, opts) =>
      list(`/playlist/${playlistId}/playlistentry`, token, parsePlaylistEntry, `the entries of playlist ${playlistId}`, opts),
    listMediaFiles: async (token, opts) =>
      mustExist(await list('/mediafile', token, parseMediaFile, 'the media files', opts), 'the media files'),
    getMediaFile: (token, id, opts) => read(`/mediafile/${id}`, token, parseMediaFile, `media file ${id}`, opts),
    listTemplates: async (token, opts) => mustExist(await list('/template', token, parseTemplate, 'the templates', opts), 'the templates'),
    getTemplate: (token, id, opts) => read(`/template/${id}`, token, parseTemplate, `template ${id}`, opts),
    // Assumed path: viewneo documents the Website model, not a route to read one.
    getWebsite: (token, id, opts) => read(`/website/${id}`, token, parseWebsite, `website ${id}`, opts),
    createWebsite: (token, input, opts) =>
      write('POST', '/mediafile', { token, body: websiteBody(input), ...opts }, parseMediaFile, 'creating a website'),
    uploadMediaFile(token, { file, fileName, parentDirectoryId }, opts) {
      // undici's own FormData: the transport is undici's fetch, which knows no other.
      const form = new FormData();
      form.set('media_file_id_as_parent_directory', String(parentDirectoryId ?? 0));
      form.set('file', file, fileName);
      return write('POST', '/mediafile', { token, form, ...opts }, parseMediaFile, 'uploading a media file');
    },
    createTemplate: (token, input, opts) =>
      write('POST', '/template', { token, body: { template: templateBody(input) }, ...opts }, parseTemplate, 'creating a template'),
    createContentFromTemplate: (token, input, opts) =>
      write('POST', '/mediafile', { token, body: contentBody(input), ...opts }, parseMediaFile, 'creating content from a template'),
    async reachable() {
      try {
        await call('GET', '/playlist', { deadline: Date.now() + 2_000 });
        return true;
      } catch {
        return false;
      }
    },
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

function websiteBody({ name, url, parentDirectoryId, headers }: WebsiteInput) {
  return {
    name,
    media_file_id_as_parent_directory: parentDirectoryId ?? 0,
    url,
    // Website.header is a JSON object stored as a string.
    ...(headers ? { header: JSON.stringify(headers) } : {}),
  };
}

function templateBody(t: TemplateInput) {
  return {
    name: t.name,
    text_direction: t.textDirection === 'RTL' ? 1 : 0,
    external_data_url: t.externalDataUrl,
    background_color: t.backgroundColor,
    width: t.width,
    height: t.height,
    width_unit: t.widthUnit,
    height_unit: t.heightUnit,
    default_duration: t.defaultDuration,
    template_elements: t.elements.map((e) => ({
      name: e.name,
      drawable_type: e.drawableType,
      x: e.x,
      y: e.y,
      width: e.width,
      height: e.height,
      angle: e.angle,
      z_index: e.zIndex,
      is_inactive: e.inactive ? 1 : 0,
      drawable: e.drawableType === 'TextElement' ? { text: e.text ?? '' } : { id: e.mediaFileId },
    })),
  };
}

// Assumed shape: the docs show `{"media_file_id_as_parent_directory":0,"template":{…}}`, with the
// template's text elements carrying the texts that replace their placeholders.
function contentBody({ templateId, parentDirectoryId, name, texts }: ContentInput) {
  return {
    media_file_id_as_parent_directory: parentDirectoryId ?? 0,
    ...(name ? { name } : {}),
    template: {
      id: templateId,
      template_elements: texts.map(({ element, text }) => ({ name: element, drawable: { text } })),
    },
  };
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
