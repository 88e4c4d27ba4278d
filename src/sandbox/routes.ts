import { createEntry, deleteEntry, deleteMediaFile, showPhysicalFile, updateEntry, updateMediaFile } from './edits.js';
import { type Answer, API_PREFIX, isObject, methodNotAllowed, notFound, routeNotFound } from './http.js';
import { type ListResource, renderList } from './lists.js';
import { createMediaFile, createTemplate, deleteTemplate, showWebsite, updateTemplate, updateWebsite } from './media.js';
import type { Playlist } from './model.js';
import type { ApiContext } from './store.js';
import { formatTimestamp, touch } from './time.js';

/** A matched route, ready to run for an authenticated account. */
export type RouteHandler = (ctx: ApiContext) => Answer;

type Handler = (ctx: ApiContext, id: string, second: string) => Answer;

const ROUTES: { pattern: RegExp; methods: Record<string, Handler> }[] = [
  { pattern: /^\/playlist$/, methods: { GET: listPlaylists, POST: createPlaylist } },
  { pattern: /^\/playlist\/([^/]+)$/, methods: { GET: showPlaylist, PUT: updatePlaylist, DELETE: deletePlaylist } },
  { pattern: /^\/playlist\/([^/]+)\/playlistentry$/, methods: { GET: listEntries, POST: createEntry } },
  { pattern: /^\/playlist\/([^/]+)\/playlistentry\/([^/]+)$/, methods: { PUT: updateEntry, DELETE: deleteEntry } },
  { pattern: /^\/mediafile$/, methods: { GET: (ctx) => list(ctx, 'mediafile', ctx.store.data.mediaFiles), POST: createMediaFile } },
  {
    pattern: /^\/mediafile\/([^/]+)$/,
    methods: { GET: (ctx, id) => show('MediaFile', ctx.store.data.mediaFiles, id), PUT: updateMediaFile, DELETE: deleteMediaFile },
  },
  { pattern: /^\/physicalfile\/([^/]+)$/, methods: { GET: showPhysicalFile } },
  { pattern: /^\/template$/, methods: { GET: (ctx) => list(ctx, 'template', ctx.store.data.templates), POST: createTemplate } },
  { pattern: /^\/website\/([^/]+)$/, methods: { GET: showWebsite, PUT: updateWebsite } },
  {
    pattern: /^\/template\/([^/]+)$/,
    methods: { GET: (ctx, id) => show('Template', ctx.store.data.templates, id), PUT: updateTemplate, DELETE: deleteTemplate },
  },
];

/**
 * The handler for `method` on `pathname` (e.g. `/api/v1.0/playlist/1001`), or the 404/405 answer
 * when no route serves it. HEAD is served as GET. Matching comes before authentication, as in
 * Laravel, so unknown routes are 404 even without a token.
 */
export function findRoute(method: string, pathname: string): RouteHandler | Answer {
  const path = pathname.startsWith(`${API_PREFIX}/`) ? pathname.slice(API_PREFIX.length) : '';
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (match === null) continue;
    const handler = route.methods[method === 'HEAD' ? 'GET' : method];
    const id = decodeSegment(match[1] ?? '');
    const second = decodeSegment(match[2] ?? '');
    if (handler !== undefined) return (ctx) => handler(ctx, id, second);
    const allowed = Object.keys(route.methods).flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m]));
    return methodNotAllowed(method, allowed);
  }
  return routeNotFound(pathname);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function listPlaylists(ctx: ApiContext): Answer {
  return list(ctx, 'playlist', ctx.store.data.playlists);
}

function createPlaylist(ctx: ApiContext): Answer {
  const input = validatePlaylist(ctx.body, false);
  if ('status' in input) return input;
  const now = formatTimestamp(new Date());
  const playlist: Playlist = {
    id: ctx.store.nextPlaylistId++,
    name: input.name ?? '',
    comment: input.comment ?? null,
    company_id: ctx.store.data.companyId,
    created_at: now,
    updated_at: now,
  };
  ctx.store.data.playlists.push(playlist);
  const { id, name, comment, company_id, created_at, updated_at } = playlist;
  // The documented example answers the fields in this order.
  return { status: 201, body: { name, comment, company_id, updated_at, created_at, id } };
}

function showPlaylist(ctx: ApiContext, id: string): Answer {
  return show('Playlist', ctx.store.data.playlists, id);
}

function updatePlaylist(ctx: ApiContext, id: string): Answer {
  const playlist = findById(ctx.store.data.playlists, id);
  if (playlist === undefined) return notFound('Playlist', id);
  const input = validatePlaylist(ctx.body, true);
  if ('status' in input) return input;
  if (input.name !== undefined) playlist.name = input.name;
  if (input.comment !== undefined) playlist.comment = input.comment;
  touch(playlist);
  return { status: 200, body: playlist };
}

function deletePlaylist(ctx: ApiContext, id: string): Answer {
  const data = ctx.store.data;
  const playlist = findById(data.playlists, id);
  if (playlist === undefined) return notFound('Playlist', id);
  data.playlists = data.playlists.filter((p) => p !== playlist);
  data.playlistEntries = data.playlistEntries.filter((e) => e.playlist_id !== playlist.id);
  return { status: 204 };
}

function listEntries(ctx: ApiContext, id: string): Answer {
  const playlist = findById(ctx.store.data.playlists, id);
  if (playlist === undefined) return notFound('Playlist', id);
  return list(
    ctx,
    'playlistentry',
    ctx.store.data.playlistEntries.filter((e) => e.playlist_id === playlist.id),
  );
}

function list(ctx: ApiContext, resource: ListResource, items: unknown[]): Answer {
  return { status: 200, body: renderList(items, ctx.lists[resource], ctx.listPath, ctx.query) };
}

function show(model: string, items: { id: number }[], id: string): Answer {
  const item = findById(items, id);
  return item === undefined ? notFound(model, id) : { status: 200, body: item };
}

function findById<T extends { id: number }>(items: T[], id: string): T | undefined {
  if (!/^\d+$/.test(id)) return undefined;
  const wanted = Number(id);
  return items.find((item) => item.id === wanted);
}

/**
 * Laravel's rules `name: required|string|max:255`, `comment: nullable|string` (name `sometimes`
 * for an update), after its TrimStrings and ConvertEmptyStringsToNull middleware.
 */
function validatePlaylist(body: unknown, partial: boolean): { name?: string; comment?: string | null } | Answer {
  const input = isObject(body) ? body : {};
  const name = normalize(input.name);
  const comment = normalize(input.comment);
  const errors: Record<string, string[]> = {};
  if (!partial || 'name' in input) {
    if (name === null || name === undefined) errors.name = ['The name field is required.'];
    else if (typeof name !== 'string') errors.name = ['The name must be a string.'];
    else if ([...name].length > 255) errors.name = ['The name may not be greater than 255 characters.'];
  }
  if (comment !== null && comment !== undefined && typeof comment !== 'string') errors.comment = ['The comment must be a string.'];
  const messages = Object.values(errors).flat();
  const first = messages[0];
  if (first !== undefined) {
    const more = messages.length - 1;
    const message = more === 0 ? first : `${first} (and ${more} more error${more === 1 ? '' : 's'})`;
    return { status: 422, body: { message, errors } };
  }
  return { name: name as string | undefined, comment: comment as string | null | undefined };
}

function normalize(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}
