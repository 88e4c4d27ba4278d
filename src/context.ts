import { tokenExpiresAt } from './auth/expiry.js';
import type { OAuthDeps } from './auth/oauth.js';
import { extractBearerToken } from './auth/token.js';
import { hashToken } from './auth/token-hash.js';
import type { Config } from './config.js';
import { gatewayError } from './errors.js';
import { requestIdOf } from './request-id.js';
import type { GatewayServices } from './services.js';
import type { PlaylistRead, Watch } from './session/live.js';
import type { ViewneoSession } from './session/session.js';
import type { CallScope } from './viewneo/client.js';

/** A read answered from an expired cache entry because viewneo failed. */
export interface StaleRead {
  readonly resource: string;
  /** How long ago the entry expired. */
  readonly ageMs: number;
}

/** A {@link CallScope} whose trace context the tracing plugin fills in once the operation span starts. */
export type MutableScope = { -readonly [K in keyof CallScope]: CallScope[K] };

/** Per-request context: the caller's viewneo session and what the plugins report about the request. */
export interface Context {
  /** The HTTP request being answered. */
  readonly request: Request;
  readonly config: Config;
  /** The caller's reads and writes of viewneo; without a usable token, every use fails with UNAUTHENTICATED. */
  readonly viewneo: ViewneoSession;
  /** What the OAuth operations need: the gateway's OAuth client and the spent single-use ids. */
  readonly oauth: OAuthDeps;
  /** Hash of the token (its cache partition); null without a token. */
  readonly tokenHash: string | null;
  /** Whether the token may be used at all (present, well-formed, not expired): nothing is answered for it otherwise. */
  readonly tokenUsable: boolean;
  /** The earliest expiry (cache clock) of the cached reads this request used; Infinity before any. */
  readonly reads: { expiresAt: number };
  /** Deadline, request id and trace context that every upstream call of this request carries. */
  readonly scope: MutableScope;
  /** Reads this request answered from stale cache entries (reported in the response extensions). */
  readonly staleReads: StaleRead[];
  /** Attempts this request sent to viewneo (each spent its token's budget). */
  readonly upstream: { calls: number };
  /** For a subscription's next event: a new session (fresh per-request reads) and a new deadline. */
  renew(): void;
  /**
   * Watches a playlist for changes from `given` (what the subscriber was given, read through
   * `viewneo`), for a subscription; UNAUTHENTICATED without a usable token.
   */
  watch(playlistId: number, given: PlaylistRead): Watch;
}

function unusable(message: string): () => never {
  return () => {
    throw gatewayError('UNAUTHENTICATED', message);
  };
}

const NO_TOKEN = unusable('This field needs a viewneo access token: send "Authorization: Bearer <token>"');

// What plugins ask of every request's session: without a usable token there is nothing to do.
const IDLE: Partial<Record<keyof ViewneoSession, unknown>> = { readAhead: () => undefined, plannedLists: () => [] };

/** What the HTTP edge already worked out of the request's token (see http/replay.ts), so that it is not worked out twice. */
export interface KnownToken {
  readonly tokenHash: string;
  /** Epoch ms; Infinity when the token does not say. */
  readonly expiresAt: number;
}

/** The request's bearer token, its hash, and why it cannot be used (a function that throws that), if it cannot. */
function callerToken(
  request: Request,
  known: KnownToken | undefined,
): { token: string | null; tokenHash: string | null; expiresAt: number | null; fail: (() => never) | null } {
  const bearer = extractBearerToken(request.headers.get('authorization'));
  if (bearer.token === null) {
    return { token: null, tokenHash: null, expiresAt: null, fail: bearer.problem === null ? NO_TOKEN : unusable(bearer.problem) };
  }
  const expiresAt = known === undefined ? tokenExpiresAt(bearer.token) : Number.isFinite(known.expiresAt) ? known.expiresAt : null;
  const expired = expiresAt !== null && expiresAt <= Date.now();
  return {
    token: bearer.token,
    tokenHash: known?.tokenHash ?? hashToken(bearer.token),
    expiresAt,
    fail: expired ? unusable(`The access token expired at ${new Date(expiresAt).toISOString()}: refresh it`) : null,
  };
}

/**
 * Builds the context of one GraphQL request (with what the HTTP edge `known` of its token). A
 * missing, malformed or expired token fails only the fields that need viewneo data, and before
 * any upstream call.
 */
export function createContext(services: GatewayServices, request: Request, known?: KnownToken): Context {
  const { token, tokenHash, expiresAt, fail } = callerToken(request, known);
  const staleReads: StaleRead[] = [];
  const reads = { expiresAt: Number.POSITIVE_INFINITY };
  const upstream = { calls: 0 };
  const scope: MutableScope = {
    deadline: Date.now() + services.config.requestTimeoutMs,
    requestId: requestIdOf(request),
    ...(tokenHash !== null ? { tokenHash } : {}),
    onCall: () => {
      upstream.calls++;
    },
  };
  const open = (): ViewneoSession =>
    fail !== null || token === null || tokenHash === null
      ? // Stands in for the session: any use fails that field only.
        new Proxy({} as ViewneoSession, { get: (_target, name) => IDLE[name as keyof ViewneoSession] ?? (fail ?? NO_TOKEN)() })
      : services.openSession({
          token,
          tokenHash,
          client: services.client,
          cache: services.cache,
          concurrency: services.config.upstreamConcurrency,
          scope,
          tokenExpiresAt: expiresAt,
          onStale: (resource, ageMs) => staleReads.push({ resource, ageMs }),
          onSaved: services.metrics.callsSaved,
          remaining: () => services.upstreamBudget(tokenHash)?.remaining ?? null,
          onRead: (expiresAt) => {
            reads.expiresAt = Math.min(reads.expiresAt, expiresAt);
          },
        });
  let session = open();
  // Resolvers hold `ctx.viewneo`; a subscription renews what it stands for before each event.
  const viewneo = new Proxy({} as ViewneoSession, { get: (_target, name) => session[name as keyof ViewneoSession] });
  return {
    request,
    config: services.config,
    viewneo,
    oauth: { config: services.config, client: services.client, spentIds: services.spentIds },
    tokenHash,
    tokenUsable: fail === null && token !== null,
    reads,
    scope,
    staleReads,
    upstream,
    renew() {
      scope.deadline = Date.now() + services.config.requestTimeoutMs;
      session = open();
    },
    watch(playlistId, given) {
      if (fail !== null || token === null || tokenHash === null) return (fail ?? NO_TOKEN)();
      return services.live.watch(token, tokenHash, playlistId, given);
    },
  };
}
