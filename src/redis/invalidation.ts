import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { LocalCacheLevel } from '../cache/upstream-cache.js';
import type { SharedRedis } from './connection.js';

interface Message {
  /** One invalidation's: a cluster delivers it more than once (see SharedRedis.deliver). */
  readonly id: string;
  /** The replica that sent it; it applied the invalidation itself already. */
  readonly origin: string;
  readonly tokenHash: string;
  readonly resources: readonly string[];
}

/** The channel every replica announces its invalidations on: classic pub/sub, which a cluster sends to every node. */
export function invalidationChannel(redis: SharedRedis): string {
  return redis.key('invalidations');
}

/** The announcement that `origin` invalidated these resources of one token, as published. */
export function announcement(message: Message): string {
  return JSON.stringify(message);
}

/**
 * Applies the invalidations other replicas publish to this replica's first cache level.
 * Subscribes on every (re)connect of the subscriber, and after each (re)subscription forgets
 * the whole first level: announcements sent while it was not listening are lost.
 */
export function followInvalidations(redis: SharedRedis, origin: string, local: LocalCacheLevel): void {
  const channel = invalidationChannel(redis);
  const confirm = redis.mode === 'cluster' ? confirmer(redis, origin, local) : null;
  // Applied once: a copy arriving later could drop an answer read again after the write.
  const applied = new LRUCache<string, true>({ max: 10_000 });
  redis.subscriber.on('message', (from: string, text: string) => {
    if (from !== channel) return;
    const message = parse(text);
    if (message === null) confirm?.heard(text);
    else if (message.origin !== origin && !applied.has(message.id)) {
      applied.set(message.id, true);
      local.forget(message.tokenHash, message.resources);
    }
  });
  redis.subscriber.on('ready', () => {
    void redis
      .attempt('subscribe', () => redis.subscriber.subscribe(channel), null)
      .then((subscribed) => {
        if (subscribed !== null) local.forgetAll();
        // Reconnecting brings the next 'ready', and with it the next attempt.
        else redis.subscriber.disconnect(true);
      });
  });
  // A cluster client moves its subscription to another node by itself, without a 'ready'.
  for (const event of ['-node', 'node error']) redis.subscriber.on(event, () => confirm?.start());
}

/** How often a replica that may have missed announcements probes its own subscription. */
const PROBE_EVERY_MS = 500;

/**
 * On a cluster, when the subscriber's nodes change (its node may have died, and ioredis then
 * subscribes on another), publishes probes until this replica hears its own, then forgets its
 * first level: whatever was announced before that may have been lost. While no probe can be
 * sent (no node answers), the subscriber is disconnected, for ioredis would otherwise try node
 * after node without pause; it connects again with the first probe sent.
 */
function confirmer(redis: SharedRedis, origin: string, local: LocalCacheLevel) {
  const channel = invalidationChannel(redis);
  let probing: { nonce: string; timer: NodeJS.Timeout } | null = null;
  let parked = false;
  const probe = () => {
    if (redis.commands.status === 'end') {
      probing = null;
      return;
    }
    const nonce = randomUUID();
    probing = { nonce, timer: setTimeout(probe, PROBE_EVERY_MS).unref() };
    void redis
      .attempt('subscribe', (r) => r.publish(channel, JSON.stringify({ origin, probe: nonce })), null)
      .then((sent) => {
        if (sent === null && !parked) {
          parked = true;
          redis.subscriber.disconnect();
        } else if (sent !== null && parked && redis.commands.status !== 'end') {
          parked = false;
          redis.subscriber.connect().catch(() => {});
        }
      });
  };
  return {
    start: () => probing ?? probe(),
    heard(text: string) {
      if (probing === null || text !== JSON.stringify({ origin, probe: probing.nonce })) return;
      clearTimeout(probing.timer);
      probing = null;
      local.forgetAll();
    },
  };
}

function parse(text: string): Message | null {
  try {
    const message = JSON.parse(text) as Partial<Message>;
    const ok =
      typeof message.id === 'string' &&
      typeof message.origin === 'string' &&
      typeof message.tokenHash === 'string' &&
      Array.isArray(message.resources) &&
      message.resources.every((resource) => typeof resource === 'string');
    return ok ? (message as Message) : null;
  } catch {
    return null;
  }
}
