import { encodeWeekdays } from '../domain/weekdays.js';
import type { ContentInput, EntryWrite, FolderInput, MediaFileChange, TemplateInput, WebsiteChange, WebsiteInput } from './inputs.js';

// The gateway's inputs as viewneo's JSON (snake_case, 0/1 flags, 0 for the top-level folder): the mirror of parse.ts.

/** The JSON body that creates a Website media file (the documented JSON form of `POST /mediafile`). */
export function websiteBody({ name, url, parentDirectoryId, headers }: WebsiteInput) {
  return {
    name,
    media_file_id_as_parent_directory: parentDirectoryId ?? 0,
    url,
    // Website.header is a JSON object stored as a string.
    ...(headers ? { header: JSON.stringify(headers) } : {}),
  };
}

/** The `template` object of `POST /template`, with its elements. */
export function templateBody(t: TemplateInput) {
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
/** The JSON body that makes content from a template. */
export function contentBody({ templateId, parentDirectoryId, name, texts }: ContentInput) {
  return {
    media_file_id_as_parent_directory: parentDirectoryId ?? 0,
    ...(name ? { name } : {}),
    template: {
      id: templateId,
      template_elements: texts.map(({ element, text }) => ({ name: element, drawable: { text } })),
    },
  };
}

const PLAY_RULES = { SCHEDULE: 0, ALWAYS: 1, NEVER: 2 } as const;

/** The JSON body that creates or changes a playlist entry: only the fields given. */
export function entryBody(entry: EntryWrite) {
  const { schedule } = entry;
  return {
    ...(entry.mediaFileId !== undefined ? { media_file_id: entry.mediaFileId } : {}),
    ...(entry.nestedPlaylistId !== undefined ? { playlist_id_as_nested_playlist: entry.nestedPlaylistId } : {}),
    ...(entry.index !== undefined ? { index: entry.index } : {}),
    ...(entry.duration !== undefined ? { duration: entry.duration } : {}),
    ...(entry.soundPlayed !== undefined ? { is_sound_played: entry.soundPlayed ? 1 : 0 } : {}),
    ...(schedule
      ? {
          play_rule: PLAY_RULES[schedule.playRule],
          start_date: schedule.startDate,
          end_date: schedule.endDate,
          start_time: schedule.startTime,
          end_time: schedule.endTime,
          weekdays: encodeWeekdays(schedule.weekdays),
          remove_playlist_entry_after_end_date: schedule.removeAfterEndDate ? 1 : 0,
        }
      : {}),
  };
}

/** The JSON body that makes a folder (`POST /mediafile` with neither url, file nor template). */
export function folderBody({ name, parentDirectoryId }: FolderInput) {
  return { name, media_file_id_as_parent_directory: parentDirectoryId ?? 0 };
}

/** The JSON body that renames and/or moves a media file. */
export function mediaFileChangeBody(change: MediaFileChange) {
  return {
    ...(change.name !== undefined ? { name: change.name } : {}),
    ...(change.parentDirectoryId !== undefined ? { media_file_id_as_parent_directory: change.parentDirectoryId ?? 0 } : {}),
  };
}

/** The JSON body of `PUT /website/{id}`: the URL, and the headers (a JSON object as a string) when given. */
export function websiteChangeBody({ url, headers }: WebsiteChange) {
  return { url, ...(headers ? { header: JSON.stringify(headers) } : {}) };
}
