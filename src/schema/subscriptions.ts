import * as live from '../resolvers/live.js';
import { builder } from './builder.js';
import { parseViewneoId } from './ids.js';

builder.subscriptionType({
  description:
    "Live updates, over GraphQL over SSE (Accept: text/event-stream) or WebSocket (graphql-ws) on /graphql, with the caller's token.",
});

builder.subscriptionFields((t) => ({
  playlistChanged: t.field({
    type: 'Playlist',
    description:
      'The playlist, entries fresh, each time it or its entries change: at once for writes through the gateway, within LIVE_POLL_INTERVAL_MS for changes made elsewhere.',
    args: {
      id: t.arg.id({
        required: true,
        description: 'A Playlist global id, or its viewneo id; NOT_FOUND when viewneo has no such playlist.',
      }),
    },
    subscribe: (_root, { id }, ctx) => live.playlistChanged(ctx, parseViewneoId(String(id), 'Playlist')),
    resolve: (playlist) => playlist,
  }),
  playingNow: t.field({
    type: 'PlayingNow',
    description:
      'What the playlist plays now on a screen in `timeZone` (an IANA zone): at once, then at every schedule boundary (computed in the gateway, no upstream call) and when the playlist changes.',
    args: {
      playlistId: t.arg.id({
        required: true,
        description: 'A Playlist global id, or its viewneo id; NOT_FOUND when viewneo has no such playlist.',
      }),
      timeZone: t.arg.string({
        required: true,
        description: 'The screen\'s IANA time zone, e.g. "Europe/Berlin" or "UTC"; BAD_USER_INPUT for an unknown zone.',
      }),
    },
    subscribe: (_root, { playlistId, timeZone }, ctx) =>
      live.playingNowFeed(ctx, parseViewneoId(String(playlistId), 'Playlist', 'playlistId'), timeZone),
    resolve: (playing) => playing,
  }),
}));
