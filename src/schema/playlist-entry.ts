import type { MediaFile, Playlist } from '../domain/model.js';
import { isScheduledAt } from '../domain/schedule.js';
import type { WEEKDAYS } from '../domain/weekdays.js';
import * as entries from '../resolvers/playlist-entries.js';
import * as playlists from '../resolvers/playlists.js';
import { builder } from './builder.js';
import {
  encodeGlobalId,
  entryLocalId,
  hasTypename,
  parseEntryId,
  parseEntryLocalId,
  parseOptionalViewneoId,
  parseViewneoId,
  REPRESENTATIONS,
} from './ids.js';

const PlayRule = builder.enumType('PlayRule', {
  description: 'When an entry plays.',
  values: {
    SCHEDULE: { description: 'According to its date range, time window and weekdays.' },
    ALWAYS: { description: "Always (viewneo's default)." },
    NEVER: { description: 'Never: the entry is switched off.' },
  } as const,
});

const WEEKDAY_VALUES = {
  SUNDAY: { description: "Sunday (1 in viewneo's weekday bitmask)." },
  MONDAY: { description: "Monday (2 in viewneo's weekday bitmask)." },
  TUESDAY: { description: "Tuesday (4 in viewneo's weekday bitmask)." },
  WEDNESDAY: { description: "Wednesday (8 in viewneo's weekday bitmask)." },
  THURSDAY: { description: "Thursday (16 in viewneo's weekday bitmask)." },
  FRIDAY: { description: "Friday (32 in viewneo's weekday bitmask)." },
  SATURDAY: { description: "Saturday (64 in viewneo's weekday bitmask)." },
} as const satisfies Record<(typeof WEEKDAYS)[number], { description: string }>;

const Weekday = builder.enumType('Weekday', {
  description: "A day of the week, on the screen's wall clock.",
  values: WEEKDAY_VALUES,
});

const PlaylistContent = builder.unionType('PlaylistContent', {
  description: 'What a playlist entry shows.',
  types: ['MediaFile', 'Playlist'],
  resolveType: (content: MediaFile | Playlist) => content.__typename,
});

const PlaylistEntryRef = builder.node('PlaylistEntry', {
  description: 'One item of a playlist: a media file or a nested playlist, with its play rules.',
  id: { resolve: entryLocalId },
  loadOne: (localId, ctx) => {
    const { playlistId, entryId } = parseEntryLocalId(localId);
    return playlists.playlistEntry(ctx.viewneo, playlistId, entryId);
  },
  isTypeOf: hasTypename('PlaylistEntry'),
  fields: (t) => ({
    viewneoId: t.exposeInt('id', { description: 'Its own integer id in viewneo.' }),
    index: t.exposeInt('index', { description: 'Position in the playlist; entries play in ascending order.' }),
    duration: t.exposeInt('duration', { description: 'Seconds the content is shown.' }),
    soundPlayed: t.exposeBoolean('soundPlayed', { description: "Whether the content's sound plays (false: muted)." }),
    playRule: t.expose('playRule', { type: PlayRule, description: 'Whether it plays always, never, or by its schedule fields.' }),
    startDate: t.expose('startDate', { type: 'Date', nullable: true, description: 'First day it plays (SCHEDULE only).' }),
    endDate: t.expose('endDate', { type: 'Date', nullable: true, description: 'Last day it plays (SCHEDULE only).' }),
    startTime: t.expose('startTime', { type: 'Time', nullable: true, description: 'Daily start, screen-local (SCHEDULE only).' }),
    endTime: t.expose('endTime', { type: 'Time', nullable: true, description: 'Daily end, screen-local (SCHEDULE only).' }),
    weekdays: t.expose('weekdays', {
      type: [Weekday],
      description: 'Days it plays, Sunday first; empty means no weekday restriction (SCHEDULE only).',
    }),
    removeAfterEndDate: t.exposeBoolean('removeAfterEndDate', {
      description: 'Whether viewneo removes the entry after its end date (SCHEDULE with an endDate only).',
    }),
    updatedAt: t.expose('updatedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the entry last changed; pass it as `ifUnmodifiedSince` to refuse a write over a change you have not seen.',
    }),
    isScheduledAt: t.boolean({
      description:
        'Whether its play rule lets it play at `localTime` (screen-local). For a nested playlist: whether that playlist may start then.',
      args: { localTime: t.arg({ type: 'LocalDateTime', required: true, description: "The moment, on the screen's wall clock." }) },
      resolve: (entry, { localTime }) => isScheduledAt(entry, localTime),
    }),
    content: t.field({
      type: PlaylistContent,
      nullable: true,
      description: 'The media file or nested playlist shown; null when it no longer exists.',
      resolve: (entry, _args, ctx) => playlists.entryContent(ctx.viewneo, entry),
    }),
  }),
});

// A federation entity (FEDERATION=true), by its global id: the playlist's entries are read through the session.
builder.asEntity(PlaylistEntryRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: ({ id }, ctx) => {
    const { playlistId, entryId } = parseEntryId(typeof id === 'string' ? id : '', REPRESENTATIONS);
    return playlists.playlistEntry(ctx.viewneo, playlistId, entryId);
  },
});

const ScheduleInput = builder.inputType('ScheduleInput', {
  description:
    'When an entry plays. Dates, times and weekdays only with playRule SCHEDULE; startDate not after endDate; removeAfterEndDate only with an endDate.',
  fields: (t) => ({
    playRule: t.field({ type: PlayRule, required: true, description: 'ALWAYS, NEVER, or SCHEDULE to play by the other fields.' }),
    startDate: t.field({ type: 'Date', description: 'First day it plays.' }),
    endDate: t.field({ type: 'Date', description: 'Last day it plays.' }),
    startTime: t.field({ type: 'Time', description: 'Daily start, screen-local.' }),
    endTime: t.field({ type: 'Time', description: 'Daily end, screen-local; before startTime: the window runs past midnight.' }),
    weekdays: t.field({ type: [Weekday], description: 'Days it plays; none or empty: every day. Duplicates count once.' }),
    removeAfterEndDate: t.boolean({ description: 'Whether viewneo removes the entry after its end date; false when absent.' }),
  }),
});

const AddPlaylistEntryInput = builder.inputType('AddPlaylistEntryInput', {
  description: 'A new entry: exactly one of mediaFileId, nestedPlaylistId.',
  fields: (t) => ({
    mediaFileId: t.id({ description: 'The media file to show (not a folder).' }),
    nestedPlaylistId: t.id({ description: 'The playlist to play in place; refused when it would make a playlist contain itself.' }),
    duration: t.int({
      description: 'Seconds the media file shows, 0 to 86400; 10 when absent (a nested playlist plays one pass of itself).',
    }),
    index: t.int({ description: 'Position (entries play by index ascending), 0 to 1000000; after the last entry when absent.' }),
    soundPlayed: t.boolean({ description: 'Whether the sound plays; false when absent.' }),
    schedule: t.field({ type: ScheduleInput, description: 'When it plays; ALWAYS when absent.' }),
  }),
});

const UpdatePlaylistEntryInput = builder.inputType('UpdatePlaylistEntryInput', {
  description: 'Fields to change; at least one. A schedule replaces the whole schedule.',
  fields: (t) => ({
    duration: t.int({ description: 'Seconds the content shows, 0 to 86400.' }),
    soundPlayed: t.boolean({ description: 'Whether the sound plays.' }),
    schedule: t.field({ type: ScheduleInput, description: 'The new schedule, replacing all of the old one.' }),
  }),
});

builder.mutationFields((t) => ({
  addPlaylistEntry: t.field({
    type: 'PlaylistEntry',
    description:
      'Adds a media file or a nested playlist to a playlist and answers the new entry; NOT_FOUND when viewneo has no such playlist.',
    args: {
      playlistId: t.arg.id({ required: true, description: 'A Playlist global id, or its viewneo id.' }),
      input: t.arg({ type: AddPlaylistEntryInput, required: true, description: 'What the entry shows, and how.' }),
    },
    resolve: (_root, { playlistId, input }, ctx) =>
      entries.addPlaylistEntry(ctx.viewneo, parseViewneoId(String(playlistId), 'Playlist', 'playlistId'), {
        ...input,
        mediaFileId: parseOptionalViewneoId(input.mediaFileId, 'MediaFile', 'input.mediaFileId'),
        nestedPlaylistId: parseOptionalViewneoId(input.nestedPlaylistId, 'Playlist', 'input.nestedPlaylistId'),
      }),
  }),
  updatePlaylistEntry: t.field({
    type: 'PlaylistEntry',
    description: 'Changes an entry; with ifUnmodifiedSince, refused with CONFLICT when it changed after that instant.',
    args: {
      id: t.arg.id({ required: true, description: "The entry's global id." }),
      input: t.arg({ type: UpdatePlaylistEntryInput, required: true, description: 'What to change.' }),
      ifUnmodifiedSince: t.arg({ type: 'DateTime', description: 'The updatedAt you last saw.' }),
    },
    resolve: (_root, { id, input, ifUnmodifiedSince }, ctx) =>
      entries.updatePlaylistEntry(ctx.viewneo, parseEntryId(String(id), 'id'), input, ifUnmodifiedSince),
  }),
  removePlaylistEntry: t.field({
    type: 'ID',
    description: 'Removes an entry from its playlist and answers its global id.',
    args: { id: t.arg.id({ required: true, description: "The entry's global id." }) },
    resolve: async (_root, { id }, ctx) => {
      const entry = parseEntryId(String(id), 'id');
      await ctx.viewneo.removePlaylistEntry(entry.playlistId, entry.entryId);
      return encodeGlobalId('PlaylistEntry', `${entry.playlistId}:${entry.entryId}`);
    },
  }),
  reorderPlaylistEntries: t.field({
    type: 'Playlist',
    description:
      "Puts a playlist's entries in this order (each of its entries exactly once), writing only the entries whose index must change; answers the playlist, entries fresh.",
    args: {
      playlistId: t.arg.id({ required: true, description: 'A Playlist global id, or its viewneo id.' }),
      entryIds: t.arg.idList({
        required: true,
        description: "Global ids of all of the playlist's entries, each once, in the new play order; BAD_USER_INPUT otherwise.",
      }),
      ifUnmodifiedSince: t.arg({
        type: 'DateTime',
        description:
          "The newest updatedAt among the entries you saw: the reorder is refused with CONFLICT (nothing written) when an entry changed after it, or when entryIds are no longer exactly the playlist's entries.",
      }),
    },
    resolve: async (_root, args, ctx) => {
      const playlistId = parseViewneoId(String(args.playlistId), 'Playlist', 'playlistId');
      const refs = args.entryIds.map((raw) => parseEntryId(String(raw), 'entryIds'));
      return entries.reorderPlaylistEntries(ctx.viewneo, playlistId, refs, args.ifUnmodifiedSince);
    },
  }),
}));
