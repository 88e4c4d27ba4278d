import { builder } from './builder.js';
import { assumedSize } from './list-size.js';

builder.objectType('PlayingNow', {
  description: "What a playlist plays at one moment on a screen's wall clock, and when that next changes.",
  fields: (t) => ({
    localTime: t.expose('localTime', { type: 'LocalDateTime', description: "The moment, on the screen's wall clock." }),
    entries: t.field({
      type: ['PlaylistEntry'],
      description: "The playlist's own entries whose play rules let them play then, in play order (nested playlists not expanded).",
      ...assumedSize(20),
      resolve: (playing) => [...playing.entries],
    }),
    nextChangeAt: t.expose('nextChangeAt', {
      type: 'LocalDateTime',
      nullable: true,
      description:
        'The next moment (wall clock) at which those entries change: a time window opens or closes, a date or weekday begins; null: never.',
    }),
    nextChangeInstant: t.expose('nextChangeInstant', {
      type: 'DateTime',
      nullable: true,
      description: "That moment as an instant (UTC), with the zone's clock changes: when to look again.",
    }),
  }),
});
