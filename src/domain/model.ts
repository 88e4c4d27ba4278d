/**
 * The gateway's own shapes of viewneo objects. Upstream JSON (snake_case, 0/1 flags,
 * zone-less timestamps) is turned into these in `parse.ts` and nowhere else.
 * `__typename` names the GraphQL type, so unions and `Node` resolve without guessing.
 */

import type { Weekday } from './weekdays.js';

/** ISO-8601 instant, e.g. `2017-01-24T16:37:20Z`. */
export type DateTimeString = string;

export interface Playlist {
  readonly __typename: 'Playlist';
  readonly id: number;
  readonly name: string;
  readonly comment: string | null;
  readonly companyId: number | null;
  readonly createdAt: DateTimeString | null;
  readonly updatedAt: DateTimeString | null;
}

export type PlayRule = 'SCHEDULE' | 'ALWAYS' | 'NEVER';

export interface PlaylistEntry {
  readonly __typename: 'PlaylistEntry';
  readonly id: number;
  readonly playlistId: number;
  readonly index: number;
  /** Seconds the content is shown. */
  readonly duration: number;
  readonly soundPlayed: boolean;
  readonly playRule: PlayRule;
  /** `YYYY-MM-DD` */
  readonly startDate: string | null;
  readonly endDate: string | null;
  /** `HH:MM:SS` */
  readonly startTime: string | null;
  readonly endTime: string | null;
  readonly weekdays: readonly Weekday[];
  readonly removeAfterEndDate: boolean;
  readonly mediaFileId: number | null;
  readonly nestedPlaylistId: number | null;
  readonly updatedAt: DateTimeString | null;
}

export type MediaFileStatus = 'WAITING' | 'CONVERTING' | 'ERROR' | 'CONVERTED';
export type MediaFileKind = 'DIRECTORY' | 'WEBSITE' | 'TEMPLATE' | 'CONTENT' | 'PHYSICAL_FILE';

export interface MediaFile {
  readonly __typename: 'MediaFile';
  readonly id: number;
  readonly name: string;
  readonly status: MediaFileStatus;
  readonly kind: MediaFileKind;
  /** null at the top level (viewneo's 0 or null). */
  readonly parentDirectoryId: number | null;
  readonly attachableId: number | null;
  readonly thumbnail: { readonly hash: string; readonly extension: string | null; readonly mimeType: string | null } | null;
  readonly companyId: number | null;
  readonly createdAt: DateTimeString | null;
  readonly updatedAt: DateTimeString | null;
}

export interface TemplateElement {
  readonly name: string | null;
  readonly drawableType: string | null;
  readonly x: number | null;
  readonly y: number | null;
  readonly width: number | null;
  readonly height: number | null;
  readonly angle: number | null;
  readonly zIndex: number | null;
  readonly inactive: boolean;
  /** The element's drawable as viewneo sends it (styling fields vary by type). */
  readonly drawable: unknown;
}

export interface Template {
  readonly __typename: 'Template';
  readonly id: number;
  readonly name: string;
  readonly textDirection: 'LTR' | 'RTL';
  readonly externalDataUrl: string | null;
  readonly externalDataType: string | null;
  readonly backgroundColor: string | null;
  readonly width: number | null;
  readonly height: number | null;
  readonly widthUnit: string | null;
  readonly heightUnit: string | null;
  /** Seconds. */
  readonly defaultDuration: number;
  readonly elements: readonly TemplateElement[];
  readonly companyId: number | null;
  readonly createdAt: DateTimeString | null;
  readonly updatedAt: DateTimeString | null;
}

/** The web page behind a media file of kind WEBSITE. */
export interface Website {
  readonly __typename: 'Website';
  readonly id: number;
  readonly url: string;
  /** Request headers sent when viewneo fetches the page; may hold secrets. */
  readonly headers: Readonly<Record<string, string>>;
  readonly companyId: number | null;
  readonly createdAt: DateTimeString | null;
  readonly updatedAt: DateTimeString | null;
}

/** The uploaded file behind a media file of kind PHYSICAL_FILE. */
export interface PhysicalFile {
  readonly id: number;
  readonly originalName: string | null;
  readonly extension: string | null;
  readonly mimeType: string | null;
  /** Bytes. */
  readonly fileSize: number | null;
  /** Seconds (0 for still images). */
  readonly duration: number | null;
  /** Pixels. */
  readonly width: number | null;
  readonly height: number | null;
}
