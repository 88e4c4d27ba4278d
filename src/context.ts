import { extractBearerToken } from './auth/token.js';
import type { Config } from './config.js';
import { gatewayError } from './errors.js';
import type { Logger } from './logger.js';
import { hashToken, type ResponseCache } from './viewneo/cache.js';
import type { ViewneoClient } from './viewneo/client.js';
import { createLoaders, type LoaderDeps, type Loaders } from './viewneo/loaders.js';

/** Long-lived parts of the gateway that every request's context points to. */
export interface GatewayServices {
  readonly config: Config;
  readonly client: ViewneoClient;
  readonly cache: ResponseCache;
  readonly logger: Logger;
  /** Builds a request's loaders; the benchmark swaps in naive ones. */
  readonly createLoaders?: (deps: LoaderDeps) => Loaders;
}

/** Per-request context: the caller's token and the loaders that read with it. */
export interface Context extends GatewayServices {
  /** The caller's viewneo token; null when the request carries none. */
  readonly token: string | null;
  /** Loaders bound to the caller's token; without a token, every use throws UNAUTHENTICATED. */
  readonly loaders: Loaders;
  /** The token, or UNAUTHENTICATED. */
  requireToken(): string;
  /** Drops cached resources of the caller's token (never another token's). */
  invalidate(resources: readonly string[]): void;
}

function unauthenticated(): never {
  throw gatewayError('UNAUTHENTICATED', 'This field needs a viewneo access token: send "Authorization: Bearer <token>"');
}

// Stands in for the loaders of a request without a token: any use fails that field only.
const NO_TOKEN_LOADERS = new Proxy({} as Loaders, { get: unauthenticated });

/**
 * Builds the context of one GraphQL request. A malformed `Authorization` header fails
 * the request; a missing one fails only the fields that need viewneo data.
 */
export function createContext(services: GatewayServices, request: Request): Context {
  const token = extractBearerToken(request.headers.get('authorization'));
  const tokenHash = token === null ? null : hashToken(token);
  const loaders =
    token === null || tokenHash === null
      ? NO_TOKEN_LOADERS
      : (services.createLoaders ?? createLoaders)({
          token,
          tokenHash,
          client: services.client,
          cache: services.cache,
          concurrency: services.config.upstreamConcurrency,
        });
  return {
    ...services,
    token,
    loaders,
    requireToken: () => token ?? unauthenticated(),
    invalidate(resources) {
      if (tokenHash !== null) services.cache.invalidate(tokenHash, resources);
    },
  };
}
