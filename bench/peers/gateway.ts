import { loadConfig, type Config } from '../../src/config.js';
import { createGateway, type GatewayOptions } from '../../src/gateway.js';
import { listen } from '../../src/serve.js';
import type { PeerSettings, StartPeer } from './types.js';

/** The gateway's configuration for a benchmark mode: loopback, quiet logs, the mode's cache TTL. */
export function benchConfig({ sandboxUrl, cacheTtlMs }: PeerSettings): Config {
  return loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    VIEWNEO_BASE_URL: sandboxUrl,
    CACHE_TTL_MS: String(cacheTtlMs),
    GATEWAY_SECRET: 'benchmark-only-secret-not-for-production',
    LOG_LEVEL: 'error',
  });
}

/** Serves `createGateway(config, options)` on node:http and resolves with the port. */
export async function serveGateway(config: Config, options: GatewayOptions = {}): Promise<number> {
  const { port } = await listen(createGateway(config, options), config.port, config.host);
  return port;
}

/** This gateway, as production runs it (with the mode's CACHE_TTL_MS). */
export const startGateway: StartPeer = (settings) => serveGateway(benchConfig(settings));
