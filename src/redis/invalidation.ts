import type { ChainableCommander } from 'ioredis';
import type { LocalCacheLevel } from '../cache/upstream-cache.js';
import type { SharedRedis } from './connection.js';

interface Message {
  /** The replica that sent it; it applied the invalidation itself already. */
  readonly origin: string;
  readonly tokenHash: string;
  readonly resources: readonly string[];
}

const CHANNEL = 'invalidations';

/** Queues, in `batch`, the announcement that `origin` invalidated these resources of one token. */
export function publishInvalidation(redis: SharedRedis, batch: ChainableCommander, message: Message): void {
  batch.publish(redis.key(CHANNEL), JSON.stringify(message));
}

/**
 * Applies the invalidations other replicas publish to this replica's first cache level.
 * Subscribes on every (re)connect of the subscriber, and after each (re)subscription forgets
 * the whole first level: announcements sent while it was not listening are lost.
 */
export function followInvalidations(redis: SharedRedis, origin: string, local: LocalCacheLevel): void {
  const channel = redis.key(CHANNEL);
  redis.subscriber.on('message', (from: string, text: string) => {
    if (from !== channel) return;
    const message = parse(text);
    if (message !== null && message.origin !== origin) local.forget(message.tokenHash, message.resources);
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
}

function parse(text: string): Message | null {
  try {
    const message = JSON.parse(text) as Partial<Message>;
    const ok =
      typeof message.origin === 'string' &&
      typeof message.tokenHash === 'string' &&
      Array.isArray(message.resources) &&
      message.resources.every((resource) => typeof resource === 'string');
    return ok ? (message as Message) : null;
  } catch {
    return null;
  }
}
