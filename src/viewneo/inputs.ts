/** What the upstream client's writes take, before `encode.ts` turns it into viewneo's JSON. */

import type { PlaylistEntry } from '../domain/model.js';

/** Input of a new Website media file. */
export interface WebsiteInput {
  readonly name: string;
  readonly url: string;
  /** null: the top level. */
  readonly parentDirectoryId: number | null;
  readonly headers: Readonly<Record<string, string>> | null;
}

/** A file to upload into the media library. */
export interface UploadInput {
  readonly file: Blob;
  readonly fileName: string;
  readonly parentDirectoryId: number | null;
}

/** One element of a new template. */
export interface TemplateElementInput {
  readonly name: string;
  readonly drawableType: 'TextElement' | 'MediaFile';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly angle: number;
  readonly zIndex: number;
  readonly inactive: boolean;
  /** TextElement: the text; MediaFile: the media file's id. */
  readonly text: string | null;
  readonly mediaFileId: number | null;
}

/** A new template with its elements. */
export interface TemplateInput {
  readonly name: string;
  readonly textDirection: 'LTR' | 'RTL';
  readonly backgroundColor: string;
  readonly width: number;
  readonly height: number;
  readonly widthUnit: string;
  readonly heightUnit: string;
  readonly defaultDuration: number;
  readonly externalDataUrl: string | null;
  readonly elements: readonly TemplateElementInput[];
}

/** Content made from a template, with texts replacing its text elements' placeholders. */
export interface ContentInput {
  readonly templateId: number;
  readonly parentDirectoryId: number | null;
  readonly name: string | null;
  readonly texts: readonly { readonly element: string; readonly text: string }[];
}

export interface PlaylistInput {
  readonly name?: string;
  readonly comment?: string | null;
}

/** The answer of viewneo's `/oauth/token`. */
export interface TokenGrant {
  readonly tokenType: string;
  readonly accessToken: string;
  readonly refreshToken: string | null;
  /** Seconds. */
  readonly expiresIn: number;
}

/** When an entry plays, as written: the entry's own schedule fields (they apply with `SCHEDULE` only). */
export type ScheduleWrite = Pick<
  PlaylistEntry,
  'playRule' | 'startDate' | 'endDate' | 'startTime' | 'endTime' | 'weekdays' | 'removeAfterEndDate'
>;

/** The fields of a playlist entry to write; absent ones are not sent. */
export interface EntryWrite {
  /** Exactly one of the two, on create only. */
  readonly mediaFileId?: number;
  readonly nestedPlaylistId?: number;
  readonly index?: number;
  /** Seconds. */
  readonly duration?: number;
  readonly soundPlayed?: boolean;
  readonly schedule?: ScheduleWrite;
}

/** A website's new URL, and its new request headers when given (null: keep them). */
export interface WebsiteChange {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>> | null;
}

/** A new folder of the media library. */
export interface FolderInput {
  readonly name: string;
  /** null: the top level. */
  readonly parentDirectoryId: number | null;
}

/** A rename and/or move of a media file; absent fields are not sent. */
export interface MediaFileChange {
  readonly name?: string;
  /** null: the top level. */
  readonly parentDirectoryId?: number | null;
}
