import * as playback from '../resolvers/playback.js';
import * as playlists from '../resolvers/playlists.js';
import { builder, byIdOrViewneoId } from './builder.js';
import { arrayConnection } from './connection.js';
import { encodeGlobalId, entityViewneoId, hasTypename, numericLocalId, parseViewneoId } from './ids.js';
import { assumedSize } from './list-size.js';

const PlaylistRef = builder.node('Playlist', {
  description: 'An ordered list of media files and nested playlists that a screen plays.',
  id: { resolve: (p) => p.id, parse: numericLocalId },
  loadOne: (id, ctx) => ctx.viewneo.playlist(id),
  isTypeOf: hasTypename('Playlist'),
  fields: (t) => ({
    viewneoId: t.exposeInt('id', { description: 'Its own integer id in viewneo.' }),
    name: t.exposeString('name', { description: 'Name shown in viewneo, 1 to 255 characters.' }),
    comment: t.exposeString('comment', { nullable: true, description: 'Free-text note; null when there is none.' }),
    companyId: t.exposeInt('companyId', {
      nullable: true,
      description: "The owning company's viewneo id; null when viewneo does not say.",
    }),
    createdAt: t.expose('createdAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it was created; null when viewneo does not say.',
    }),
    updatedAt: t.expose('updatedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it last changed; pass it as `ifUnmodifiedSince` to refuse a write over a change you have not seen.',
    }),
    entries: t.field({
      type: ['PlaylistEntry'],
      description: 'The items of the playlist, in play order (`index` ascending).',
      ...assumedSize(20),
      resolve: (playlist, _args, ctx) => playlists.playlistEntries(ctx.viewneo, playlist),
    }),
    totalDuration: t.int({
      description:
        "Seconds one pass through the playlist takes, play rules ignored: the sum of its media entries' durations, " +
        "each nested playlist counted by its own totalDuration instead of the entry's duration. " +
        'A playlist nested in itself (directly or through others) counts 0 the second time.',
      resolve: (playlist, _args, ctx) => playback.playlistTotalDuration(ctx.viewneo, playlist, ctx.scope.deadline ?? Infinity),
    }),
    entriesPlayingAt: t.field({
      type: ['PlaylistEntry'],
      description:
        'The entries whose play rules let them play at `localTime` (screen-local), in play order; nested playlists are not expanded.',
      args: { localTime: t.arg({ type: 'LocalDateTime', required: true, description: "The moment, on the screen's wall clock." }) },
      ...assumedSize(20),
      resolve: (playlist, { localTime }, ctx) => playback.entriesPlayingAt(ctx.viewneo, playlist, localTime),
    }),
    playingNow: t.field({
      type: 'PlayingNow',
      description:
        'What the playlist plays now on a screen in `timeZone` (an IANA zone such as "Europe/Berlin"), and when that next changes: computed in the gateway from the entries\' play rules.',
      args: {
        timeZone: t.arg.string({
          required: true,
          description: 'The screen\'s IANA time zone, e.g. "Europe/Berlin" or "UTC"; BAD_USER_INPUT for an unknown zone.',
        }),
      },
      resolve: (playlist, { timeZone }, ctx) => playback.playingNow(ctx.viewneo, playlist, timeZone),
    }),
    timeline: t.field({
      type: ['TimelineItem'],
      description:
        'The media files shown from `from` to `to` (screen-local) if the playlist starts at `from` and loops, nested playlists ' +
        'expanded (a playlist already being expanded is skipped). Each entry is checked at the moment it would start; ' +
        'unscheduled entries and zero durations are skipped. Items start before `to`; the timeline ends early when a whole ' +
        'pass shows nothing. `to` must be after `from` and at most 31 days later.',
      args: {
        from: t.arg({
          type: 'LocalDateTime',
          required: true,
          description: 'Start of the timeline, screen-local: the playlist starts here.',
        }),
        to: t.arg({
          type: 'LocalDateTime',
          required: true,
          description: 'End of the timeline, screen-local: after `from` and at most 31 days later (BAD_USER_INPUT otherwise).',
        }),
        limit: t.arg.int({
          defaultValue: playback.TIMELINE_DEFAULT_LIMIT,
          description: `Most items to answer, 1 to ${playback.TIMELINE_MAX_LIMIT} (BAD_USER_INPUT otherwise); ${playback.TIMELINE_DEFAULT_LIMIT} when absent or null.`,
        }),
      },
      resolve: (playlist, args, ctx) => playback.playlistTimeline(ctx.viewneo, playlist, args, ctx.scope.deadline ?? Infinity),
    }),
  }),
});

// A federation entity (FEDERATION=true): a router resolves it by either key through the session, as `node(id)` does.
builder.asEntity(PlaylistRef, {
  key: byIdOrViewneoId,
  resolveReference: (key, ctx) => ctx.viewneo.playlist(entityViewneoId('Playlist', key)),
});

const PlaylistConnection = builder.connectionObject(
  {
    type: 'Playlist',
    name: 'PlaylistConnection',
    shareable: true,
    description: 'One page of a list of playlists, with the size of the whole list.',
  },
  { name: 'PlaylistEdge', shareable: true, description: 'A playlist in a page of playlists, with its cursor.' },
);

builder.queryFields((t) => ({
  playlists: t.connection(
    {
      type: 'Playlist',
      description: "The caller's playlists, a page at a time; in viewneo's order unless `orderBy` is given.",
      args: {
        search: t.arg.string({ description: 'Only playlists whose name contains this, ignoring case and accents.' }),
        orderBy: t.arg({ type: 'ListOrder', description: "Order; viewneo's order without it." }),
      },
      resolve: (_root, args, ctx) => arrayConnection(args, () => playlists.listPlaylists(ctx.viewneo, args)),
    },
    PlaylistConnection,
  ),
  playlist: t.field({
    type: 'Playlist',
    nullable: true,
    description: 'One playlist by global id or viewneo id; null when viewneo has no such playlist.',
    args: { id: t.arg.id({ required: true, description: 'A Playlist global id, or its viewneo id ("1001").' }) },
    resolve: (_root, { id }, ctx) => ctx.viewneo.playlist(parseViewneoId(String(id), 'Playlist')),
  }),
}));

const CreatePlaylistInput = builder.inputType('CreatePlaylistInput', {
  description: 'A new, empty playlist; add its entries with addPlaylistEntry.',
  fields: (t) => ({
    name: t.string({ required: true, description: '1 to 255 characters; surrounding spaces are trimmed.' }),
    comment: t.string({ description: 'Free-text note, at most 10,000 characters; none when absent.' }),
  }),
});

const UpdatePlaylistInput = builder.inputType('UpdatePlaylistInput', {
  description: 'Fields to change; at least one. A null comment clears it.',
  fields: (t) => ({
    name: t.string({ description: 'New name, 1 to 255 characters; surrounding spaces are trimmed. Absent or null: unchanged.' }),
    comment: t.string({ description: 'New note, at most 10,000 characters; null clears it, absent leaves it.' }),
  }),
});

builder.mutationFields((t) => ({
  createPlaylist: t.field({
    type: 'Playlist',
    description: 'Creates an empty playlist and answers it.',
    args: { input: t.arg({ type: CreatePlaylistInput, required: true, description: 'Name and note of the new playlist.' }) },
    resolve: (_root, { input }, ctx) => playlists.createPlaylist(ctx.viewneo, input),
  }),
  updatePlaylist: t.field({
    type: 'Playlist',
    description: 'Renames a playlist and/or changes its note, and answers it; NOT_FOUND when viewneo has no such playlist.',
    args: {
      id: t.arg.id({ required: true, description: 'A Playlist global id, or its viewneo id.' }),
      input: t.arg({ type: UpdatePlaylistInput, required: true, description: 'What to change.' }),
      ifUnmodifiedSince: t.arg({
        type: 'DateTime',
        description: 'The updatedAt you last saw: the write is refused with CONFLICT when the playlist changed after it.',
      }),
    },
    resolve: (_root, { id, input, ifUnmodifiedSince }, ctx) =>
      playlists.updatePlaylist(ctx.viewneo, parseViewneoId(String(id), 'Playlist'), input, ifUnmodifiedSince),
  }),
  deletePlaylist: t.field({
    type: 'ID',
    description: 'Deletes a playlist and answers its global id; NOT_FOUND when viewneo has no such playlist.',
    args: { id: t.arg.id({ required: true, description: 'A Playlist global id, or its viewneo id.' }) },
    resolve: async (_root, { id }, ctx) => {
      const playlistId = parseViewneoId(String(id), 'Playlist');
      await ctx.viewneo.deletePlaylist(playlistId);
      return encodeGlobalId('Playlist', playlistId);
    },
  }),
}));
