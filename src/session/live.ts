import type { GraphQLError } from 'graphql';
import { errorCode, gatewayError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { ViewneoClient } from '../viewneo/client.js';
import type { BudgetSnapshot } from '../viewneo/transport/budget.js';
import { resourceName } from './resources.js';
import type { UpstreamCache } from './upstream-cache.js';

/** What a watch of a playlist delivers: a change, or why it ended. */
export type LiveEvent =
  | { readonly kind: 'changed' }
  | { readonly kind: 'ended'; readonly error: GraphQLError | null }
  | { readonly kind: 'timeout' };

/** One subscriber's view of one playlist's changes; close it when the subscription ends. */
export interface Watch {
  /** The next change (changes that came while nobody waited count as one), the end, or 'timeout' after `timeoutMs`. */
  next(timeoutMs?: number): Promise<LiveEvent>;
  close(): void;
}

/** Who polls a token's playlist when replicas share Redis (src/redis/poll-lease.ts): the one that holds its lease. */
export interface PollLease {
  /** Takes or keeps the lease of `key` for `ttlMs`; false when another replica holds it. */
  claim(key: string, ttlMs: number): Promise<boolean>;
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
}

interface Poller {
  readonly token: string;
  readonly watches: Set<WatchState>;
  readonly timer: NodeJS.Timeout;
  /** What the last poll saw; null: no baseline (first poll, or a change came through the gateway since). */
  fingerprint: string | null;
  polling: boolean;
}

interface WatchState {
  readonly key: string;
  queued: LiveEvent | null;
  wake: ((event: LiveEvent) => void) | null;
}

const PLAYLIST_RESOURCE = /^playlist:(\d+)(?::entries)?$/;
/** A poll waits while the token has less than this share of its budget left: the user's own reads come first. */
const POLL_RESERVE = 0.5;

/**
 * Live updates of playlists for subscriptions. A write through the gateway (on any replica: its
 * invalidation reaches this one through Redis) wakes the token's watchers of that playlist at
 * once. Changes made elsewhere (the viewneo CMS) are found by one poller per token and playlist
 * (with Redis, on one replica at a time), shared by all of that token's watchers and stopped with
 * the last of them, which reads the
 * playlist and its entries every `pollIntervalMs`, spending the token's budget only while more
 * than half of it is left. A watcher only ever hears of its own token's changes.
 */
export class LiveUpdates {
  private readonly pollers = new Map<string, Poller>();
  private readonly perToken = new Map<string, number>();
  private closed = false;

  constructor(private readonly options: LiveOptions) {}

  /**
   * Watches playlist `playlistId` for the token: TOO_MANY_SUBSCRIPTIONS past `maxPerToken` open
   * watches of the token on this replica.
   */
  watch(token: string, tokenHash: string, playlistId: number): Watch {
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
    const state: WatchState = { key, queued: null, wake: null };
    this.poller(key, token, tokenHash, playlistId).watches.add(state);
    let closed = false;
    return {
      next: (timeoutMs) => this.next(state, timeoutMs),
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
      if (poller === undefined) continue;
      // The change is known now: the next poll takes a new baseline instead of announcing it again.
      poller.fingerprint = null;
      for (const watch of poller.watches) this.push(watch, { kind: 'changed' });
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
      const timer = setInterval(() => void this.poll(key, tokenHash, playlistId), this.options.pollIntervalMs);
      timer.unref();
      poller = { token, watches: new Set(), timer, fingerprint: null, polling: false };
      this.pollers.set(key, poller);
      this.options.metrics.live('poller', 1);
    }
    return poller;
  }

  private unwatch(state: WatchState): void {
    const poller = this.pollers.get(state.key);
    if (poller === undefined) return;
    poller.watches.delete(state);
    if (poller.watches.size > 0) return;
    clearInterval(poller.timer);
    this.pollers.delete(state.key);
    this.options.metrics.live('poller', -1);
  }

  private async poll(key: string, tokenHash: string, playlistId: number): Promise<void> {
    const poller = this.pollers.get(key);
    if (poller === undefined || poller.polling) return;
    const budget = this.options.budget(tokenHash);
    if (budget !== null && budget.remaining < budget.limit * POLL_RESERVE) return;
    poller.polling = true;
    try {
      if (this.options.lease && !(await this.options.lease.claim(key, 2 * this.options.pollIntervalMs))) {
        // Another replica polls it; its baseline is not ours to keep.
        poller.fingerprint = null;
        return;
      }
      const scope = { tokenHash, deadline: Date.now() + Math.max(1_000, this.options.pollIntervalMs) };
      const [playlist, entries] = await Promise.all([
        this.options.client.getPlaylist(poller.token, playlistId, scope),
        this.options.client.listPlaylistEntries(poller.token, playlistId, scope),
      ]);
      this.options.metrics.livePoll();
      if (playlist === null || entries === null)
        return this.end(poller, gatewayError('NOT_FOUND', `viewneo has no playlist ${playlistId} any more`));
      const fingerprint = JSON.stringify([playlist, entries]);
      const before = poller.fingerprint;
      poller.fingerprint = fingerprint;
      if (before === null || before === fingerprint) return;
      // Changed elsewhere: every cached copy is stale, here and on the other replicas (which wakes the watchers).
      const { cache } = this.options;
      const names = [resourceName({ kind: 'playlist', id: playlistId }), resourceName({ kind: 'playlistEntries', id: playlistId })];
      await cache.invalidate(tokenHash, [...names, resourceName({ kind: 'playlists' })]);
      poller.fingerprint = fingerprint;
      // What the poll read answers the subscribers' reads.
      await cache.get(tokenHash, names[0]!, async () => playlist);
      await cache.get(tokenHash, names[1]!, async () => entries);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN') return this.end(poller, error as GraphQLError);
      // viewneo failing or the budget spent: the next interval tries again.
      this.options.logger.debug({ playlistId, code }, 'live poll failed');
    } finally {
      poller.polling = false;
    }
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

  private next(watch: WatchState, timeoutMs?: number): Promise<LiveEvent> {
    return this.take(watch, timeoutMs).then((event) => {
      // A change or a schedule boundary: the subscriber gets an event.
      if (event.kind !== 'ended') this.options.metrics.liveEvent();
      return event;
    });
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
