import type { Context } from '../context.js';
import type { Playlist } from '../domain/model.js';
import type { PlayingNow } from '../domain/playing.js';
import { gatewayError, isUpstreamFailure } from '../errors.js';
import type { Watch } from '../session/live.js';
import { playingNow } from './playback.js';

async function existing(ctx: Context, playlistId: number): Promise<Playlist> {
  const playlist = await ctx.viewneo.playlist(playlistId);
  if (playlist === null) throw gatewayError('NOT_FOUND', `viewneo has no playlist ${playlistId} for this token`);
  return playlist;
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
 * (a write through the gateway at once; a change made elsewhere within the poll interval).
 */
export async function playlistChanged(ctx: Context, playlistId: number): Promise<AsyncGenerator<Playlist>> {
  await existing(ctx, playlistId);
  const watch = ctx.watch(playlistId);
  async function* events() {
    try {
      while (await changed(watch)) {
        const playlist = await persistently(ctx, watch, () => existing(ctx, playlistId));
        if (playlist === null) return;
        yield playlist;
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
  const first = await playingNow(ctx.viewneo, await existing(ctx, playlistId), timeZone);
  const watch = ctx.watch(playlistId);
  async function* events() {
    let now = first;
    try {
      for (;;) {
        yield now;
        const untilNext = now.nextChangeInstant === null ? undefined : Math.max(0, Date.parse(now.nextChangeInstant) - Date.now());
        // A boundary passed (null) or the playlist changed (true): either way, what plays now.
        if ((await changed(watch, untilNext)) === false) return;
        const next = await persistently(ctx, watch, async () => playingNow(ctx.viewneo, await existing(ctx, playlistId), timeZone));
        if (next === null) return;
        now = next;
      }
    } finally {
      watch.close();
    }
  }
  return watching(watch, events());
}
