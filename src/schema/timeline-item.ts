import * as playback from '../resolvers/playback.js';
import { builder } from './builder.js';

builder.objectType('TimelineItem', {
  description: "One media file shown by a playlist's timeline, from `start` to `end` (screen-local).",
  fields: (t) => ({
    start: t.expose('start', { type: 'LocalDateTime', description: 'When it starts showing.' }),
    end: t.expose('end', { type: 'LocalDateTime', description: "`start` plus the entry's duration; may be after the timeline's `to`." }),
    mediaFile: t.field({
      type: 'MediaFile',
      nullable: true,
      description: 'What is shown; null when the entry names no media file or the file no longer exists (the slot still takes its time).',
      resolve: (slot, _args, ctx) => playback.slotMediaFile(ctx.viewneo, slot),
    }),
    entry: t.field({ type: 'PlaylistEntry', description: 'The playlist entry the item comes from.', resolve: (slot) => slot.entry }),
    playlist: t.field({
      type: 'Playlist',
      description: "The playlist that entry belongs to: the timeline's own playlist or one nested in it.",
      resolve: (slot) => slot.playlist,
    }),
  }),
});
