import { encodeGlobalId, parseViewneoId } from '../resolvers/ids.js';
import { numericLocalId } from '../resolvers/nodes.js';
import * as playback from '../resolvers/playback.js';
import * as playlists from '../resolvers/playlists.js';
import type { Playlist } from '../viewneo/types.js';
import { builder } from './builder.js';
import { ListOrder } from './ordering.js';
import { PlaylistEntryRef } from './playlist-entry.js';
import { TimelineItemRef } from './timeline-item.js';

/** The `Playlist` object type. */
export const PlaylistRef = builder.objectRef<Playlist>('Playlist');

builder.node(PlaylistRef, {
  description: 'An ordered list of media files and nested playlists that a screen plays.',
  id: { resolve: (p) => p.id, parse: numericLocalId },
  loadOne: (id, ctx) => playlists.playlistById(ctx, id),
  isTypeOf: (value) => (value as Playlist).__typename === 'Playlist',
  fields: (t) => ({
    viewneoId: t.exposeInt('id', { description: "viewneo's own integer id." }),
    name: t.exposeString('name'),
    comment: t.exposeString('comment', { nullable: true }),
    companyId: t.exposeInt('companyId', { nullable: true, description: 'The owning viewneo company.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: true }),
    entries: t.field({
      type: [PlaylistEntryRef],
      description: 'The items of the playlist, in play order (`index` ascending).',
      resolve: (playlist, _args, ctx) => playlists.playlistEntries(ctx, playlist),
    }),
    totalDuration: t.int({
      description:
        "Seconds one pass through the playlist takes, play rules ignored: the sum of its media entries' durations, " +
        "each nested playlist counted by its own totalDuration instead of the entry's duration. " +
        'A playlist nested in itself (directly or through others) counts 0 the second time.',
      resolve: (playlist, _args, ctx) => playback.playlistTotalDuration(ctx, playlist),
    }),
    entriesPlayingAt: t.field({
      type: [PlaylistEntryRef],
      description:
        'The entries whose play rules let them play at `localTime` (screen-local), in play order; nested playlists are not expanded.',
      args: { localTime: t.arg({ type: 'LocalDateTime', required: true }) },
      resolve: (playlist, { localTime }, ctx) => playback.entriesPlayingAt(ctx, playlist, localTime),
    }),
    timeline: t.field({
      type: [TimelineItemRef],
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
      resolve: (playlist, args, ctx) => playback.playlistTimeline(ctx, playlist, args),
    }),
  }),
});

/** `PlaylistConnection`: a page of Playlist objects with `totalCount`. */
export const PlaylistConnection = builder.connectionObject(
  {
    type: PlaylistRef,
    name: 'PlaylistConnection',
  },
  { name: 'PlaylistEdge' },
);

builder.queryFields((t) => ({
  playlists: t.connection(
    {
      type: PlaylistRef,
      description: "The caller's playlists.",
      args: {
        search: t.arg.string({ description: 'Only playlists whose name contains this, ignoring case and accents.' }),
        orderBy: t.arg({ type: ListOrder, description: "Order; viewneo's order without it." }),
      },
      resolve: (_root, args, ctx) => playlists.listPlaylists(ctx, args),
    },
    PlaylistConnection,
  ),
  playlist: t.field({
    type: PlaylistRef,
    nullable: true,
    description: 'One playlist by global id or viewneo id; null when viewneo has no such playlist.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => playlists.playlistById(ctx, parseViewneoId(String(id), 'Playlist')),
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
    type: PlaylistRef,
    args: { input: t.arg({ type: CreatePlaylistInput, required: true }) },
    resolve: (_root, { input }, ctx) => playlists.createPlaylist(ctx, input),
  }),
  updatePlaylist: t.field({
    type: PlaylistRef,
    args: {
      id: t.arg.id({ required: true }),
      input: t.arg({ type: UpdatePlaylistInput, required: true }),
    },
    resolve: (_root, { id, input }, ctx) => playlists.updatePlaylist(ctx, parseViewneoId(String(id), 'Playlist'), input),
  }),
  deletePlaylist: t.field({
    type: 'ID',
    description: 'Deletes a playlist and answers its global id.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const deleted = await playlists.deletePlaylist(ctx, parseViewneoId(String(id), 'Playlist'));
      return encodeGlobalId('Playlist', deleted);
    },
  }),
}));
