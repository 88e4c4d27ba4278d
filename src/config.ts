import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Log levels accepted by `LOG_LEVEL` (pino's names). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** How the gateway reaches Redis (REDIS_MODE). */
export const REDIS_MODES = ['single', 'cluster', 'sentinel'] as const;
export type RedisMode = (typeof REDIS_MODES)[number];

/** A Redis node or a sentinel: where it listens. */
export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

/** The Redis that replicas share (REDIS_MODE, REDIS_URL and their companions). */
export interface RedisSettings {
  /** `single`: one Redis; `cluster`: Redis Cluster from seed nodes; `sentinel`: the master that sentinels name. */
  readonly mode: RedisMode;
  /** REDIS_URL as given: one `redis://` or `rediss://` (TLS) URL, or a comma-separated list (cluster, sentinel). */
  readonly url: string;
  /** The URLs' hosts and ports: the seed nodes (cluster), the sentinels (sentinel), the one server (single). */
  readonly nodes: readonly RedisNode[];
  /** The first URL's user and password, for every node (never for the sentinels); null: none. */
  readonly username: string | null;
  readonly password: string | null;
  /** `rediss://`: TLS to every node. */
  readonly tls: boolean;
  /** The database (the first URL's path; always 0 on a cluster). */
  readonly db: number;
  /** The master set the sentinels watch (REDIS_SENTINEL_NAME); null unless `sentinel`. */
  readonly sentinelName: string | null;
  /** Replicas a single-use id or an invalidation must reach (WAIT) before it counts as kept; 0: no WAIT. */
  readonly waitReplicas: number;
  /** Prefix of every key and channel, so that several gateways can share one Redis. */
  readonly keyPrefix: string;
  /** Longest wait for one Redis command before going on without it. */
  readonly timeoutMs: number;
  /** Answers whose JSON is larger stay out of Redis (in-process cache only). */
  readonly maxValueBytes: number;
}

/** The gateway's settings, parsed once from the environment and frozen. */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** viewneo origin without a trailing slash, e.g. `https://cloud.viewneo.com`. */
  readonly viewneoBaseUrl: string;
  /** The OAuth client the auth mutations use; null when not configured. */
  readonly oauthClient: { readonly id: string; readonly secret: string } | null;
  /** HMAC key for OAuth `state` tokens. */
  readonly gatewaySecret: Uint8Array;
  /** True when `GATEWAY_SECRET` was unset and a random per-process key was made. */
  readonly gatewaySecretGenerated: boolean;
  /** Cross-request cache lifetime; 0 turns that cache off. */
  readonly cacheTtlMs: number;
  readonly cacheMaxEntries: number;
  /** Bound of each cache's total size (upstream answers; whole results), in bytes of JSON. */
  readonly cacheMaxBytes: number;
  /** Whole results of queries kept per token; 0 turns the result cache off. */
  readonly resultCacheMaxEntries: number;
  /** Operations (per token) whose needed lists are remembered for reading them ahead; 0 turns reading ahead off. */
  readonly readAheadMaxEntries: number;
  /** Deadline of one upstream call, retries included. */
  readonly upstreamTimeoutMs: number;
  /** Deadline of establishing a connection to viewneo. */
  readonly upstreamConnectTimeoutMs: number;
  /** Extra attempts of an upstream read that failed for a transient reason. */
  readonly upstreamRetries: number;
  /** Upstream calls one token may have in flight at once, across requests. */
  readonly upstreamConcurrencyPerToken: number;
  /**
   * The per-token limit the gateway assumes until viewneo announces a token's (its `X-RateLimit-Limit`,
   * higher or lower, then wins), and for an upstream that never does; 0: no budget.
   */
  readonly upstreamRatePerMinute: number;
  /** The operator's cap on a token's calls per minute, whatever viewneo announces (headroom for the user's other clients); null: none. */
  readonly upstreamRateCap: number | null;
  /** Shared cache, invalidations, rate limit and single-use ids of a replicated gateway; null: all in-process. */
  readonly redis: RedisSettings | null;
  /** Deadline of a whole GraphQL request; upstream calls and retries stay within it. */
  readonly requestTimeoutMs: number;
  /** How long after expiry a cached read may still be served when viewneo fails. */
  readonly staleIfErrorMs: number;
  /** How long the circuit breaker fails fast once viewneo keeps failing. */
  readonly circuitCooldownMs: number;
  /** Retries of upstream reads allowed: a share of the calls plus a floor per second (10 s window). */
  readonly retryBudget: { readonly ratio: number; readonly minPerSecond: number };
  /** Largest file `uploadMediaFile` accepts, in bytes. */
  readonly maxUploadBytes: number;
  /** Upstream calls one GraphQL request may have in flight at once. */
  readonly upstreamConcurrency: number;
  readonly logLevel: LogLevel;
  /** NODE_ENV=production: stricter defaults, GATEWAY_SECRET required. */
  readonly production: boolean;
  /** Whether schema introspection is answered (default: not in production). */
  readonly introspection: boolean;
  /** Whether GraphiQL is served to browsers (default: not in production). */
  readonly graphiql: boolean;
  /** Whether `/readyz` also checks that viewneo answers at all. */
  readonly readinessProbesUpstream: boolean;
  /** How long shutdown waits for in-flight requests. */
  readonly shutdownTimeoutMs: number;
  /** Token-handler mode: refresh tokens may be kept in an encrypted HttpOnly cookie instead of the answer. */
  readonly refreshTokenCookie: boolean;
  /** Origins allowed to call the gateway from a browser; empty: no cross-origin access. */
  readonly corsOrigins: readonly string[];
  /** How often a subscribed playlist is read from viewneo to see changes made elsewhere. */
  readonly livePollIntervalMs: number;
  /** Subscriptions one token may have open at once, on this replica. */
  readonly maxSubscriptionsPerToken: number;
  /** Whether GET answers say `max-age` (their reads' freshness) rather than `no-cache` (revalidate with the ETag each time). */
  readonly httpCacheMaxAge: boolean;
  /** Trusted documents by id (PERSISTED_DOCUMENTS); null: none. */
  readonly persistedDocuments: ReadonlyMap<string, string> | null;
  /** Whether only the trusted documents are run. */
  readonly persistedDocumentsOnly: boolean;
  /** FEDERATION: `/graphql` is also an Apollo Federation 2 subgraph (`_service`, `_entities`, `@key`s). */
  readonly federation: boolean;
  /** Event loop delay (99th percentile over half a second) past which new GraphQL requests are shed with 503; 0: never. */
  readonly loadShedLagMs: number;
  /** The HTTP server's bounds on slow clients: all headers, the whole request, an idle keep-alive connection. */
  readonly http: { readonly headersTimeoutMs: number; readonly requestTimeoutMs: number; readonly keepAliveTimeoutMs: number };
  /** Largest request body (JSON or query string parameters) accepted, in bytes. */
  readonly maxBodyBytes: number;
  /** Limits of one operation: graphql-armor's (depth, aliases, tokens, directives), its estimated cost, its answer's size. */
  readonly limits: {
    readonly depth: number;
    readonly aliases: number;
    readonly tokens: number;
    /** Largest estimated cost (objects an answer can hold, lists at their asked sizes) accepted. */
    readonly cost: number;
    /** Estimated cost from which an operation is expensive: a token runs `expensivePerToken` of them at once. */
    readonly expensiveCost: number;
    readonly expensivePerToken: number;
    /** Requests with a document not seen repeated yet one token has in work at once; more wait their turn. */
    readonly newDocumentsPerToken: number;
    /** Largest answer (JSON) sent, in bytes. */
    readonly responseBytes: number;
    readonly directives: number;
  };
}

/** Thrown by {@link loadConfig}; its message names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Reads typed variables from the environment, noting every bad value in `problems` and answering the fallback for it. */
interface EnvReader {
  readonly env: Env;
  readonly problems: string[];
  int(name: string, fallback: number, min: number, max?: number): number;
  flag(name: string, fallback: boolean): boolean;
}

function envReader(env: Env, problems: string[]): EnvReader {
  return {
    env,
    problems,
    int(name, fallback, min, max = Number.MAX_SAFE_INTEGER) {
      const raw = env[name];
      if (raw === undefined || raw === '') return fallback;
      const value = Number(raw);
      if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
        problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
        return fallback;
      }
      return value;
    },
    flag(name, fallback) {
      const raw = env[name];
      if (raw === undefined || raw === '') return fallback;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      problems.push(`${name} must be "true" or "false", got "${raw}"`);
      return fallback;
    },
  };
}

/**
 * Parses the gateway configuration from `env`. Collects every problem before failing, so
 * that one start-up error lists all variables to fix.
 */
export function loadConfig(env: Env = process.env): Config {
  const read = envReader(env, []);
  const federation = read.flag('FEDERATION', false);
  const config: Config = {
    ...serverSettings(read),
    ...secretSettings(read),
    ...cacheSettings(read),
    ...upstreamSettings(read),
    redis: parseRedis(read),
    limits: limitSettings(read),
    ...trustedDocumentSettings(read, federation),
    federation,
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return Object.freeze(config);
}

/**
 * The trusted documents: PERSISTED_DOCUMENTS names a JSON file mapping document ids (e.g.
 * "sha256:…", as GraphQL Code Generator's client preset writes them) to documents, read once here;
 * PERSISTED_DOCUMENTS_ONLY (default: on in production when a map is set, unless FEDERATION) refuses
 * every other document. A subgraph cannot refuse them: a router sends operations it plans itself.
 */
function trustedDocumentSettings(read: EnvReader, federation: boolean) {
  const { env, problems } = read;
  const path = env.PERSISTED_DOCUMENTS || null;
  let documents: ReadonlyMap<string, string> | null = null;
  if (path !== null) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
      const entries = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? Object.entries(parsed) : null;
      if (entries === null || entries.some(([, document]) => typeof document !== 'string')) {
        problems.push(`PERSISTED_DOCUMENTS must name a JSON object of document ids to document texts, got another JSON value in "${path}"`);
      } else documents = new Map(entries as [string, string][]);
    } catch (error) {
      problems.push(`PERSISTED_DOCUMENTS must name a readable JSON file, got "${path}" (${(error as Error).message.split('\n')[0]})`);
    }
  }
  const only = read.flag('PERSISTED_DOCUMENTS_ONLY', documents !== null && env.NODE_ENV === 'production' && !federation);
  if (only && federation) {
    problems.push(
      'PERSISTED_DOCUMENTS_ONLY must be false with FEDERATION=true (a router sends the operations it plans, which are no trusted documents: enforce them at the router), got "true"',
    );
  }
  return { persistedDocuments: documents, persistedDocumentsOnly: only };
}

/** Where the gateway listens and what it serves: ports, viewneo's origin, logging, browser-facing switches. */
function serverSettings(read: EnvReader) {
  const { env, problems } = read;
  const logLevel = (env.LOG_LEVEL || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  const production = env.NODE_ENV === 'production';
  const corsOrigins = (env.CORS_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of corsOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) problems.push(`CORS_ORIGINS must list origins like https://app.example.com, got "${origin}"`);
  }
  return {
    port: read.int('PORT', 4000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    viewneoBaseUrl: parseBaseUrl(env.VIEWNEO_BASE_URL, problems),
    logLevel,
    production,
    introspection: read.flag('INTROSPECTION', !production),
    graphiql: read.flag('GRAPHIQL', !production),
    corsOrigins: Object.freeze(corsOrigins),
    refreshTokenCookie: read.flag('REFRESH_TOKEN_COOKIE', false),
    readinessProbesUpstream: read.flag('READINESS_PROBE_UPSTREAM', false),
    shutdownTimeoutMs: read.int('SHUTDOWN_TIMEOUT_MS', 10_000, 0),
    maxBodyBytes: read.int('MAX_BODY_BYTES', 1024 * 1024, 1),
    maxUploadBytes: read.int('MAX_UPLOAD_BYTES', 100 * 1024 * 1024, 1),
    livePollIntervalMs: read.int('LIVE_POLL_INTERVAL_MS', 10_000, 100, 3_600_000),
    maxSubscriptionsPerToken: read.int('MAX_SUBSCRIPTIONS_PER_TOKEN', 50, 1, 10_000),
    loadShedLagMs: read.int('LOAD_SHED_LAG_MS', 500, 0, 60_000),
    httpCacheMaxAge: read.flag('HTTP_CACHE_MAX_AGE', false),
    http: Object.freeze({
      headersTimeoutMs: read.int('HTTP_HEADERS_TIMEOUT_MS', 10_000, 100),
      requestTimeoutMs: read.int('HTTP_REQUEST_TIMEOUT_MS', 300_000, 100),
      keepAliveTimeoutMs: read.int('HTTP_KEEP_ALIVE_TIMEOUT_MS', 5_000, 100),
    }),
  };
}

/** The OAuth client and the gateway's own signing secret. */
function secretSettings({ env, problems }: EnvReader) {
  const clientId = env.VIEWNEO_CLIENT_ID || undefined;
  const clientSecret = env.VIEWNEO_CLIENT_SECRET || undefined;
  if (Boolean(clientId) !== Boolean(clientSecret)) {
    const [missing, set] = clientId ? ['VIEWNEO_CLIENT_SECRET', 'VIEWNEO_CLIENT_ID'] : ['VIEWNEO_CLIENT_ID', 'VIEWNEO_CLIENT_SECRET'];
    problems.push(`${missing} must be set together with ${set}`);
  }
  const secretRaw = env.GATEWAY_SECRET;
  if (secretRaw !== undefined && secretRaw !== '' && secretRaw.length < 32) {
    problems.push(`GATEWAY_SECRET must be at least 32 characters, got ${secretRaw.length}`);
  }
  if (env.NODE_ENV === 'production' && !secretRaw) problems.push('GATEWAY_SECRET must be set when NODE_ENV=production');
  return {
    oauthClient: clientId && clientSecret ? Object.freeze({ id: clientId, secret: clientSecret }) : null,
    gatewaySecret: secretRaw ? new TextEncoder().encode(secretRaw) : randomBytes(32),
    gatewaySecretGenerated: !secretRaw,
  };
}

/** Lifetimes and bounds of the cache of viewneo's answers and of the result cache. */
function cacheSettings(read: EnvReader) {
  return {
    cacheTtlMs: read.int('CACHE_TTL_MS', 10_000, 0),
    cacheMaxEntries: read.int('CACHE_MAX_ENTRIES', 10_000, 1),
    cacheMaxBytes: read.int('CACHE_MAX_BYTES', 64 * 1024 * 1024, 1024),
    resultCacheMaxEntries: read.int('RESULT_CACHE_MAX_ENTRIES', 1_000, 0),
    readAheadMaxEntries: read.int('READ_AHEAD_MAX_ENTRIES', 10_000, 0),
    staleIfErrorMs: read.int('STALE_IF_ERROR_MS', 60_000, 0),
  };
}

/** Deadlines, retries, concurrency and budget of the calls to viewneo. */
function upstreamSettings(read: EnvReader) {
  const perMinute = read.int('UPSTREAM_RATE_PER_MINUTE', 60, 0, 1_000_000);
  const cap = read.int('UPSTREAM_RATE_CAP', 0, 0, 1_000_000);
  if (cap > 0 && perMinute === 0) {
    read.problems.push(
      'UPSTREAM_RATE_CAP needs a budget to cap, got UPSTREAM_RATE_PER_MINUTE=0 (no budget): set it above 0, or unset the cap',
    );
  }
  return {
    requestTimeoutMs: read.int('REQUEST_TIMEOUT_MS', 30_000, 1),
    upstreamTimeoutMs: read.int('UPSTREAM_TIMEOUT_MS', 10_000, 1),
    upstreamConnectTimeoutMs: read.int('UPSTREAM_CONNECT_TIMEOUT_MS', 3_000, 1),
    upstreamRetries: read.int('UPSTREAM_RETRIES', 3, 0, 10),
    upstreamConcurrency: read.int('UPSTREAM_CONCURRENCY', 64, 1, 1000),
    upstreamConcurrencyPerToken: read.int('UPSTREAM_CONCURRENCY_PER_TOKEN', 64, 1, 1000),
    upstreamRatePerMinute: perMinute,
    upstreamRateCap: cap > 0 ? cap : null,
    circuitCooldownMs: read.int('CIRCUIT_COOLDOWN_MS', 5_000, 1),
    retryBudget: Object.freeze({
      ratio: read.int('UPSTREAM_RETRY_BUDGET_PERCENT', 20, 0, 100) / 100,
      minPerSecond: read.int('UPSTREAM_RETRY_MIN_PER_SECOND', 10, 0, 10_000),
    }),
  };
}

/** The bounds of one operation. */
function limitSettings(read: EnvReader): Config['limits'] {
  return Object.freeze({
    depth: read.int('MAX_DEPTH', 12, 1, 1000),
    aliases: read.int('MAX_ALIASES', 30, 0, 10000),
    tokens: read.int('MAX_TOKENS', 5000, 1),
    cost: read.int('MAX_COST', 50_000, 1),
    expensiveCost: read.int('EXPENSIVE_COST', 5_000, 1),
    expensivePerToken: read.int('MAX_EXPENSIVE_PER_TOKEN', 2, 1, 1000),
    newDocumentsPerToken: read.int('MAX_NEW_DOCUMENTS_PER_TOKEN', 2, 1, 1000),
    responseBytes: read.int('MAX_RESPONSE_BYTES', 16 * 1024 * 1024, 1024),
    directives: read.int('MAX_DIRECTIVES', 30, 0, 10000),
  });
}

function parseBaseUrl(raw: string | undefined, problems: string[]): string {
  const fallback = 'https://cloud.viewneo.com';
  if (raw === undefined || raw === '') return fallback;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
    if (url.search || url.hash || url.username || url.password) throw new Error('has extras');
    return url.origin + url.pathname.replace(/\/+$/, '');
  } catch {
    problems.push(`VIEWNEO_BASE_URL must be an http(s) URL without query, fragment or credentials, got "${raw}"`);
    return fallback;
  }
}

/** The Redis that replicas share; null without REDIS_URL. */
function parseRedis(read: EnvReader): RedisSettings | null {
  const { env, problems } = read;
  const timeoutMs = read.int('REDIS_TIMEOUT_MS', 50, 1, 60_000);
  const maxValueBytes = read.int('REDIS_MAX_VALUE_BYTES', 256 * 1024, 1, 512 * 1024 * 1024);
  const keyPrefix = env.REDIS_KEY_PREFIX || 'vg:';
  // A brace would start a hash tag of its own and put one token's keys in different cluster slots.
  if (!/^[\x21-\x7a|~]{1,64}$/.test(keyPrefix)) {
    problems.push(`REDIS_KEY_PREFIX must be at most 64 printable characters without spaces or braces, got "${keyPrefix}"`);
  }
  const mode = (env.REDIS_MODE || 'single') as RedisMode;
  if (!REDIS_MODES.includes(mode)) problems.push(`REDIS_MODE must be one of ${REDIS_MODES.join(', ')}, got "${env.REDIS_MODE}"`);
  const sentinelName = env.REDIS_SENTINEL_NAME || null;
  if (mode === 'sentinel' && sentinelName === null) problems.push('REDIS_SENTINEL_NAME must name the master set when REDIS_MODE=sentinel');
  if (mode !== 'sentinel' && sentinelName !== null) {
    problems.push(`REDIS_SENTINEL_NAME is for REDIS_MODE=sentinel only, got it with REDIS_MODE=${mode}`);
  }
  const waitReplicas = read.int('REDIS_WAIT_REPLICAS', mode === 'single' ? 0 : 1, 0, 100);
  const raw = env.REDIS_URL;
  if (raw === undefined || raw === '') {
    if (mode !== 'single') problems.push(`REDIS_URL must be set when REDIS_MODE=${mode}, got REDIS_MODE without it`);
    return null;
  }
  const urls = raw.split(',').map((part) => parseRedisUrl(part.trim()));
  // The URLs may hold a password: the messages name the rule, never the value.
  if (urls.some((url) => url === null)) {
    problems.push(
      'REDIS_URL must be a redis:// or rediss:// URL with a host, e.g. redis://:password@redis:6379/0 (a comma-separated list for cluster and sentinel)',
    );
  } else if (mode === 'single' && urls.length > 1) {
    problems.push(`REDIS_URL must be one URL when REDIS_MODE=single, got ${urls.length}: set REDIS_MODE=cluster or sentinel for a list`);
  } else if (new Set(urls.map((url) => url!.protocol)).size > 1) {
    problems.push('REDIS_URL must use one scheme for every node, got both redis:// and rediss://');
  }
  const first = urls[0] ?? null;
  const db = first === null ? 0 : Number(first.pathname.slice(1) || '0');
  if (mode === 'cluster' && db !== 0)
    problems.push(`REDIS_URL must name no database when REDIS_MODE=cluster (a cluster has only 0), got /${db}`);
  return Object.freeze({
    mode,
    url: raw,
    nodes: Object.freeze(
      urls.map((url) => Object.freeze({ host: url?.hostname ?? '', port: Number(url?.port || (mode === 'sentinel' ? 26379 : 6379)) })),
    ),
    username: first?.username ? decodeURIComponent(first.username) : null,
    password: first?.password ? decodeURIComponent(first.password) : null,
    tls: first?.protocol === 'rediss:',
    db,
    sentinelName,
    waitReplicas,
    keyPrefix,
    timeoutMs,
    maxValueBytes,
  });
}

/** `raw` as a URL when it is `redis://` or `rediss://` (lower case: ioredis's rule for TLS) with a host and at most a database; else null. */
function parseRedisUrl(raw: string): URL | null {
  if (!/^rediss?:\/\//.test(raw)) return null;
  try {
    const url = new URL(raw);
    return url.hostname !== '' && /^(\/\d*)?$/.test(url.pathname) ? url : null;
  } catch {
    return null;
  }
}

/** {@link loadConfig} for entry points: prints the problems and exits 1 instead of throwing. */
export function loadConfigOrExit(env: Env = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
