import { createHash } from 'node:crypto';
import type { GraphQLError } from 'graphql';
import type { UpstreamCache } from '../cache/upstream-cache.js';
import type { Playlist, PlaylistEntry } from '../domain/model.js';
import { errorCode, gatewayError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { ViewneoClient } from '../viewneo/client.js';
import type { BudgetSnapshot } from '../viewneo/transport/budget.js';
import { pollDelayMs } from './poll-pacing.js';
import { resourceName } from './resources.js';

/** What a watch of a playlist delivers: a change, or why it ended. */
export type LiveEvent =
  | { readonly kind: 'changed' }
  | { readonly kind: 'ended'; readonly error: GraphQLError | null }
  | { readonly kind: 'timeout' };

/** A playlist and its entries as one read saw them: what a subscriber is given, and what a poll finds. */
export interface PlaylistRead {
  readonly playlist: Playlist;
  readonly entries: readonly PlaylistEntry[];
}

/** One subscriber's view of one playlist's changes; close it when the subscription ends. */
export interface Watch {
  /**
   * The next change that may concern the subscriber (changes that came while nobody waited count
   * as one), the end, or 'timeout' after `timeoutMs`. A change is a hint: read, then {@link offer}.
   */
  next(timeoutMs?: number): Promise<LiveEvent>;
  /**
   * Offers the subscriber `read` (an event's fresh read): true when it differs from what the
   * subscriber was last given, or when `always` (an event due anyway, a schedule boundary); then
   * `read` is what it was last given, which the poller compares viewneo against, and the event is
   * counted. False: it would tell the subscriber nothing new, send nothing.
   */
  offer(read: PlaylistRead, always?: boolean): boolean;
  close(): void;
}

/** Who polls a token's playlist when replicas share Redis (src/redis/poll-lease.ts): the one that holds its lease. */
export interface PollLease {
  /** Takes or keeps the lease of `key` for `ttlMs`; false when another replica holds it. */
  claim(key: string, ttlMs: number): Promise<boolean>;
}

/**
 * What every replica's subscribers of a token's playlist were last given (src/redis/live-baselines.ts),
 * for the replica that polls it: its own subscribers' baselines it knows, the others' it reads here.
 */
export interface SharedBaselines {
  /** Keeps this replica's baselines (digests) of `key` for `ttlMs`, in place of those it kept; none: withdraws them. */
  keep(key: string, digests: readonly string[], ttlMs: number): Promise<void>;
  /** The baselines of `key` that the replicas keep now; none when Redis fails. */
  read(key: string): Promise<string[]>;
}

/** What {@link LiveUpdates} needs. */
export interface LiveOptions {
  readonly pollIntervalMs: number;
  readonly maxPerToken: number;
  readonly client: ViewneoClient;
  readonly cache: UpstreamCache;
  /** What the token has left of its upstream budget; null: no budget is kept. */
  readonly budget: (tokenHash: string) => BudgetSnapshot | null;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** With Redis: one replica polls each token's playlist, the others hear of its changes through the invalidations. */
  readonly lease?: PollLease;
  /** With Redis: what the other replicas' subscribers were given, for the one that polls to compare with. */
  readonly baselines?: SharedBaselines;
}

interface Poller {
  readonly key: string;
  readonly token: string;
  readonly tokenHash: string;
  readonly playlistId: number;
  readonly watches: Set<WatchState>;
  /** The next tick. */
  timer: NodeJS.Timeout | undefined;
  /** When the last poll began (epoch ms); at first, when the poller started. */
  polledAt: number;
  /** The wait between polls that the token's budget allowed at the last tick. */
  delayMs: number;
  /** What the last poll read (its digest); null before the first. */
  fingerprint: string | null;
  polling: boolean;
  /** True while the poller's own invalidation runs: its watchers are woken once the cache holds what it read. */
  announcing: boolean;
  /** The baselines last kept in Redis (sorted, joined), so that an unchanged set is not sent again before the next tick. */
  kept: string;
}

interface WatchState {
  readonly key: string;
  /** Digest of what the subscriber was last given. */
  baseline: string;
  queued: LiveEvent | null;
  wake: ((event: LiveEvent) => void) | null;
}

const PLAYLIST_RESOURCE = /^playlist:(\d+)(?::entries)?$/;
// Timers may fire a millisecond early: a tick that soon is on time.
const TIMER_SLACK_MS = 5;
const CHANGED: LiveEvent = { kind: 'changed' };

/**
 * The digest of a read: equal for equal reads, whether the session (cached, through Redis, from
 * a list) or a poll read them, since both hold the same parsed objects (src/viewneo/parse.ts)
 * and a JSON round trip keeps their JSON as it was.
 */
function digestOf(read: PlaylistRead): string {
  return createHash('sha256')
    .update(JSON.stringify([read.playlist, read.entries]))
    .digest('base64url');
}

/**
 * Live updates of playlists for subscriptions. A write through the gateway (on any replica: its
 * invalidation reaches this one through Redis) wakes the token's watchers of that playlist at
 * once. Changes made elsewhere (the viewneo CMS) are found by one poller per token and playlist
 * (with Redis, on one replica at a time), shared by all of that token's watchers and stopped with
 * the last of them, which reads the playlist and its entries every `pollIntervalMs` (less often
 * as the token's budget runs low: {@link pollDelayMs}) and wakes every watcher whose
 * subscriber was last given something else than it read: a change is found however soon after
 * the subscriber's read it was made. A watcher only ever hears of its own token's changes.
 */
export class LiveUpdates {
  private readonly pollers = new Map<string, Poller>();
  private readonly perToken = new Map<string, number>();
  private closed = false;

  constructor(private readonly options: LiveOptions) {}

  /**
   * Watches playlist `playlistId` for the token, for a subscriber that was given `given`:
   * TOO_MANY_SUBSCRIPTIONS past `maxPerToken` open watches of the token on this replica.
   */
  watch(token: string, tokenHash: string, playlistId: number, given: PlaylistRead): Watch {
    const open = this.perToken.get(tokenHash) ?? 0;
    if (open >= this.options.maxPerToken) {
      throw gatewayError(
        'TOO_MANY_SUBSCRIPTIONS',
        `Expected at most ${this.options.maxPerToken} open subscriptions per token (MAX_SUBSCRIPTIONS_PER_TOKEN), got one more`,
        { limit: this.options.maxPerToken },
      );
    }
    if (this.closed) throw gatewayError('UPSTREAM_ERROR', 'The gateway is shutting down: subscribe again on another replica');
    this.perToken.set(tokenHash, open + 1);
    this.options.metrics.live('subscription', 1);
    const key = `${tokenHash}:${playlistId}`;
    const state: WatchState = { key, baseline: digestOf(given), queued: null, wake: null };
    const poller = this.poller(key, token, tokenHash, playlistId);
    poller.watches.add(state);
    this.keep(poller, false);
    let closed = false;
    return {
      next: (timeoutMs) => this.take(state, timeoutMs),
      offer: (read, always = false) => {
        const digest = digestOf(read);
        if (digest === state.baseline && !always) return false;
        state.baseline = digest;
        this.options.metrics.liveEvent();
        this.keep(poller, false);
        return true;
      },
      close: () => {
        if (closed) return;
        closed = true;
        // Wakes a subscription waiting for its next change, so that it ends now.
        this.push(state, { kind: 'ended', error: null });
        this.perToken.set(tokenHash, (this.perToken.get(tokenHash) ?? 1) - 1);
        if (this.perToken.get(tokenHash) === 0) this.perToken.delete(tokenHash);
        this.options.metrics.live('subscription', -1);
        this.unwatch(state);
      },
    };
  }

  /** Tells the watchers of the playlists among these invalidated resources of a token (see UpstreamCache's onForget). */
  notify(tokenHash: string, resources: readonly string[]): void {
    const ids = new Set<string>();
    for (const resource of resources) {
      const match = PLAYLIST_RESOURCE.exec(resource);
      if (match) ids.add(match[1]!);
    }
    for (const id of ids) {
      const poller = this.pollers.get(`${tokenHash}:${id}`);
      if (poller === undefined || poller.announcing) continue;
      for (const watch of poller.watches) this.push(watch, CHANGED);
    }
  }

  /** Ends every watch (at shutdown) and stops the pollers; new watches are refused. */
  close(): void {
    this.closed = true;
    for (const poller of this.pollers.values()) for (const watch of poller.watches) this.push(watch, { kind: 'ended', error: null });
  }

  private poller(key: string, token: string, tokenHash: string, playlistId: number): Poller {
    let poller = this.pollers.get(key);
    if (poller === undefined) {
      poller = {
        key,
        token,
        tokenHash,
        playlistId,
        watches: new Set(),
        timer: undefined,
        // The first watcher's read is as fresh as a poll.
        polledAt: Date.now(),
        delayMs: this.options.pollIntervalMs,
        fingerprint: null,
        polling: false,
        announcing: false,
        kept: '',
      };
      this.pollers.set(key, poller);
      this.options.metrics.live('poller', 1);
      this.schedule(poller, pollDelayMs(this.options.pollIntervalMs, this.options.budget(tokenHash), Date.now()));
    }
    return poller;
  }

  private unwatch(state: WatchState): void {
    const poller = this.pollers.get(state.key);
    if (poller === undefined) return;
    poller.watches.delete(state);
    this.keep(poller, false);
    if (poller.watches.size > 0) return;
    clearTimeout(poller.timer);
    this.pollers.delete(state.key);
    this.options.metrics.live('poller', -1);
  }

  private schedule(poller: Poller, ms: number): void {
    poller.timer = setTimeout(() => this.tick(poller), ms);
    poller.timer.unref();
  }

  /** Polls when the wait the token's budget allows now has passed since the last poll; else ticks again then. */
  private tick(poller: Poller): void {
    const now = Date.now();
    poller.delayMs = pollDelayMs(this.options.pollIntervalMs, this.options.budget(poller.tokenHash), now);
    this.keep(poller, true);
    const wait = poller.polledAt + poller.delayMs - now;
    if (wait > TIMER_SLACK_MS) {
      this.schedule(poller, wait);
      return;
    }
    poller.polledAt = now;
    this.schedule(poller, poller.delayMs);
    void this.poll(poller);
  }

  /**
   * Keeps this replica's baselines of the poller's playlist in Redis, when they changed or to
   * `refresh` them (each tick): whichever replica polls compares viewneo with them too, so a
   * subscriber here that is behind is told even when this replica does not poll and every
   * subscriber of the one that does is up to date. They live three ticks, past a replica that stopped.
   */
  private keep(poller: Poller, refresh: boolean): void {
    const shared = this.options.baselines;
    if (shared === undefined) return;
    const digests = [...new Set([...poller.watches].map((watch) => watch.baseline))].sort();
    const kept = digests.join(' ');
    if (kept === poller.kept && !refresh) return;
    poller.kept = kept;
    void shared.keep(poller.key, digests, 3 * poller.delayMs);
  }

  private async poll(poller: Poller): Promise<void> {
    if (poller.polling) return;
    const { key, tokenHash, playlistId } = poller;
    poller.polling = true;
    try {
      // Held past the next poll, which the budget may have pushed back.
      if (this.options.lease && !(await this.options.lease.claim(key, 2 * poller.delayMs))) {
        // Another replica polls it; the last poll here says nothing of what that one saw since.
        poller.fingerprint = null;
        return;
      }
      const scope = { tokenHash, deadline: Date.now() + Math.max(1_000, this.options.pollIntervalMs) };
      const [playlist, entries, elsewhere] = await Promise.all([
        this.options.client.getPlaylist(poller.token, playlistId, scope),
        this.options.client.listPlaylistEntries(poller.token, playlistId, scope),
        this.options.baselines?.read(key) ?? [],
      ]);
      this.options.metrics.livePoll();
      if (playlist === null || entries === null)
        return this.end(poller, gatewayError('NOT_FOUND', `viewneo has no playlist ${playlistId} any more`));
      const read = { playlist, entries };
      const digest = digestOf(read);
      const previous = poller.fingerprint;
      poller.fingerprint = digest;
      // Compared with what each subscriber was given, not with the last poll: a change made before
      // the first poll, or between a write through the gateway and the next poll, is found too.
      // The other replicas' subscribers behind are woken by the invalidation.
      const behind = (watch: WatchState) => watch.baseline !== digest;
      const moved = (previous !== null && previous !== digest) || elsewhere.some((baseline) => baseline !== digest);
      if (!moved && ![...poller.watches].some(behind)) return;
      await this.announce(poller, read);
      for (const watch of poller.watches) if (behind(watch)) this.push(watch, CHANGED);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN') return this.end(poller, error as GraphQLError);
      // viewneo failing or the budget spent: the next tick tries again.
      this.options.logger.debug({ playlistId, code }, 'live poll failed');
    } finally {
      poller.polling = false;
    }
  }

  /**
   * A poll read a change: every cached copy is stale, here and on the other replicas (which
   * wakes their watchers), and what the poll read answers the subscribers' reads. This
   * replica's own watchers are left to the poll, which wakes those it concerns once the cache holds the read.
   */
  private async announce(poller: Poller, read: PlaylistRead): Promise<void> {
    const { cache } = this.options;
    const { tokenHash, playlistId } = poller;
    const names = [resourceName({ kind: 'playlist', id: playlistId }), resourceName({ kind: 'playlistEntries', id: playlistId })];
    // The invalidation tells this replica's watchers at once (synchronously): this keeps them out of it.
    poller.announcing = true;
    const invalidated = cache.invalidate(tokenHash, [...names, resourceName({ kind: 'playlists' })]);
    poller.announcing = false;
    await invalidated;
    await cache.get(tokenHash, names[0]!, async () => read.playlist);
    await cache.get(tokenHash, names[1]!, async () => read.entries);
  }

  private end(poller: Poller, error: GraphQLError): void {
    for (const watch of poller.watches) this.push(watch, { kind: 'ended', error });
  }

  private push(watch: WatchState, event: LiveEvent): void {
    const wake = watch.wake;
    if (wake !== null) {
      watch.wake = null;
      wake(event);
    } else if (watch.queued?.kind !== 'ended') {
      watch.queued = event;
    }
  }

  private take(watch: WatchState, timeoutMs?: number): Promise<LiveEvent> {
    const queued = watch.queued;
    if (queued !== null) {
      watch.queued = null;
      return Promise.resolve(queued);
    }
    return new Promise<LiveEvent>((resolve) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => done({ kind: 'timeout' }), Math.min(timeoutMs, 2 ** 31 - 1));
      const done = (event: LiveEvent) => {
        clearTimeout(timer);
        if (watch.wake === done) watch.wake = null;
        resolve(event);
      };
      watch.wake = done;
    });
  }
}
