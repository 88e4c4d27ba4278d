import type { Context } from '../context.js';
import type { Playlist } from '../domain/model.js';
import type { PlayingNow } from '../domain/playing.js';
import { gatewayError, isUpstreamFailure } from '../errors.js';
import type { PlaylistRead, Watch } from '../session/live.js';
import { playingNow } from './playback.js';

/**
 * The playlist and its entries as the context's session reads them now (usually from the
 * token's cache): what the subscriber is given, and so what its watch compares viewneo against.
 * NOT_FOUND when viewneo has no such playlist.
 */
async function current(ctx: Context, playlistId: number): Promise<PlaylistRead> {
  const [playlist, entries] = await Promise.all([ctx.viewneo.playlist(playlistId), ctx.viewneo.playlistEntries(playlistId)]);
  if (playlist === null || entries === null) throw gatewayError('NOT_FOUND', `viewneo has no playlist ${playlistId} for this token`);
  return { playlist, entries };
}

/** Answers the watch's next change (true), its end (false; with an error, thrown), or nothing before `timeoutMs` (null). */
async function changed(watch: Watch, timeoutMs?: number): Promise<boolean | null> {
  const event = await watch.next(timeoutMs);
  if (event.kind === 'timeout') return null;
  if (event.kind === 'ended') {
    if (event.error) throw event.error;
    return false;
  }
  return true;
}

/**
 * An event's `read`, with fresh per-event reads (`ctx.renew()`). While viewneo fails (5xx,
 * timeout, throttling) it is read again at the next change or after a poll interval, whichever
 * comes first, so that one failure neither ends the subscription nor loses the change; the
 * caller's own refusals (401, 403, 404) still end it. Answers null when the watch ended meanwhile.
 */
async function persistently<T>(ctx: Context, watch: Watch, read: () => Promise<T>): Promise<T | null> {
  for (;;) {
    ctx.renew();
    try {
      return await read();
    } catch (error) {
      if (!isUpstreamFailure(error)) throw error;
      if ((await changed(watch, ctx.config.livePollIntervalMs)) === false) return null;
    }
  }
}

/**
 * `events`, with the watch closed as soon as the subscriber leaves: an async generator told to
 * return while it waits for a change would only notice at that change.
 */
function watching<T>(watch: Watch, events: AsyncGenerator<T>): AsyncGenerator<T> {
  const iterator: AsyncGenerator<T> = {
    next: (...args) => events.next(...args),
    return: (value) => {
      watch.close();
      return events.return(value);
    },
    throw: (error) => {
      watch.close();
      return events.throw(error);
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/**
 * `Subscription.playlistChanged`: the playlist, read afresh, each time it or its entries change
 * from what the subscriber was last given (a write through the gateway at once; a change made
 * elsewhere within the poll interval, however soon after the subscription or the last event).
 */
export async function playlistChanged(ctx: Context, playlistId: number): Promise<AsyncGenerator<Playlist>> {
  const watch = ctx.watch(playlistId, await current(ctx, playlistId));
  async function* events() {
    try {
      while (await changed(watch)) {
        const read = await persistently(ctx, watch, () => current(ctx, playlistId));
        if (read === null) return;
        // A wake that brings nothing new (a write that changed nothing, another subscriber's catch-up) sends nothing.
        if (watch.offer(read)) yield read.playlist;
      }
    } finally {
      watch.close();
    }
  }
  return watching(watch, events());
}

/**
 * `Subscription.playingNow`: what the playlist plays now on a screen in `timeZone`, at once, then
 * at every schedule boundary (computed here, with no upstream call) and whenever the playlist changes.
 */
export async function playingNowFeed(ctx: Context, playlistId: number, timeZone: string): Promise<AsyncGenerator<PlayingNow>> {
  const given = await current(ctx, playlistId);
  const first = await playingNow(ctx.viewneo, given.playlist, timeZone);
  const watch = ctx.watch(playlistId, given);
  async function* events() {
    let now = first;
    try {
      yield now;
      for (;;) {
        const untilNext = now.nextChangeInstant === null ? undefined : Math.max(0, Date.parse(now.nextChangeInstant) - Date.now());
        const woke = await changed(watch, untilNext);
        if (woke === false) return;
        const next = await persistently(ctx, watch, async () => {
          const read = await current(ctx, playlistId);
          return { read, playing: await playingNow(ctx.viewneo, read.playlist, timeZone) };
        });
        if (next === null) return;
        // A boundary passed (null): what plays now is due; a change (true): only when it is news.
        if (!watch.offer(next.read, woke === null)) continue;
        now = next.playing;
        yield now;
      }
    } finally {
      watch.close();
    }
  }
  return watching(watch, events());
}
