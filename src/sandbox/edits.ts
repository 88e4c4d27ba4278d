import { type Answer, isObject, notFound } from './http.js';
import { invalid, nextId, parentOf, removeMediaFiles } from './media.js';
import type { PlaylistEntry } from './model.js';
import type { ApiContext } from './store.js';
import { formatTimestamp, touch } from './time.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}:\d{2}$/;

/** `POST /playlist/{id}/playlistentry`: 201 with the entry; 404 for another account's playlist; 422 with field errors. */
export function createEntry(ctx: ApiContext, playlistId: string): Answer {
  const data = ctx.store.data;
  const playlist = data.playlists.find((p) => String(p.id) === playlistId);
  if (!playlist) return notFound('Playlist', playlistId);
  const body = isObject(ctx.body) ? ctx.body : {};
  const errors: Record<string, string[]> = {};
  const media = body.media_file_id;
  const nested = body.playlist_id_as_nested_playlist;
  if ((media === undefined || media === null) === (nested === undefined || nested === null)) {
    errors.media_file_id = ['Exactly one of media file id and playlist id as nested playlist is required.'];
  } else if (media !== undefined && media !== null && !data.mediaFiles.some((m) => m.id === media && m.attachable_type !== null)) {
    errors.media_file_id = ['The selected media file id is invalid.'];
  } else if (nested !== undefined && nested !== null && !data.playlists.some((p) => p.id === nested)) {
    errors.playlist_id_as_nested_playlist = ['The selected playlist id as nested playlist is invalid.'];
  }
  const fields = entryFields(body, errors);
  if (Object.keys(errors).length > 0) return invalid(errors);
  const now = formatTimestamp(new Date());
  const entry: PlaylistEntry = {
    id: nextId(data.playlistEntries),
    index: 0,
    duration: 0,
    is_sound_played: 0,
    play_rule: 1,
    start_date: null,
    end_date: null,
    remove_playlist_entry_after_end_date: 0,
    start_time: null,
    end_time: null,
    weekdays: 0,
    ...fields,
    playlist_id: playlist.id,
    playlist_id_as_nested_playlist: typeof nested === 'number' ? nested : null,
    media_file_id: typeof media === 'number' ? media : null,
    company_id: data.companyId,
    created_at: now,
    updated_at: now,
  };
  data.playlistEntries.push(entry);
  return { status: 201, body: entry };
}

/** `PUT /playlist/{id}/playlistentry/{entry}`: the fields given, validated as on create; 200 with the entry. */
export function updateEntry(ctx: ApiContext, playlistId: string, entryId: string): Answer {
  const entry = findEntry(ctx, playlistId, entryId);
  if ('status' in entry) return entry;
  const errors: Record<string, string[]> = {};
  const fields = entryFields(isObject(ctx.body) ? ctx.body : {}, errors);
  if (Object.keys(errors).length > 0) return invalid(errors);
  Object.assign(entry, fields);
  touch(entry);
  return { status: 200, body: entry };
}

/** `DELETE /playlist/{id}/playlistentry/{entry}`: 204. */
export function deleteEntry(ctx: ApiContext, playlistId: string, entryId: string): Answer {
  const entry = findEntry(ctx, playlistId, entryId);
  if ('status' in entry) return entry;
  ctx.store.data.playlistEntries = ctx.store.data.playlistEntries.filter((e) => e !== entry);
  return { status: 204 };
}

/** `PUT /mediafile/{id}`: rename (`name`) and/or move (`media_file_id_as_parent_directory`, 0: top level). */
export function updateMediaFile(ctx: ApiContext, id: string): Answer {
  const file = ctx.store.data.mediaFiles.find((m) => String(m.id) === id);
  if (!file) return notFound('MediaFile', id);
  const body = isObject(ctx.body) ? ctx.body : {};
  const errors: Record<string, string[]> = {};
  if ('name' in body && (typeof body.name !== 'string' || body.name.trim() === '' || body.name.length > 255)) {
    errors.name = ['The name field is required.'];
  }
  let parent: number | undefined;
  if ('media_file_id_as_parent_directory' in body) {
    parent = parentOf(ctx, body.media_file_id_as_parent_directory, errors);
    if (parent === file.id) errors.media_file_id_as_parent_directory = ['A folder cannot contain itself.'];
  }
  if (Object.keys(errors).length > 0) return invalid(errors);
  if (typeof body.name === 'string') file.name = body.name.trim();
  if (parent !== undefined) file.media_file_id_as_parent_directory = parent;
  touch(file);
  return { status: 200, body: file };
}

/** `DELETE /mediafile/{id}`: 204; a folder goes with everything in it (assumed, as a file manager does), and so do the entries that showed any of it. */
export function deleteMediaFile(ctx: ApiContext, id: string): Answer {
  const file = ctx.store.data.mediaFiles.find((m) => String(m.id) === id);
  if (!file) return notFound('MediaFile', id);
  removeMediaFiles(ctx.store.data, [file.id]);
  return { status: 204 };
}

/** `GET /physicalfile/{id}`: an upload's file. */
export function showPhysicalFile(ctx: ApiContext, id: string): Answer {
  const file = ctx.store.data.physicalFiles.find((f) => String(f.id) === id);
  return file ? { status: 200, body: file } : notFound('PhysicalFile', id);
}

function findEntry(ctx: ApiContext, playlistId: string, entryId: string): PlaylistEntry | Answer {
  const entry = ctx.store.data.playlistEntries.find((e) => String(e.playlist_id) === playlistId && String(e.id) === entryId);
  return entry ?? notFound('PlaylistEntry', entryId);
}

/** The entry fields of a body that are present, checked as Laravel's rules would; problems go to `errors`. */
function entryFields(body: Record<string, unknown>, errors: Record<string, string[]>): Partial<PlaylistEntry> {
  const out: Partial<PlaylistEntry> = {};
  const int = (key: keyof PlaylistEntry, min: number, max: number) => {
    if (!(key in body)) return;
    const value = body[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      errors[key] = [`The ${key.replaceAll('_', ' ')} must be an integer from ${min} to ${max}.`];
    } else (out as Record<string, unknown>)[key] = value;
  };
  const text = (key: keyof PlaylistEntry, pattern: RegExp) => {
    if (!(key in body)) return;
    const value = body[key];
    if (value !== null && (typeof value !== 'string' || !pattern.test(value)))
      errors[key] = [`The ${key.replaceAll('_', ' ')} format is invalid.`];
    else (out as Record<string, unknown>)[key] = value;
  };
  int('index', 0, 1_000_000);
  int('duration', 0, 86_400);
  int('is_sound_played', 0, 1);
  int('play_rule', 0, 2);
  int('weekdays', 0, 127);
  int('remove_playlist_entry_after_end_date', 0, 1);
  text('start_date', DATE);
  text('end_date', DATE);
  text('start_time', TIME);
  text('end_time', TIME);
  return out;
}
