import { type Config, loadConfig } from '../../src/config.js';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/gateway.js';
import { listen } from '../../src/http/serve.js';
import type { PeerSettings, StartPeer } from './types.js';

/**
 * The gateway's configuration for a benchmark mode: loopback, quiet logs, the mode's cache TTL,
 * no per-token upstream budget (the load rows run against a sandbox whose limit is lifted),
 * plus the settings' `env`, then `env` (e.g. the Redis settings of a replica).
 */
export function benchConfig({ sandboxUrl, cacheTtlMs, env: settingsEnv }: PeerSettings, env: Record<string, string> = {}): Config {
  return loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    VIEWNEO_BASE_URL: sandboxUrl,
    CACHE_TTL_MS: String(cacheTtlMs),
    GATEWAY_SECRET: 'benchmark-only-secret-not-for-production',
    LOG_LEVEL: 'error',
    UPSTREAM_RATE_PER_MINUTE: '0',
    ...settingsEnv,
    ...env,
  });
}

/** Serves `createGateway(config, options)` on node:http and resolves with the port and the gateway. */
export async function serveGateway(config: Config, options: GatewayOptions = {}): Promise<{ port: number; gateway: Gateway }> {
  const gateway = createGateway(config, options);
  const { port } = await listen(gateway.listener, config.port, config.host);
  return { port, gateway };
}

/** This gateway, as production runs it (with the mode's CACHE_TTL_MS). */
export const startGateway: StartPeer = async (settings) => (await serveGateway(benchConfig(settings))).port;
