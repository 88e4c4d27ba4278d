import type { ListResource, ListSetting } from './lists.js';

/** A viewneo 0/1 integer flag. */
export type Flag = 0 | 1;

/** A playlist exactly as the viewneo API answers it. */
export interface Playlist {
  id: number;
  name: string;
  comment: string | null;
  company_id: number;
  created_at: string;
  updated_at: string;
}

/**
 * One item of a playlist: exactly one of `media_file_id` and `playlist_id_as_nested_playlist`
 * is set. Schedule fields only matter with `play_rule` 0 (0 schedule, 1 always, 2 never).
 */
export interface PlaylistEntry {
  id: number;
  index: number;
  duration: number;
  is_sound_played: Flag;
  play_rule: 0 | 1 | 2;
  start_date: string | null;
  end_date: string | null;
  remove_playlist_entry_after_end_date: Flag;
  start_time: string | null;
  end_time: string | null;
  weekdays: number;
  playlist_id: number;
  playlist_id_as_nested_playlist: number | null;
  media_file_id: number | null;
  company_id: number;
  created_at: string;
  updated_at: string;
}

/** What a media-library item is; null is a folder. */
export type AttachableType = 'Website' | 'Template' | 'Content' | 'PhysicalFile' | null;

/** A media-library item (or folder) exactly as the viewneo API answers it. */
export interface MediaFile {
  id: number;
  name: string;
  status: 0 | 1 | 2 | 3;
  media_file_id_as_parent_directory: number | null;
  thumbnail_hash: string | null;
  thumbnail_extension: string | null;
  thumbnail_mime_type: string | null;
  attachable_type: AttachableType;
  attachable_id: number | null;
  company_id: number;
  created_at: string;
  updated_at: string;
}

/** An uploaded file behind a `PhysicalFile` media item. */
export interface PhysicalFile {
  id: number;
  status: 0 | 1 | 2 | 3;
  original_name: string;
  original_extension: string;
  file_hash: string;
  converted_file_hash: string | null;
  extension: string;
  mime_type: string;
  file_size: number;
  duration: number;
  width: number;
  height: number;
  company_id: number;
  created_at: string;
  updated_at: string;
}

/** A web page behind a `Website` media item; `header` is a JSON object as a string and may hold secrets. */
export interface Website {
  id: number;
  url: string;
  header: string;
  company_id: number;
  created_at: string;
  updated_at: string;
}

/** One element of a template: a text, or a media file (`drawable.id` is the media file id). */
export interface TemplateElement {
  id: number;
  template_id: number;
  name: string;
  drawable_type: 'TextElement' | 'MediaFile';
  x: number;
  y: number;
  width: number;
  height: number;
  angle: number;
  z_index: number;
  is_inactive: Flag;
  drawable: { text: string } | { id: number };
}

/** A layout that content is made from, with its elements. */
export interface Template {
  id: number;
  name: string;
  text_direction: Flag;
  external_data_url: string | null;
  external_data_type: string | null;
  external_data_cache: number;
  external_data_mode: number;
  background_color: string;
  width: number;
  height: number;
  width_unit: string;
  height_unit: string;
  default_duration: number;
  company_id: number;
  created_at: string;
  updated_at: string;
  template_elements: TemplateElement[];
}

/** Who a sandbox account is: its name, personal access token and company, and how viewneo treats it. */
export interface SandboxAccount {
  name: string;
  token: string;
  companyId: number;
  /** Its own per-minute API limit (viewneo's is per plan), in place of the sandbox-wide one; absent: the sandbox's. */
  rateLimitPerMinute?: number;
  /** Its own list shapes and page sizes (viewneo's are per route), over the sandbox-wide ones. */
  lists?: Partial<Record<ListResource, ListSetting>>;
}

/** Everything one sandbox account owns; ids are per account (accounts reuse the same ids). */
export interface SandboxAccountData extends SandboxAccount {
  playlists: Playlist[];
  playlistEntries: PlaylistEntry[];
  mediaFiles: MediaFile[];
  templates: Template[];
  websites: Website[];
  physicalFiles: PhysicalFile[];
}
