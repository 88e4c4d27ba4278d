import type { MediaFile, Playlist } from '../domain/model.js';
import { isScheduledAt } from '../domain/schedule.js';
import { WEEKDAYS } from '../domain/weekdays.js';
import * as playlists from '../resolvers/playlists.js';
import { builder } from './builder.js';
import { entryLocalId, hasTypename, parseEntryLocalId } from './ids.js';

const PlayRule = builder.enumType('PlayRule', {
  description: 'When an entry plays.',
  values: {
    SCHEDULE: { description: 'According to its date range, time window and weekdays.' },
    ALWAYS: { description: "Always (viewneo's default)." },
    NEVER: { description: 'Never: the entry is switched off.' },
  } as const,
});

const Weekday = builder.enumType('Weekday', { values: WEEKDAYS });

const PlaylistContent = builder.unionType('PlaylistContent', {
  description: 'What a playlist entry shows.',
  types: ['MediaFile', 'Playlist'],
  resolveType: (content: MediaFile | Playlist) => content.__typename,
});

builder.node('PlaylistEntry', {
  description: 'One item of a playlist: a media file or a nested playlist, with its play rules.',
  id: { resolve: entryLocalId },
  loadOne: (localId, ctx) => {
    const { playlistId, entryId } = parseEntryLocalId(localId);
    return playlists.playlistEntry(ctx.viewneo, playlistId, entryId);
  },
  isTypeOf: hasTypename('PlaylistEntry'),
  fields: (t) => ({
    viewneoId: t.exposeInt('id', { description: "viewneo's own integer id." }),
    index: t.exposeInt('index', { description: 'Position in the playlist; entries play in ascending order.' }),
    duration: t.exposeInt('duration', { description: 'Seconds the content is shown.' }),
    soundPlayed: t.exposeBoolean('soundPlayed'),
    playRule: t.expose('playRule', { type: PlayRule }),
    startDate: t.expose('startDate', { type: 'Date', nullable: true, description: 'First day it plays (SCHEDULE only).' }),
    endDate: t.expose('endDate', { type: 'Date', nullable: true, description: 'Last day it plays (SCHEDULE only).' }),
    startTime: t.expose('startTime', { type: 'Time', nullable: true, description: 'Daily start, screen-local (SCHEDULE only).' }),
    endTime: t.expose('endTime', { type: 'Time', nullable: true, description: 'Daily end, screen-local (SCHEDULE only).' }),
    weekdays: t.expose('weekdays', {
      type: [Weekday],
      description: 'Days it plays, Sunday first; empty means no weekday restriction (SCHEDULE only).',
    }),
    removeAfterEndDate: t.exposeBoolean('removeAfterEndDate'),
    isScheduledAt: t.boolean({
      description:
        'Whether its play rule lets it play at `localTime` (screen-local). For a nested playlist: whether that playlist may start then.',
      args: { localTime: t.arg({ type: 'LocalDateTime', required: true }) },
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
