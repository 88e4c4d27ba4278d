import { type Answer, isObject, notFound } from './http.js';
import type { MediaFile, SandboxAccountData, Template, TemplateElement } from './model.js';
import type { ApiContext } from './store.js';
import { formatTimestamp, touch } from './time.js';

/** A multipart upload as the sandbox parsed it. */
export interface UploadBody {
  fields: Record<string, string>;
  file: { name: string; type: string; size: number } | null;
}

/** Parses a multipart body (fields as text, the `file` part's name, type and size). */
export async function parseUpload(bytes: Buffer, contentType: string): Promise<UploadBody | string> {
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(bytes), { headers: { 'content-type': contentType } }).formData();
  } catch {
    return bytes.toString('utf8');
  }
  const fields: Record<string, string> = {};
  let file: UploadBody['file'] = null;
  for (const [key, value] of form) {
    if (typeof value === 'string') fields[key] = value;
    else if (key === 'file') file = { name: value.name, type: value.type, size: value.size };
  }
  return { fields, file };
}

/** Whether a parsed request body is a multipart upload (see {@link UploadBody}). */
function isUpload(body: unknown): body is UploadBody {
  return isObject(body) && 'fields' in body && 'file' in body;
}

/**
 * `POST /mediafile` in its three documented forms: JSON with `url` (a Website), JSON with
 * `template` (Content made from a template), multipart with `file` (an upload); and, assumed,
 * JSON with only a name and a parent: a folder.
 */
export function createMediaFile(ctx: ApiContext): Answer {
  const body = ctx.body;
  if (isUpload(body)) return upload(ctx, body);
  if (isObject(body) && 'template' in body) return contentFromTemplate(ctx, body);
  if (isObject(body) && 'url' in body) return createWebsite(ctx, body);
  if (isObject(body)) return createFolder(ctx, body);
  return invalid({ name: ['The name field is required.'] });
}

/** `POST /mediafile` with only a name and a parent: a folder. */
function createFolder(ctx: ApiContext, body: Record<string, unknown>): Answer {
  const errors: Record<string, string[]> = {};
  const name = typeof body.name === 'string' ? body.name.trim() : '';
  if (name === '') errors.name = ['The name field is required.'];
  const parent = parentOf(ctx, body.media_file_id_as_parent_directory, errors);
  if (Object.keys(errors).length > 0) return invalid(errors);
  const data = ctx.store.data;
  const now = formatTimestamp(new Date());
  const folder: MediaFile = {
    id: nextId(data.mediaFiles),
    name,
    status: 3,
    media_file_id_as_parent_directory: parent,
    thumbnail_hash: null,
    thumbnail_extension: null,
    thumbnail_mime_type: null,
    attachable_type: null,
    attachable_id: null,
    company_id: data.companyId,
    created_at: now,
    updated_at: now,
  };
  data.mediaFiles.push(folder);
  return { status: 201, body: folder };
}

/** `GET /website/{id}`. */
export function showWebsite(ctx: ApiContext, id: string): Answer {
  const site = ctx.store.data.websites.find((w) => String(w.id) === id);
  return site ? { status: 200, body: site } : notFound('Website', id);
}

/** `POST /template` with `{"template": {…, "template_elements": […]}}`. */
export function createTemplate(ctx: ApiContext): Answer {
  const data = ctx.store.data;
  const now = formatTimestamp(new Date());
  const template = templateFrom(ctx.body, nextId(data.templates), data.companyId, now, now);
  if ('status' in template) return template;
  data.templates.push(template);
  return { status: 201, body: template };
}

/** `PUT /template/{id}` with the template as when creating it: replaced, elements included. */
export function updateTemplate(ctx: ApiContext, id: string): Answer {
  const data = ctx.store.data;
  const at = data.templates.findIndex((t) => String(t.id) === id);
  const current = data.templates[at];
  if (current === undefined) return notFound('Template', id);
  const template = templateFrom(ctx.body, current.id, data.companyId, current.created_at, current.updated_at);
  if ('status' in template) return template;
  touch(template);
  data.templates[at] = template;
  return { status: 200, body: template };
}

/**
 * `DELETE /template/{id}`: 204. Its TEMPLATE media files (attachable id: the template) go with it,
 * and the entries that showed them: viewneo's cascade is not documented, and this is the most
 * the gateway must expect of it. CONTENT made from the template stays (the sandbox does not
 * record which template content was made from).
 */
export function deleteTemplate(ctx: ApiContext, id: string): Answer {
  const data = ctx.store.data;
  const template = data.templates.find((t) => String(t.id) === id);
  if (!template) return notFound('Template', id);
  data.templates = data.templates.filter((t) => t !== template);
  removeMediaFiles(
    data,
    data.mediaFiles.filter((m) => m.attachable_type === 'Template' && m.attachable_id === template.id).map((m) => m.id),
  );
  return { status: 204 };
}

/** Removes these media files, everything below the folders among them, and the entries that showed any of them. */
export function removeMediaFiles(data: SandboxAccountData, ids: readonly number[]): void {
  const gone = new Set(ids);
  for (let grew = true; grew; ) {
    grew = false;
    for (const m of data.mediaFiles) {
      if (!gone.has(m.id) && m.media_file_id_as_parent_directory !== null && gone.has(m.media_file_id_as_parent_directory)) {
        gone.add(m.id);
        grew = true;
      }
    }
  }
  data.mediaFiles = data.mediaFiles.filter((m) => !gone.has(m.id));
  data.playlistEntries = data.playlistEntries.filter((e) => e.media_file_id === null || !gone.has(e.media_file_id));
}

/** `PUT /website/{id}` with `url` and optionally `header` (a JSON object as a string). */
export function updateWebsite(ctx: ApiContext, id: string): Answer {
  const site = ctx.store.data.websites.find((w) => String(w.id) === id);
  if (!site) return notFound('Website', id);
  const body = isObject(ctx.body) ? ctx.body : {};
  const errors: Record<string, string[]> = {};
  if (typeof body.url !== 'string' || !/^https?:\/\/\S+$/.test(body.url)) errors.url = ['The url format is invalid.'];
  if ('header' in body && (typeof body.header !== 'string' || !isJsonObject(body.header)))
    errors.header = ['The header must be a valid JSON string.'];
  if (Object.keys(errors).length > 0) return invalid(errors);
  site.url = body.url as string;
  if (typeof body.header === 'string') site.header = body.header;
  touch(site);
  return { status: 200, body: site };
}

/** A template from a `{"template": {…}}` body, or the 422 answer. */
function templateFrom(body: unknown, id: number, companyId: number, createdAt: string, updatedAt: string): Template | Answer {
  const input = isObject(body) && isObject(body.template) ? body.template : {};
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name === '') return invalid({ 'template.name': ['The template.name field is required.'] });
  const rawElements = Array.isArray(input.template_elements) ? input.template_elements.filter(isObject) : [];
  const template: Template = {
    id,
    name,
    text_direction: input.text_direction === 1 ? 1 : 0,
    external_data_url: typeof input.external_data_url === 'string' ? input.external_data_url : null,
    external_data_type: null,
    external_data_cache: 0,
    external_data_mode: 0,
    background_color: typeof input.background_color === 'string' ? input.background_color : '#FFFFFF',
    width: num(input.width, 1920),
    height: num(input.height, 1080),
    width_unit: typeof input.width_unit === 'string' ? input.width_unit : 'px',
    height_unit: typeof input.height_unit === 'string' ? input.height_unit : 'px',
    default_duration: num(input.default_duration, 30),
    company_id: companyId,
    created_at: createdAt,
    updated_at: updatedAt,
    template_elements: rawElements.map(
      (e, i): TemplateElement => ({
        id: id * 100 + i,
        template_id: id,
        name: typeof e.name === 'string' ? e.name : `element ${i + 1}`,
        drawable_type: e.drawable_type === 'MediaFile' ? 'MediaFile' : 'TextElement',
        x: num(e.x, 0),
        y: num(e.y, 0),
        width: num(e.width, 100),
        height: num(e.height, 100),
        angle: num(e.angle, 0),
        z_index: num(e.z_index, i),
        is_inactive: e.is_inactive === 1 ? 1 : 0,
        drawable:
          isObject(e.drawable) && typeof e.drawable.id === 'number'
            ? { id: e.drawable.id }
            : { text: String((isObject(e.drawable) && e.drawable.text) ?? '') },
      }),
    ),
  };
  return template;
}

function createWebsite(ctx: ApiContext, body: Record<string, unknown>): Answer {
  const errors: Record<string, string[]> = {};
  const name = typeof body.name === 'string' ? body.name.trim() : '';
  if (name === '') errors.name = ['The name field is required.'];
  if (typeof body.url !== 'string' || !/^https?:\/\/\S+$/.test(body.url)) errors.url = ['The url format is invalid.'];
  const header = body.header ?? '{}';
  if (typeof header !== 'string' || !isJsonObject(header)) errors.header = ['The header must be a valid JSON string.'];
  const parent = parentOf(ctx, body.media_file_id_as_parent_directory, errors);
  if (Object.keys(errors).length > 0) return invalid(errors);
  const data = ctx.store.data;
  const now = formatTimestamp(new Date());
  const websiteId = nextId(data.websites);
  data.websites.push({
    id: websiteId,
    url: body.url as string,
    header: header as string,
    company_id: data.companyId,
    created_at: now,
    updated_at: now,
  });
  return created(ctx, { name, parent, type: 'Website', attachableId: websiteId, status: 3 });
}

function contentFromTemplate(ctx: ApiContext, body: Record<string, unknown>): Answer {
  const errors: Record<string, string[]> = {};
  const wanted = isObject(body.template) ? body.template.id : undefined;
  const template = ctx.store.data.templates.find((t) => t.id === wanted);
  if (!template) errors['template.id'] = ['The selected template.id is invalid.'];
  const parent = parentOf(ctx, body.media_file_id_as_parent_directory, errors);
  if (!template || Object.keys(errors).length > 0) return invalid(errors);
  const name = typeof body.name === 'string' && body.name.trim() !== '' ? body.name.trim() : `${template.name} content`;
  return created(ctx, { name, parent, type: 'Content', attachableId: 9000 + ctx.store.data.mediaFiles.length, status: 1 });
}

function upload(ctx: ApiContext, body: UploadBody): Answer {
  const errors: Record<string, string[]> = {};
  if (!body.file || body.file.size === 0) errors.file = ['The file field is required.'];
  const parent = parentOf(ctx, body.fields.media_file_id_as_parent_directory, errors);
  if (!body.file || Object.keys(errors).length > 0) return invalid(errors);
  const data = ctx.store.data;
  const now = formatTimestamp(new Date());
  const physicalId = nextId(data.physicalFiles);
  const extension = body.file.name.includes('.') ? body.file.name.split('.').pop()!.toLowerCase() : '';
  data.physicalFiles.push({
    id: physicalId,
    status: 0,
    original_name: body.file.name,
    original_extension: extension,
    file_hash: `sha1-${physicalId}`,
    converted_file_hash: null,
    extension,
    mime_type: body.file.type || 'application/octet-stream',
    file_size: body.file.size,
    duration: 0,
    width: 0,
    height: 0,
    company_id: data.companyId,
    created_at: now,
    updated_at: now,
  });
  return created(ctx, { name: body.file.name, parent, type: 'PhysicalFile', attachableId: physicalId, status: 0 });
}

function created(
  ctx: ApiContext,
  item: { name: string; parent: number; type: MediaFile['attachable_type']; attachableId: number; status: MediaFile['status'] },
): Answer {
  const data = ctx.store.data;
  const now = formatTimestamp(new Date());
  const file: MediaFile = {
    id: nextId(data.mediaFiles),
    name: item.name,
    status: item.status,
    media_file_id_as_parent_directory: item.parent,
    thumbnail_hash: null,
    thumbnail_extension: null,
    thumbnail_mime_type: null,
    attachable_type: item.type,
    attachable_id: item.attachableId,
    company_id: data.companyId,
    created_at: now,
    updated_at: now,
  };
  data.mediaFiles.push(file);
  return { status: 201, body: file };
}

/** The parent folder id (0: top level); records a 422 message when it is not one of the account's folders. */
export function parentOf(ctx: ApiContext, raw: unknown, errors: Record<string, string[]>): number {
  const id = raw === undefined || raw === null || raw === '' ? 0 : Number(raw);
  const folder = ctx.store.data.mediaFiles.find((m) => m.id === id && m.attachable_type === null);
  if (id !== 0 && !folder) errors.media_file_id_as_parent_directory = ['The selected media file id as parent directory is invalid.'];
  return id;
}

/** The id after the largest in use (ids are never reused while the data lives). */
export function nextId(items: { id: number }[]): number {
  return Math.max(0, ...items.map((i) => i.id)) + 1;
}

function num(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function isJsonObject(text: string): boolean {
  try {
    return isObject(JSON.parse(text));
  } catch {
    return false;
  }
}

/** Laravel's 422: the first message, and every field's. */
export function invalid(errors: Record<string, string[]>): Answer {
  const first = Object.values(errors)[0]?.[0] ?? 'The given data was invalid.';
  return { status: 422, body: { message: first, errors } };
}
