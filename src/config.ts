import { randomBytes } from 'node:crypto';

/** Log levels accepted by `LOG_LEVEL` (pino's names). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

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
  readonly upstreamTimeoutMs: number;
  /** Upstream calls one GraphQL request may have in flight at once. */
  readonly upstreamConcurrency: number;
  readonly logLevel: LogLevel;
}

/** Thrown by {@link loadConfig}; its message names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * Parses the gateway configuration from `env`. Collects every problem before failing, so
 * that one start-up error lists all variables to fix.
 */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };

  const port = int('PORT', 4000, 0, 65535);
  const host = env.HOST || '0.0.0.0';
  const viewneoBaseUrl = parseBaseUrl(env.VIEWNEO_BASE_URL, problems);

  const clientId = env.VIEWNEO_CLIENT_ID || undefined;
  const clientSecret = env.VIEWNEO_CLIENT_SECRET || undefined;
  if (Boolean(clientId) !== Boolean(clientSecret)) {
    const missing = clientId ? 'VIEWNEO_CLIENT_SECRET' : 'VIEWNEO_CLIENT_ID';
    problems.push(`${missing} must be set together with ${clientId ? 'VIEWNEO_CLIENT_ID' : 'VIEWNEO_CLIENT_SECRET'}`);
  }

  const secretRaw = env.GATEWAY_SECRET;
  if (secretRaw !== undefined && secretRaw !== '' && secretRaw.length < 32) {
    problems.push(`GATEWAY_SECRET must be at least 32 characters, got ${secretRaw.length}`);
  }
  const gatewaySecretGenerated = !secretRaw;

  const logLevel = (env.LOG_LEVEL || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }

  const config: Config = {
    port,
    host,
    viewneoBaseUrl,
    oauthClient: clientId && clientSecret ? Object.freeze({ id: clientId, secret: clientSecret }) : null,
    gatewaySecret: secretRaw ? new TextEncoder().encode(secretRaw) : randomBytes(32),
    gatewaySecretGenerated,
    cacheTtlMs: int('CACHE_TTL_MS', 10_000, 0),
    cacheMaxEntries: int('CACHE_MAX_ENTRIES', 10_000, 1),
    upstreamTimeoutMs: int('UPSTREAM_TIMEOUT_MS', 10_000, 1),
    upstreamConcurrency: int('UPSTREAM_CONCURRENCY', 32, 1, 1000),
    logLevel,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
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
