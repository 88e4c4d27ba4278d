import type { DefaultConnectionArguments } from '@pothos/plugin-relay';
import type { Context } from '../context.js';
import { gatewayError } from '../errors.js';
import { requireHttpUrl, requireName } from '../input.js';
import { resources } from '../viewneo/resources.js';
import type { MediaFile, MediaFileKind, MediaFileStatus, Template, Website } from '../viewneo/types.js';
import { arrayConnection } from './connection.js';
import { type Order, searchAndSort } from './ordering.js';

/** Filters of `Query.mediaFiles` and `MediaFile.children`. */
export interface MediaFileFilter {
  /** 0: the top level; undefined: every folder. */
  readonly parentDirectoryId?: number | null;
  readonly kind?: readonly MediaFileKind[] | null;
  readonly status?: readonly MediaFileStatus[] | null;
  readonly search?: string | null;
  readonly orderBy?: Order | null;
}

/**
 * A page of the caller's media library, filtered and ordered in the gateway from the one
 * cached list, so a filtered read costs no upstream call when the list is warm.
 */
export function listMediaFiles(ctx: Context, args: DefaultConnectionArguments & MediaFileFilter) {
  return arrayConnection(args, async () => filterMediaFiles(await ctx.loaders.mediaFiles.load('all'), args));
}

/** Applies a {@link MediaFileFilter} to a list of media files. */
export function filterMediaFiles(files: readonly MediaFile[], filter: MediaFileFilter): MediaFile[] {
  const { parentDirectoryId, kind, status } = filter;
  const wanted = files.filter(
    (f) =>
      (parentDirectoryId == null || (f.parentDirectoryId ?? 0) === parentDirectoryId) &&
      (!kind || kind.includes(f.kind)) &&
      (!status || status.includes(f.status)),
  );
  return searchAndSort(wanted, filter.search, filter.orderBy);
}

/** A page of a folder's direct children; empty for anything that is not a folder. */
export function mediaFileChildren(ctx: Context, folder: MediaFile, args: DefaultConnectionArguments & MediaFileFilter) {
  if (folder.kind !== 'DIRECTORY') return arrayConnection(args, async () => []);
  return listMediaFiles(ctx, { ...args, parentDirectoryId: folder.id });
}

/** One media file of the caller; null when viewneo has none with that id. */
export function mediaFileById(ctx: Context, id: number): Promise<MediaFile | null> {
  return ctx.loaders.mediaFile.load(id);
}

/** The folder a media file is in; null at the top level. */
export function mediaFileParent(ctx: Context, file: MediaFile): Promise<MediaFile | null> {
  return file.parentDirectoryId === null ? Promise.resolve(null) : ctx.loaders.mediaFile.load(file.parentDirectoryId);
}

/**
 * The folders from the top level down to the file's own folder (the file itself excluded).
 * Stops at a folder already on the path, so a cycle in viewneo's data cannot loop.
 */
export async function mediaFilePath(ctx: Context, file: MediaFile): Promise<MediaFile[]> {
  const path: MediaFile[] = [];
  const seen = new Set([file.id]);
  for (let id = file.parentDirectoryId; id !== null && !seen.has(id); ) {
    seen.add(id);
    const folder = await ctx.loaders.mediaFile.load(id);
    if (folder === null) break;
    path.unshift(folder);
    id = folder.parentDirectoryId;
  }
  return path;
}

/** The template behind a TEMPLATE media file; null for other kinds. */
export function mediaFileTemplate(ctx: Context, file: MediaFile): Promise<Template | null> {
  if (file.kind !== 'TEMPLATE' || file.attachableId === null) return Promise.resolve(null);
  return ctx.loaders.template.load(file.attachableId);
}

/** The website behind a WEBSITE media file; null for other kinds. */
export function mediaFileWebsite(ctx: Context, file: MediaFile): Promise<Website | null> {
  if (file.kind !== 'WEBSITE' || file.attachableId === null) return Promise.resolve(null);
  return ctx.loaders.website.load(file.attachableId);
}

/** Drops the caller's cached media list (which folder children are read from) after a write. */
async function forgetMediaList(ctx: Context, created: MediaFile): Promise<MediaFile> {
  await ctx.invalidate([resources.mediaFiles]);
  ctx.loaders.mediaFiles.clearAll();
  ctx.loaders.mediaFile.prime(created.id, created);
  return created;
}

/** Checks that a parent folder exists and is a folder, before a write costs an upstream call. */
async function checkParent(ctx: Context, parentDirectoryId: number | null): Promise<void> {
  if (parentDirectoryId === null) return;
  const parent = await ctx.loaders.mediaFile.load(parentDirectoryId);
  if (parent?.kind !== 'DIRECTORY') {
    throw gatewayError(
      'BAD_USER_INPUT',
      `Expected "parentDirectoryId" to name a folder, got media file ${parentDirectoryId} (${parent ? parent.kind : 'not found'})`,
      {
        argument: 'parentDirectoryId',
      },
    );
  }
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/;

/** Checks a website's http(s) URL and its string-valued headers with valid names. */
function checkWebsite(input: { url: string; headers?: unknown }): Record<string, string> | null {
  requireHttpUrl(input.url, 'input.url');
  if (input.headers == null) return null;
  const headers = input.headers;
  if (typeof headers !== 'object' || Array.isArray(headers)) {
    throw gatewayError('BAD_USER_INPUT', 'Expected "headers" to be an object of header names to string values', {
      argument: 'input.headers',
    });
  }
  for (const [key, value] of Object.entries(headers)) {
    // Names only in messages: values may be secrets.
    if (!HEADER_NAME.test(key) || typeof value !== 'string' || /[\r\n]/.test(value)) {
      throw gatewayError('BAD_USER_INPUT', `Expected header "${key.slice(0, 64)}" to have a valid name and a single-line string value`, {
        argument: 'input.headers',
      });
    }
  }
  return headers as Record<string, string>;
}

/** Creates a Website media file and drops the caller's cached media list. */
export async function createWebsite(
  ctx: Context,
  input: { name: string; url: string; parentDirectoryId: number | null; headers?: unknown },
): Promise<MediaFile> {
  const name = requireName(input.name, 'input.name');
  const headers = checkWebsite(input);
  await checkParent(ctx, input.parentDirectoryId);
  const created = await ctx.client.createWebsite(
    ctx.requireToken(),
    {
      name,
      url: input.url,
      parentDirectoryId: input.parentDirectoryId,
      headers,
    },
    ctx.scope,
  );
  return forgetMediaList(ctx, created);
}

/**
 * Uploads a file (already bounded by the server's upload size limit) and drops the caller's
 * cached media list.
 */
export async function uploadMediaFile(
  ctx: Context,
  args: { file: File; parentDirectoryId: number | null; name?: string | null },
): Promise<MediaFile> {
  const token = ctx.requireToken();
  if (args.file.size === 0) throw gatewayError('BAD_USER_INPUT', 'Expected a non-empty file, got 0 bytes', { argument: 'file' });
  const fileName = (args.name ?? args.file.name).trim() || 'upload';
  await checkParent(ctx, args.parentDirectoryId);
  // The server's File may come from a different fetch implementation than ours: re-wrap its bytes.
  const file = new Blob([await args.file.arrayBuffer()], { type: args.file.type || 'application/octet-stream' });
  const created = await ctx.client.uploadMediaFile(token, { file, fileName, parentDirectoryId: args.parentDirectoryId }, ctx.scope);
  return forgetMediaList(ctx, created);
}

/** Creates content from a template, with texts for its text elements, and drops the cached media list. */
export async function createContentFromTemplate(
  ctx: Context,
  args: {
    templateId: number;
    parentDirectoryId: number | null;
    name?: string | null;
    texts?: readonly { element: string; text: string }[] | null;
  },
): Promise<MediaFile> {
  const token = ctx.requireToken();
  const template = await ctx.loaders.template.load(args.templateId);
  if (template === null) throw gatewayError('NOT_FOUND', `viewneo has no template ${args.templateId} for this token`);
  const textElements = new Set(template.elements.filter((e) => e.drawableType === 'TextElement').map((e) => e.name));
  for (const { element } of args.texts ?? []) {
    if (!textElements.has(element)) {
      throw gatewayError(
        'BAD_USER_INPUT',
        `Expected "texts" to name text elements of template ${template.id} (${[...textElements].join(', ')}), got "${element.slice(0, 100)}"`,
        {
          argument: 'texts',
        },
      );
    }
  }
  await checkParent(ctx, args.parentDirectoryId);
  const created = await ctx.client.createContentFromTemplate(
    token,
    {
      templateId: template.id,
      parentDirectoryId: args.parentDirectoryId,
      name: args.name?.trim() || null,
      texts: args.texts ?? [],
    },
    ctx.scope,
  );
  return forgetMediaList(ctx, created);
}
