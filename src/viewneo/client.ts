import type { GraphQLError } from 'graphql';
import { FormData } from 'undici';
import type { MediaFile, PhysicalFile, Playlist, PlaylistEntry, Template, Website } from '../domain/model.js';
import { gatewayError } from '../errors.js';
import type { Logger } from '../logger.js';
import { contentBody, entryBody, folderBody, mediaFileChangeBody, templateBody, websiteBody, websiteChangeBody } from './encode.js';
import type {
  ContentInput,
  EntryWrite,
  FolderInput,
  MediaFileChange,
  PlaylistInput,
  TemplateInput,
  TokenGrant,
  UploadInput,
  WebsiteChange,
  WebsiteInput,
} from './inputs.js';
import {
  parseMediaFile,
  parsePhysicalFile,
  parsePlaylist,
  parsePlaylistEntry,
  parseTemplate,
  parseTokenGrant,
  parseWebsite,
} from './parse.js';
import { type CallScope, createRequests, type ListOptions } from './requests.js';
import type { Answer, UpstreamRequest } from './transport/http.js';

export type { CallScope, ListOptions } from './requests.js';

/** What the upstream client needs from its environment. */
export interface ViewneoClientOptions {
  /** viewneo origin (and optional path prefix) without a trailing slash. */
  readonly baseUrl: string;
  readonly logger: Logger;
  /** The transport: timeouts, retries, throttle and circuit breaker (see `transport/http.ts`). */
  readonly send: (request: UpstreamRequest) => Promise<Answer>;
}

/**
 * Every viewneo call the gateway makes. Reads answer `null` where viewneo answers 404;
 * everything else that is not a success becomes a GraphQLError with a stable code.
 */
export interface ViewneoClient {
  listPlaylists(token: string, opts?: ListOptions): Promise<Playlist[]>;
  getPlaylist(token: string, id: number, opts?: CallScope): Promise<Playlist | null>;
  createPlaylist(token: string, input: PlaylistInput, opts?: CallScope): Promise<Playlist>;
  updatePlaylist(token: string, id: number, input: PlaylistInput, opts?: CallScope): Promise<Playlist>;
  deletePlaylist(token: string, id: number, opts?: CallScope): Promise<void>;
  /** The entries of a playlist in viewneo's order; null when the playlist does not exist. */
  listPlaylistEntries(token: string, playlistId: number, opts?: CallScope): Promise<PlaylistEntry[] | null>;
  listMediaFiles(token: string, opts?: ListOptions): Promise<MediaFile[]>;
  getMediaFile(token: string, id: number, opts?: CallScope): Promise<MediaFile | null>;
  listTemplates(token: string, opts?: ListOptions): Promise<Template[]>;
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
  /** Adds an entry to a playlist (assumed route `POST /playlist/{id}/playlistentry`). */
  createPlaylistEntry(token: string, playlistId: number, entry: EntryWrite, opts?: CallScope): Promise<PlaylistEntry>;
  /** Changes an entry's fields (assumed route `PUT /playlist/{id}/playlistentry/{entry}`). */
  updatePlaylistEntry(token: string, playlistId: number, entryId: number, entry: EntryWrite, opts?: CallScope): Promise<PlaylistEntry>;
  /** Removes an entry (assumed route `DELETE /playlist/{id}/playlistentry/{entry}`). */
  deletePlaylistEntry(token: string, playlistId: number, entryId: number, opts?: CallScope): Promise<void>;
  /** Makes a folder (`POST /mediafile` with only a name and a parent; assumed form). */
  createFolder(token: string, input: FolderInput, opts?: CallScope): Promise<MediaFile>;
  /** Renames and/or moves a media file (assumed route `PUT /mediafile/{id}`). */
  updateMediaFile(token: string, id: number, change: MediaFileChange, opts?: CallScope): Promise<MediaFile>;
  /** Deletes a media file (assumed route `DELETE /mediafile/{id}`). */
  deleteMediaFile(token: string, id: number, opts?: CallScope): Promise<void>;
  /** The uploaded file behind a PHYSICAL_FILE media file (assumed route `GET /physicalfile/{attachable id}`). */
  getPhysicalFile(token: string, id: number, opts?: CallScope): Promise<PhysicalFile | null>;
  /** Replaces a template as when creating it (assumed route `PUT /template/{id}`). */
  updateTemplate(token: string, id: number, input: TemplateInput, opts?: CallScope): Promise<Template>;
  /** Deletes a template (assumed route `DELETE /template/{id}`). */
  deleteTemplate(token: string, id: number, opts?: CallScope): Promise<void>;
  /** Changes a website's URL and headers (assumed route `PUT /website/{attachable id}`). */
  updateWebsite(token: string, id: number, change: WebsiteChange, opts?: CallScope): Promise<Website>;
  /** Whether viewneo answers HTTP at all (any status; no token sent). */
  reachable(): Promise<boolean>;
  /** The browser URL of viewneo's OAuth consent page. */
  authorizationUrl(params: { clientId: string; redirectUri: string; state: string }): string;
  /** POSTs `body` as JSON to `/oauth/token`. */
  requestToken(body: Record<string, string>): Promise<TokenGrant>;
}

/** Creates the viewneo REST client: the endpoint table, the only place that knows viewneo's paths. */
export function createViewneoClient({ baseUrl, logger, send }: ViewneoClientOptions): ViewneoClient {
  const { call, read, list, write, send: sendWrite, parsed } = createRequests(baseUrl, logger, send);
  const mustExist = <T>(value: T | null, what: string): T => {
    if (value === null) throw gatewayError('UPSTREAM_ERROR', `viewneo answered no object for ${what}`);
    return value;
  };

  return {
    listPlaylists: async (token, opts) => mustExist(await list('/playlist', token, parsePlaylist, 'the playlists', opts), 'the playlists'),
    getPlaylist: (token, id, opts) => read(`/playlist/${id}`, token, parsePlaylist, `playlist ${id}`, opts),
    createPlaylist: (token, input, opts) =>
      write('POST', '/playlist', { token, body: input, ...opts }, parsePlaylist, 'creating a playlist'),
    updatePlaylist: (token, id, input, opts) =>
      write('PUT', `/playlist/${id}`, { token, body: input, ...opts }, parsePlaylist, `updating playlist ${id}`),
    deletePlaylist: (token, id, opts) => sendWrite('DELETE', `/playlist/${id}`, { token, ...opts }, `deleting playlist ${id}`),
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
      // undici's own FormData: the transport is undici's, which knows no other.
      const form = new FormData();
      form.set('media_file_id_as_parent_directory', String(parentDirectoryId ?? 0));
      form.set('file', file, fileName);
      return write('POST', '/mediafile', { token, form, ...opts }, parseMediaFile, 'uploading a media file');
    },
    createTemplate: (token, input, opts) =>
      write('POST', '/template', { token, body: { template: templateBody(input) }, ...opts }, parseTemplate, 'creating a template'),
    createContentFromTemplate: (token, input, opts) =>
      write('POST', '/mediafile', { token, body: contentBody(input), ...opts }, parseMediaFile, 'creating content from a template'),
    createPlaylistEntry: (token, playlistId, entry, opts) =>
      write(
        'POST',
        `/playlist/${playlistId}/playlistentry`,
        { token, body: entryBody(entry), ...opts },
        parsePlaylistEntry,
        `adding an entry to playlist ${playlistId}`,
      ),
    updatePlaylistEntry: (token, playlistId, entryId, entry, opts) =>
      write(
        'PUT',
        `/playlist/${playlistId}/playlistentry/${entryId}`,
        { token, body: entryBody(entry), ...opts },
        parsePlaylistEntry,
        `changing entry ${entryId} of playlist ${playlistId}`,
      ),
    deletePlaylistEntry: (token, playlistId, entryId, opts) =>
      sendWrite(
        'DELETE',
        `/playlist/${playlistId}/playlistentry/${entryId}`,
        { token, ...opts },
        `removing entry ${entryId} of playlist ${playlistId}`,
      ),
    createFolder: (token, input, opts) =>
      write('POST', '/mediafile', { token, body: folderBody(input), ...opts }, parseMediaFile, 'creating a folder'),
    updateMediaFile: (token, id, change, opts) =>
      write('PUT', `/mediafile/${id}`, { token, body: mediaFileChangeBody(change), ...opts }, parseMediaFile, `changing media file ${id}`),
    deleteMediaFile: (token, id, opts) => sendWrite('DELETE', `/mediafile/${id}`, { token, ...opts }, `deleting media file ${id}`),
    getPhysicalFile: (token, id, opts) => read(`/physicalfile/${id}`, token, parsePhysicalFile, `physical file ${id}`, opts),
    updateTemplate: (token, id, input, opts) =>
      write(
        'PUT',
        `/template/${id}`,
        { token, body: { template: templateBody(input) }, ...opts },
        parseTemplate,
        `updating template ${id}`,
      ),
    deleteTemplate: (token, id, opts) => sendWrite('DELETE', `/template/${id}`, { token, ...opts }, `deleting template ${id}`),
    updateWebsite: (token, id, change, opts) =>
      write('PUT', `/website/${id}`, { token, body: websiteChangeBody(change), ...opts }, parseWebsite, `updating website ${id}`),
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
