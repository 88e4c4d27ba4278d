import { slotMediaFile } from '../resolvers/playback.js';
import type { TimelineSlot } from '../resolvers/timeline.js';
import { builder } from './builder.js';
import { MediaFileRef } from './media-file.js';
import { PlaylistRef } from './playlist.js';
import { PlaylistEntryRef } from './playlist-entry.js';

/** The `TimelineItem` object type: one media slot of `Playlist.timeline`. */
export const TimelineItemRef = builder.objectRef<TimelineSlot>('TimelineItem');

TimelineItemRef.implement({
  description: "One media file shown by a playlist's timeline, from `start` to `end` (screen-local).",
  fields: (t) => ({
    start: t.expose('start', { type: 'LocalDateTime', description: 'When it starts showing.' }),
    end: t.expose('end', { type: 'LocalDateTime', description: "`start` plus the entry's duration; may be after the timeline's `to`." }),
    mediaFile: t.field({
      type: MediaFileRef,
      nullable: true,
      description: 'What is shown; null when the entry names no media file or the file no longer exists (the slot still takes its time).',
      resolve: (slot, _args, ctx) => slotMediaFile(ctx, slot),
    }),
    entry: t.field({ type: PlaylistEntryRef, description: 'The playlist entry the item comes from.', resolve: (slot) => slot.entry }),
    playlist: t.field({
      type: PlaylistRef,
      description: "The playlist that entry belongs to: the timeline's own playlist or one nested in it.",
      resolve: (slot) => slot.playlist,
    }),
  }),
});
