import type { MediaFile, MediaFileKind, MediaFileStatus, PhysicalFile, Template, Website } from '../domain/model.js';
import { movesIntoItself } from '../domain/nesting.js';
import { type Order, searchAndSort } from '../domain/ordering.js';
import { gatewayError } from '../errors.js';
import { requireHttpUrl, requireName } from '../input.js';
import type { MaybePromise } from '../session/memo.js';
import type { ViewneoSession } from '../session/session.js';

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
 * The caller's media library, filtered and ordered in the gateway from the one cached list, so
 * a filtered read costs no upstream call when the list is warm.
 */
export async function listMediaFiles(viewneo: ViewneoSession, filter: MediaFileFilter): Promise<MediaFile[]> {
  const { parentDirectoryId, kind, status } = filter;
  const wanted = (await viewneo.mediaFiles()).filter(
    (f) =>
      (parentDirectoryId == null || (f.parentDirectoryId ?? 0) === parentDirectoryId) &&
      (!kind || kind.includes(f.kind)) &&
      (!status || status.includes(f.status)),
  );
  return searchAndSort(wanted, filter.search, filter.orderBy);
}

/** A folder's direct children; empty for anything that is not a folder. */
export async function mediaFileChildren(viewneo: ViewneoSession, folder: MediaFile, filter: MediaFileFilter): Promise<MediaFile[]> {
  return folder.kind === 'DIRECTORY' ? listMediaFiles(viewneo, { ...filter, parentDirectoryId: folder.id }) : [];
}

/** The folder a media file is in; null at the top level. */
export function mediaFileParent(viewneo: ViewneoSession, file: MediaFile): MaybePromise<MediaFile | null> {
  return file.parentDirectoryId === null ? null : viewneo.mediaFile(file.parentDirectoryId);
}

/**
 * The folders from the top level down to the file's own folder (the file itself excluded).
 * Stops at a folder already on the path, so a cycle in viewneo's data cannot loop.
 */
export async function mediaFilePath(viewneo: ViewneoSession, file: MediaFile): Promise<MediaFile[]> {
  const path: MediaFile[] = [];
  const seen = new Set([file.id]);
  for (let id = file.parentDirectoryId; id !== null && !seen.has(id); ) {
    seen.add(id);
    const folder = await viewneo.mediaFile(id);
    if (folder === null) break;
    path.unshift(folder);
    id = folder.parentDirectoryId;
  }
  return path;
}

/** The template behind a TEMPLATE media file; null for other kinds. */
export function mediaFileTemplate(viewneo: ViewneoSession, file: MediaFile): MaybePromise<Template | null> {
  return file.kind === 'TEMPLATE' && file.attachableId !== null ? viewneo.template(file.attachableId) : null;
}

/** The website behind a WEBSITE media file; null for other kinds. */
export function mediaFileWebsite(viewneo: ViewneoSession, file: MediaFile): MaybePromise<Website | null> {
  return file.kind === 'WEBSITE' && file.attachableId !== null ? viewneo.website(file.attachableId) : null;
}

/** Checks that a parent folder exists and is a folder, before a write costs an upstream call. */
async function checkParent(viewneo: ViewneoSession, parentDirectoryId: number | null): Promise<void> {
  if (parentDirectoryId === null) return;
  const parent = await viewneo.mediaFile(parentDirectoryId);
  if (parent?.kind !== 'DIRECTORY') {
    throw gatewayError(
      'BAD_USER_INPUT',
      `Expected "parentDirectoryId" to name a folder, got media file ${parentDirectoryId} (${parent ? parent.kind : 'not found'})`,
      { argument: 'parentDirectoryId' },
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

/** Creates a Website media file. */
export async function createWebsite(
  viewneo: ViewneoSession,
  input: { name: string; url: string; parentDirectoryId: number | null; headers?: unknown },
): Promise<MediaFile> {
  const name = requireName(input.name, 'input.name');
  const headers = checkWebsite(input);
  await checkParent(viewneo, input.parentDirectoryId);
  return viewneo.createWebsite({ name, url: input.url, parentDirectoryId: input.parentDirectoryId, headers });
}

/** Replaces a website's URL and, when given, its request headers (write-only, as when creating). */
export function updateWebsite(viewneo: ViewneoSession, id: number, input: { url: string; headers?: unknown }): Promise<Website> {
  const headers = checkWebsite(input);
  return viewneo.updateWebsite(id, { url: input.url, headers });
}

/** Uploads a file (already bounded by the server's upload size limit). */
export async function uploadMediaFile(
  viewneo: ViewneoSession,
  args: { file: File; parentDirectoryId: number | null; name?: string | null },
): Promise<MediaFile> {
  if (args.file.size === 0) throw gatewayError('BAD_USER_INPUT', 'Expected a non-empty file, got 0 bytes', { argument: 'file' });
  const fileName = (args.name ?? args.file.name).trim() || 'upload';
  await checkParent(viewneo, args.parentDirectoryId);
  // The server's File may come from a different fetch implementation than ours: re-wrap its bytes.
  const file = new Blob([await args.file.arrayBuffer()], { type: args.file.type || 'application/octet-stream' });
  return viewneo.uploadMediaFile({ file, fileName, parentDirectoryId: args.parentDirectoryId });
}

/** Creates content from a template, with texts for its text elements. */
export async function createContentFromTemplate(
  viewneo: ViewneoSession,
  args: {
    templateId: number;
    parentDirectoryId: number | null;
    name?: string | null;
    texts?: readonly { element: string; text: string }[] | null;
  },
): Promise<MediaFile> {
  const template = await viewneo.template(args.templateId);
  if (template === null) throw gatewayError('NOT_FOUND', `viewneo has no template ${args.templateId} for this token`);
  const textElements = new Set(template.elements.filter((e) => e.drawableType === 'TextElement').map((e) => e.name));
  for (const { element } of args.texts ?? []) {
    if (!textElements.has(element)) {
      throw gatewayError(
        'BAD_USER_INPUT',
        `Expected "texts" to name text elements of template ${template.id} (${[...textElements].join(', ')}), got "${element.slice(0, 100)}"`,
        { argument: 'texts' },
      );
    }
  }
  await checkParent(viewneo, args.parentDirectoryId);
  return viewneo.createContentFromTemplate({
    templateId: template.id,
    parentDirectoryId: args.parentDirectoryId,
    name: args.name?.trim() || null,
    texts: args.texts ?? [],
  });
}

/** The uploaded file behind a PHYSICAL_FILE media file; null for other kinds. */
export function mediaFilePhysicalFile(viewneo: ViewneoSession, file: MediaFile): MaybePromise<PhysicalFile | null> {
  return file.kind === 'PHYSICAL_FILE' && file.attachableId !== null ? viewneo.physicalFile(file.attachableId) : null;
}

/** Makes a folder at the top level or in `parentDirectoryId`. */
export async function createFolder(viewneo: ViewneoSession, input: { name: string; parentDirectoryId: number | null }): Promise<MediaFile> {
  const name = requireName(input.name, 'name');
  await checkParent(viewneo, input.parentDirectoryId);
  return viewneo.createFolder({ name, parentDirectoryId: input.parentDirectoryId });
}

/**
 * Renames and/or moves a media file (`parentDirectoryId` 0: the top level). A folder cannot move
 * into itself or below itself. With `ifUnmodifiedSince`, only if nobody changed it since.
 */
export async function updateMediaFile(
  viewneo: ViewneoSession,
  id: number,
  input: { name?: string | null; parentDirectoryId?: number | null },
  ifUnmodifiedSince: string | null | undefined,
): Promise<MediaFile> {
  const name = input.name == null ? undefined : requireName(input.name, 'input.name');
  const parent = input.parentDirectoryId ?? undefined;
  if (name === undefined && parent === undefined) {
    throw gatewayError('BAD_USER_INPUT', 'Expected "input" to set at least one of name, parentDirectoryId', { argument: 'input' });
  }
  const file = await viewneo.mediaFile(id);
  if (file === null) throw gatewayError('NOT_FOUND', `viewneo has no media file ${id} for this token`);
  if (parent !== undefined && parent !== 0) {
    await checkParent(viewneo, parent);
    const files = new Map((await viewneo.mediaFiles()).map((f) => [f.id, f]));
    if (movesIntoItself(id, parent, (at) => files.get(at)?.parentDirectoryId ?? null)) {
      throw gatewayError(
        'BAD_USER_INPUT',
        `Expected "input.parentDirectoryId" to be outside media file ${id}, got folder ${parent}, which is ${parent === id ? 'the folder itself' : 'inside it'}`,
        {
          argument: 'input.parentDirectoryId',
        },
      );
    }
  }
  return viewneo.updateMediaFile(
    id,
    { ...(name !== undefined ? { name } : {}), ...(parent !== undefined ? { parentDirectoryId: parent === 0 ? null : parent } : {}) },
    { ifUnmodifiedSince },
  );
}
