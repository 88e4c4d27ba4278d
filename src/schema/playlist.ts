import * as playback from '../resolvers/playback.js';
import * as playlists from '../resolvers/playlists.js';
import { builder } from './builder.js';
import { arrayConnection } from './connection.js';
import { encodeGlobalId, hasTypename, numericLocalId, parseViewneoId } from './ids.js';

builder.node('Playlist', {
  description: 'An ordered list of media files and nested playlists that a screen plays.',
  id: { resolve: (p) => p.id, parse: numericLocalId },
  loadOne: (id, ctx) => ctx.viewneo.playlist(id),
  isTypeOf: hasTypename('Playlist'),
  fields: (t) => ({
    viewneoId: t.exposeInt('id', { description: "viewneo's own integer id." }),
    name: t.exposeString('name'),
    comment: t.exposeString('comment', { nullable: true }),
    companyId: t.exposeInt('companyId', { nullable: true, description: 'The owning viewneo company.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: true }),
    entries: t.field({
      type: ['PlaylistEntry'],
      description: 'The items of the playlist, in play order (`index` ascending).',
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
      args: { localTime: t.arg({ type: 'LocalDateTime', required: true }) },
      resolve: (playlist, { localTime }, ctx) => playback.entriesPlayingAt(ctx.viewneo, playlist, localTime),
    }),
    playingNow: t.field({
      type: 'PlayingNow',
      description:
        'What the playlist plays now on a screen in `timeZone` (an IANA zone such as "Europe/Berlin"), and when that next changes: computed in the gateway from the entries\' play rules.',
      args: { timeZone: t.arg.string({ required: true }) },
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
        from: t.arg({ type: 'LocalDateTime', required: true }),
        to: t.arg({ type: 'LocalDateTime', required: true }),
        limit: t.arg.int({ defaultValue: 500, description: 'Most items to answer, 1 to 5000.' }),
      },
      resolve: (playlist, args, ctx) => playback.playlistTimeline(ctx.viewneo, playlist, args, ctx.scope.deadline ?? Infinity),
    }),
  }),
});

const PlaylistConnection = builder.connectionObject(
  {
    type: 'Playlist',
    name: 'PlaylistConnection',
  },
  { name: 'PlaylistEdge' },
);

builder.queryFields((t) => ({
  playlists: t.connection(
    {
      type: 'Playlist',
      description: "The caller's playlists.",
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
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.viewneo.playlist(parseViewneoId(String(id), 'Playlist')),
  }),
}));

const CreatePlaylistInput = builder.inputType('CreatePlaylistInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: '1 to 255 characters; surrounding spaces are trimmed.' }),
    comment: t.string(),
  }),
});

const UpdatePlaylistInput = builder.inputType('UpdatePlaylistInput', {
  description: 'Fields to change; at least one. A null comment clears it.',
  fields: (t) => ({
    name: t.string(),
    comment: t.string(),
  }),
});

builder.mutationFields((t) => ({
  createPlaylist: t.field({
    type: 'Playlist',
    args: { input: t.arg({ type: CreatePlaylistInput, required: true }) },
    resolve: (_root, { input }, ctx) => playlists.createPlaylist(ctx.viewneo, input),
  }),
  updatePlaylist: t.field({
    type: 'Playlist',
    args: {
      id: t.arg.id({ required: true }),
      input: t.arg({ type: UpdatePlaylistInput, required: true }),
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
    description: 'Deletes a playlist and answers its global id.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const playlistId = parseViewneoId(String(id), 'Playlist');
      await ctx.viewneo.deletePlaylist(playlistId);
      return encodeGlobalId('Playlist', playlistId);
    },
  }),
}));
