import { tokenExpiresAt } from './auth/expiry.js';
import type { SpentIds } from './auth/spent-ids.js';
import { extractBearerToken } from './auth/token.js';
import type { Config } from './config.js';
import { gatewayError } from './errors.js';
import type { Logger } from './logger.js';
import { requestIdOf } from './request-id.js';
import { hashToken, type ResponseCache } from './viewneo/cache.js';
import type { CallScope, ViewneoClient } from './viewneo/client.js';
import { createLoaders, type LoaderDeps, type Loaders } from './viewneo/loaders.js';

/** Long-lived parts of the gateway that every request's context points to. */
export interface GatewayServices {
  readonly config: Config;
  readonly client: ViewneoClient;
  readonly cache: ResponseCache;
  readonly logger: Logger;
  /** Single-use ids already spent: OAuth states, refresh cookies (shared by replicas with Redis). */
  readonly spentIds: SpentIds;
  /** Builds a request's loaders; the benchmark swaps in naive ones. */
  readonly createLoaders?: (deps: LoaderDeps) => Loaders;
}

/** A read answered from an expired cache entry because viewneo failed. */
export interface StaleRead {
  readonly resource: string;
  /** How long ago the entry expired. */
  readonly ageMs: number;
}

/** A {@link CallScope} whose trace context the tracing plugin fills in once the operation span starts. */
export type MutableScope = { -readonly [K in keyof CallScope]: CallScope[K] };

/** Per-request context: the caller's token and the loaders that read with it. */
export interface Context extends GatewayServices {
  /** The HTTP request being answered. */
  readonly request: Request;
  /** The caller's viewneo token; null when the request carries none. */
  readonly token: string | null;
  /** Hash of the token (its cache partition); null without a token. */
  readonly tokenHash: string | null;
  /** The earliest expiry (cache clock) of the cached reads this request used; Infinity before any. */
  readonly reads: { expiresAt: number };
  /** Loaders bound to the caller's token; without a usable token, every use throws UNAUTHENTICATED. */
  readonly loaders: Loaders;
  /** Deadline, request id and trace context that every upstream call of this request carries. */
  readonly scope: MutableScope;
  /** Reads this request answered from stale cache entries (reported in the response extensions). */
  readonly staleReads: StaleRead[];
  /** The token, or UNAUTHENTICATED. */
  requireToken(): string;
  /**
   * Drops cached resources of the caller's token (never another token's): in this replica at
   * once, and on the others (through Redis) by the time the promise resolves.
   */
  invalidate(resources: readonly string[]): Promise<void>;
}

// Most requests that carry a token need loaders, but not all (`{ __typename }`, auth
// operations): build them on first use. A Proxy, because Yoga copies the context's own properties.
function lazily(make: () => Loaders): Loaders {
  let made: Loaders | undefined;
  return new Proxy({} as Loaders, { get: (_target, name) => (made ??= make())[name as keyof Loaders] });
}

function unusable(message: string): () => never {
  return () => {
    throw gatewayError('UNAUTHENTICATED', message);
  };
}

const NO_TOKEN = unusable('This field needs a viewneo access token: send "Authorization: Bearer <token>"');

/**
 * Builds the context of one GraphQL request. A missing, malformed or expired token fails
 * only the fields that need viewneo data, and before any upstream call.
 */
export function createContext(services: GatewayServices, request: Request): Context {
  const bearer = extractBearerToken(request.headers.get('authorization'));
  const token = bearer.token;
  const expiresAt = token === null ? null : tokenExpiresAt(token);
  const fail =
    bearer.token === null
      ? bearer.problem === null
        ? NO_TOKEN
        : unusable(bearer.problem)
      : expiresAt !== null && expiresAt <= Date.now()
        ? unusable(`The access token expired at ${new Date(expiresAt).toISOString()}: refresh it`)
        : null;
  const tokenHash = token === null ? null : hashToken(token);
  const staleReads: StaleRead[] = [];
  const requestId = requestIdOf(request);
  const reads = { expiresAt: Infinity };
  const scope: MutableScope = {
    deadline: Date.now() + services.config.requestTimeoutMs,
    requestId,
    ...(tokenHash !== null ? { tokenHash } : {}),
  };
  const loaders =
    fail !== null || token === null || tokenHash === null
      ? // Stands in for the loaders: any use fails that field only.
        new Proxy({} as Loaders, { get: fail ?? NO_TOKEN })
      : lazily(() =>
          (services.createLoaders ?? createLoaders)({
            token,
            tokenHash,
            client: services.client,
            cache: services.cache,
            concurrency: services.config.upstreamConcurrency,
            scope,
            tokenExpiresAt: expiresAt,
            onStale: (resource, ageMs) => staleReads.push({ resource, ageMs }),
            onRead: (expiresAt) => {
              reads.expiresAt = Math.min(reads.expiresAt, expiresAt);
            },
          }),
        );
  return {
    ...services,
    request,
    scope,
    token,
    tokenHash,
    reads,
    loaders,
    staleReads,
    requireToken: () => {
      if (fail !== null) fail();
      return token!;
    },
    async invalidate(resources) {
      if (tokenHash !== null) await services.cache.invalidate(tokenHash, resources);
    },
  };
}
