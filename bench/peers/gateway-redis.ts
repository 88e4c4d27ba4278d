import type { Gateway } from '../../src/gateway.js';
import { benchConfig, serveGateway } from './gateway.js';
import type { PeerModule } from './types.js';

const open: Gateway[] = [];

/**
 * One replica of `gateway-redis-2`: the gateway with `REDIS_URL` (the run's throwaway Redis, one
 * key prefix per mode so that modes share nothing, as the other peers' per-mode servers) and
 * `UPSTREAM_RATE_PER_MINUTE=0`.
 */
export const gatewayRedis: PeerModule = {
  start: async (settings) => {
    if (settings.redis === undefined) throw new Error('gateway-redis needs the run’s Redis (PeerSettings.redis)');
    const { port, gateway } = await serveGateway(
      benchConfig(settings, {
        REDIS_URL: settings.redis.url,
        REDIS_KEY_PREFIX: settings.redis.keyPrefix,
        // viewneo's default of 60 calls per token and minute, which Redis enforces across replicas,
        // would throttle a benchmark after its first Q3: turned off, as for the in-process peers.
        UPSTREAM_RATE_PER_MINUTE: '0',
      }),
    );
    open.push(gateway);
    return port;
  },
  // Closes the Redis connections before the harness stops redis-server, as a replica's shutdown does.
  stop: async () => {
    await Promise.allSettled(open.map((gateway) => gateway.close()));
  },
};
