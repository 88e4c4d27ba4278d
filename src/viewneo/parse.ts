import type {
  MediaFile,
  MediaFileKind,
  MediaFileStatus,
  PhysicalFile,
  Playlist,
  PlaylistEntry,
  PlayRule,
  Template,
  TemplateElement,
  Website,
} from '../domain/model.js';
import { decodeWeekdays } from '../domain/weekdays.js';
import type { TokenGrant } from './inputs.js';

/** viewneo sent JSON that does not have the documented shape. */
export class UpstreamShapeError extends Error {
  override name = 'UpstreamShapeError';
}

type Json = Record<string, unknown>;

function record(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UpstreamShapeError(`expected ${what} to be an object, got ${describe(value)}`);
  }
  return value as Json;
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

function int(o: Json, key: string): number {
  const v = o[key];
  // Laravel sometimes serialises integer columns as numeric strings.
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw new UpstreamShapeError(`expected "${key}" to be an integer, got ${describe(v)}`);
  }
  return n;
}

function optInt(o: Json, key: string): number | null {
  return o[key] === undefined || o[key] === null ? null : int(o, key);
}

function optNumber(o: Json, key: string): number | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw new UpstreamShapeError(`expected "${key}" to be a number, got ${describe(v)}`);
  }
  return n;
}

function str(o: Json, key: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new UpstreamShapeError(`expected "${key}" to be a string, got ${describe(v)}`);
  return v;
}

function optStr(o: Json, key: string): string | null {
  return o[key] === undefined || o[key] === null ? null : str(o, key);
}

function flag(o: Json, key: string): boolean {
  const v = o[key];
  if (v === undefined || v === null) return false;
  if (v === 0 || v === 1 || v === '0' || v === '1') return Number(v) === 1;
  if (typeof v === 'boolean') return v;
  throw new UpstreamShapeError(`expected "${key}" to be 0 or 1, got ${describe(v)}`);
}

/**
 * viewneo's zone-less `"YYYY-MM-DD HH:MM:SS"` as an ISO-8601 instant. Assumed UTC (the
 * Laravel default application time zone); correct it here if viewneo says otherwise.
 */
export function parseTimestamp(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const known = typeof value === 'string' ? timestamps.get(value) : undefined;
  if (known !== undefined) return known;
  const iso = readTimestamp(value);
  // Lists repeat the same few timestamps (created_at = updated_at, bulk imports): checked once each.
  if (timestamps.size >= 10_000) timestamps.clear();
  timestamps.set(value as string, iso);
  return iso;
}

const timestamps = new Map<string, string>();

function readTimestamp(value: unknown): string {
  const m = typeof value === 'string' ? /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?Z?$/.exec(value) : null;
  if (!m) throw new UpstreamShapeError(`expected a "YYYY-MM-DD HH:MM:SS" timestamp, got ${JSON.stringify(value)}`);
  const iso = `${m[1]}T${m[2]}Z`;
  if (Number.isNaN(Date.parse(iso))) throw new UpstreamShapeError(`expected a valid timestamp, got ${JSON.stringify(value)}`);
  return iso;
}

function pattern(o: Json, key: string, re: RegExp): string | null {
  const v = optStr(o, key);
  if (v !== null && !re.test(v)) throw new UpstreamShapeError(`expected "${key}" to match ${re}, got ${JSON.stringify(v)}`);
  return v;
}

const PLAY_RULES: Record<number, PlayRule> = { 0: 'SCHEDULE', 1: 'ALWAYS', 2: 'NEVER' };
const STATUSES: Record<number, MediaFileStatus> = { 0: 'WAITING', 1: 'CONVERTING', 2: 'ERROR', 3: 'CONVERTED' };
const KINDS: Record<string, MediaFileKind> = {
  Website: 'WEBSITE',
  Template: 'TEMPLATE',
  Content: 'CONTENT',
  PhysicalFile: 'PHYSICAL_FILE',
};

function lookup<T>(table: Record<string | number, T>, key: string | number, field: string): T {
  const value = table[key];
  if (value === undefined) throw new UpstreamShapeError(`unknown "${field}" value ${JSON.stringify(key)}`);
  return value;
}

/** Parses one viewneo playlist. */
export function parsePlaylist(json: unknown): Playlist {
  const o = record(json, 'a playlist');
  return {
    __typename: 'Playlist',
    id: int(o, 'id'),
    name: str(o, 'name'),
    comment: optStr(o, 'comment'),
    companyId: optInt(o, 'company_id'),
    createdAt: parseTimestamp(o.created_at),
    updatedAt: parseTimestamp(o.updated_at),
  };
}

/** Parses one viewneo playlist entry. */
export function parsePlaylistEntry(json: unknown): PlaylistEntry {
  const o = record(json, 'a playlist entry');
  const playRule = o.play_rule === undefined || o.play_rule === null ? 1 : int(o, 'play_rule');
  return {
    __typename: 'PlaylistEntry',
    id: int(o, 'id'),
    playlistId: int(o, 'playlist_id'),
    index: optInt(o, 'index') ?? 0,
    duration: optInt(o, 'duration') ?? 0,
    soundPlayed: flag(o, 'is_sound_played'),
    playRule: lookup(PLAY_RULES, playRule, 'play_rule'),
    startDate: pattern(o, 'start_date', /^\d{4}-\d{2}-\d{2}$/),
    endDate: pattern(o, 'end_date', /^\d{4}-\d{2}-\d{2}$/),
    startTime: pattern(o, 'start_time', /^\d{2}:\d{2}(:\d{2})?$/),
    endTime: pattern(o, 'end_time', /^\d{2}:\d{2}(:\d{2})?$/),
    weekdays: decodeWeekdays(optInt(o, 'weekdays') ?? 0),
    removeAfterEndDate: flag(o, 'remove_playlist_entry_after_end_date'),
    mediaFileId: optInt(o, 'media_file_id') || null,
    nestedPlaylistId: optInt(o, 'playlist_id_as_nested_playlist') || null,
    updatedAt: parseTimestamp(o.updated_at),
  };
}

/** Parses one viewneo media file (an item of the media library, or a folder). */
export function parseMediaFile(json: unknown): MediaFile {
  const o = record(json, 'a media file');
  const type = optStr(o, 'attachable_type');
  const hash = optStr(o, 'thumbnail_hash');
  return {
    __typename: 'MediaFile',
    id: int(o, 'id'),
    name: str(o, 'name'),
    status: lookup(STATUSES, optInt(o, 'status') ?? 0, 'status'),
    // Morph types may arrive namespaced ("App\\Website"): the class name decides.
    kind: type === null ? 'DIRECTORY' : lookup(KINDS, type.split('\\').pop() ?? type, 'attachable_type'),
    parentDirectoryId: optInt(o, 'media_file_id_as_parent_directory') || null,
    attachableId: optInt(o, 'attachable_id'),
    thumbnail: hash ? { hash, extension: optStr(o, 'thumbnail_extension'), mimeType: optStr(o, 'thumbnail_mime_type') } : null,
    companyId: optInt(o, 'company_id'),
    createdAt: parseTimestamp(o.created_at),
    updatedAt: parseTimestamp(o.updated_at),
  };
}

function parseTemplateElement(json: unknown): TemplateElement {
  const o = record(json, 'a template element');
  return {
    name: optStr(o, 'name'),
    drawableType: optStr(o, 'drawable_type'),
    x: optNumber(o, 'x'),
    y: optNumber(o, 'y'),
    width: optNumber(o, 'width'),
    height: optNumber(o, 'height'),
    angle: optNumber(o, 'angle'),
    zIndex: optInt(o, 'z_index'),
    inactive: flag(o, 'is_inactive'),
    drawable: o.drawable ?? null,
  };
}

/** Parses one viewneo template with its elements. */
export function parseTemplate(json: unknown): Template {
  const o = record(json, 'a template');
  const elements = o.template_elements ?? [];
  if (!Array.isArray(elements)) throw new UpstreamShapeError(`expected "template_elements" to be an array, got ${describe(elements)}`);
  return {
    __typename: 'Template',
    id: int(o, 'id'),
    name: str(o, 'name'),
    textDirection: optInt(o, 'text_direction') === 1 ? 'RTL' : 'LTR',
    externalDataUrl: optStr(o, 'external_data_url'),
    externalDataType: o.external_data_type == null ? null : String(o.external_data_type),
    backgroundColor: optStr(o, 'background_color'),
    width: optNumber(o, 'width'),
    height: optNumber(o, 'height'),
    widthUnit: optStr(o, 'width_unit'),
    heightUnit: optStr(o, 'height_unit'),
    defaultDuration: optInt(o, 'default_duration') ?? 30,
    elements: elements.map(parseTemplateElement),
    companyId: optInt(o, 'company_id'),
    createdAt: parseTimestamp(o.created_at),
    updatedAt: parseTimestamp(o.updated_at),
  };
}

/** Parses one viewneo website; its `header` is a JSON object serialised as a string. */
export function parseWebsite(json: unknown): Website {
  const o = record(json, 'a website');
  const raw = o.header ?? '{}';
  let headers: unknown;
  try {
    headers = typeof raw === 'string' ? JSON.parse(raw || '{}') : raw;
  } catch {
    throw new UpstreamShapeError('expected "header" to hold a JSON object');
  }
  const entries = Object.entries(record(headers, '"header"'));
  if (entries.some(([, v]) => typeof v !== 'string')) throw new UpstreamShapeError('expected "header" values to be strings');
  return {
    __typename: 'Website',
    id: int(o, 'id'),
    url: str(o, 'url'),
    headers: Object.fromEntries(entries) as Record<string, string>,
    companyId: optInt(o, 'company_id'),
    createdAt: parseTimestamp(o.created_at),
    updatedAt: parseTimestamp(o.updated_at),
  };
}

/** Parses one uploaded file (viewneo's PhysicalFile). */
export function parsePhysicalFile(json: unknown): PhysicalFile {
  const o = record(json, 'a physical file');
  return {
    id: int(o, 'id'),
    originalName: optStr(o, 'original_name'),
    extension: optStr(o, 'extension'),
    mimeType: optStr(o, 'mime_type'),
    fileSize: optInt(o, 'file_size'),
    duration: optNumber(o, 'duration'),
    width: optInt(o, 'width'),
    height: optInt(o, 'height'),
  };
}

/** Parses a successful `/oauth/token` answer. */
export function parseTokenGrant(json: unknown): TokenGrant {
  const o = record(json, 'a token answer');
  return {
    tokenType: optStr(o, 'token_type') ?? 'Bearer',
    accessToken: str(o, 'access_token'),
    refreshToken: optStr(o, 'refresh_token'),
    expiresIn: int(o, 'expires_in'),
  };
}

/** One page of a viewneo list: its items, the URL of the next page, if any, and the page count when the list says it. */
export interface ListPage {
  readonly items: unknown[];
  readonly next: string | null;
  /** The paginator's `last_page` (`meta.last_page` of a resource collection); null for a plain array or a simple paginator. */
  readonly lastPage: number | null;
}

/**
 * Reads any of the three list shapes viewneo may answer: a plain array, a Laravel
 * paginator (`next_page_url`), or an API-resource collection (`links.next`).
 */
export function parseListPage(json: unknown): ListPage {
  if (Array.isArray(json)) return { items: json, next: null, lastPage: 1 };
  const o = record(json, 'a list');
  if (!Array.isArray(o.data))
    throw new UpstreamShapeError(`expected a list or a paginator with "data", got ${describe(o.data)} for "data"`);
  const links = o.links && typeof o.links === 'object' ? (o.links as Json) : {};
  const next = o.next_page_url ?? links.next ?? null;
  if (next !== null && typeof next !== 'string')
    throw new UpstreamShapeError(`expected the next page URL to be a string, got ${describe(next)}`);
  const meta = o.meta && typeof o.meta === 'object' ? (o.meta as Json) : {};
  const lastPage = o.last_page ?? meta.last_page ?? null;
  return {
    items: o.data,
    next: next || null,
    lastPage: Number.isSafeInteger(lastPage) && (lastPage as number) > 0 ? (lastPage as number) : null,
  };
}

/** The Laravel error body's `errors` (field → messages), when it has that shape. */
export function parseFieldErrors(json: unknown): Record<string, string[]> | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const errors = (json as Json).errors;
  if (typeof errors !== 'object' || errors === null || Array.isArray(errors)) return undefined;
  const out: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(errors)) {
    if (Array.isArray(messages)) out[field] = messages.filter((m): m is string => typeof m === 'string').slice(0, 10);
  }
  return out;
}
