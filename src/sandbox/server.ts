import { setMaxListeners } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ADMIN_PREFIX, adminAnswer } from './admin.js';
import { seedAccounts } from './data.js';
import { defaultFaultBody, type Fault, FaultList, testFromStart } from './faults.js';
import { type Answer, API_PREFIX, parseBody, readBody, readBytes, routeNotFound, send, sendRaw } from './http.js';
import { DEFAULT_PER_PAGE, defaultListSettings, type ListResource, type ListShape } from './lists.js';
import { parseUpload } from './media.js';
import type { SandboxAccount } from './model.js';
import { type OAuthClient, OAuthServer, SANDBOX_OAUTH_CLIENT } from './oauth.js';
import { RateLimiter } from './ratelimit.js';
import { findRoute } from './routes.js';
import { type AccountStore, accountStore } from './store.js';

export type { Fault } from './faults.js';
export type { ListResource, ListShape } from './lists.js';

/** How to start a sandbox; every field is optional. */
export interface SandboxOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Address to listen on; default 127.0.0.1. */
  host?: string;
  /** Delay before answering every request, in ms; default 0 (also what reset() returns to). */
  latencyMs?: number;
  /** The OAuth client's registered redirect URI; default http://localhost:4000/callback. */
  redirectUri?: string;
  /** Seed of the random draws behind fault `rate`s; default 1. */
  faultSeed?: number;
  /**
   * Benchmark mode: an API GET answer is serialised once per account and path (query included)
   * and re-sent until that account writes (or reset/setListShape), and requests are only counted
   * per method and pathname, not recorded (`requests` stays empty), so that the sandbox costs
   * little CPU and memory under load. Default false.
   */
  fast?: boolean;
  /** Extra accounts `benchAccount(1..n)`, each with its own copy of alice's data; default 0. */
  benchAccounts?: number;
  /**
   * viewneo's per-user limit, enforced per token in fixed one-minute windows that open at the
   * token's first request (Laravel's throttle): `X-RateLimit-*` on every answer, 429 with
   * `Retry-After` past it. Default 60 a minute, as viewneo; null lifts it (the load benchmark,
   * tests about something else), and the headers then report a fresh window. reset() returns to it.
   */
  rateLimitPerMinute?: number | null;
  /**
   * Whether answers announce the limit in `X-RateLimit-Limit`/`-Remaining` (viewneo's Laravel
   * does); false plays an upstream that never does (429 with `Retry-After` still comes past an
   * enforced limit). Default true.
   */
  rateLimitHeaders?: boolean;
  /** Lifetime of the access tokens `/oauth/token` issues; default 1,296,000 s (15 days), as viewneo's Passport. */
  accessTokenTtlSeconds?: number;
}

/** viewneo's per-user API limit (Laravel's default throttle). */
export const VIEWNEO_RATE_PER_MINUTE = 60;

/** A request as the sandbox received it. */
export interface RecordedRequest {
  method: string;
  /** Path with the query string, as sent. */
  path: string;
  /** Path without the query string. */
  pathname: string;
  /** All request headers, names lower-cased (e.g. authorization, accept, content-type). */
  headers: Record<string, string | undefined>;
  /** The body parsed as JSON, or the raw text when not JSON, or undefined when empty. */
  body: unknown;
}

/** A running fake of the viewneo API, with knobs for tests in the same process. */
export interface Sandbox {
  /** Base URL without a trailing slash, e.g. "http://127.0.0.1:43121". */
  url: string;
  accounts: SandboxAccount[];
  oauthClient: OAuthClient;
  /**
   * Every request except `/__sandbox/*`, in arrival order (the same array for the sandbox's life);
   * always empty in `fast` mode.
   */
  requests: RecordedRequest[];
  resetRequests(): void;
  /**
   * Counts recorded requests: `method` is case-insensitive; a string `path` must equal the pathname
   * (no query); a RegExp must match the pathname or the path with its query (so `/page=2/` works;
   * in `fast` mode only the pathname is kept).
   */
  countRequests(filter?: { method?: string; path?: string | RegExp }): number;
  /** Requests since the last reset per `"METHOD pathname"`, e.g. `{"GET /api/v1.0/playlist": 2}`. */
  requestCounts(): Record<string, number>;
  /** Delay added before answering every request from now on. */
  setLatency(ms: number): void;
  /** Sets how a list is answered (for accounts without their own setting); `perPage` defaults to 15 (unused for 'array'). */
  setListShape(resource: ListResource, shape: ListShape, perPage?: number): void;
  /**
   * Enforces a per-token limit on the API (429 with Retry-After when exceeded), or none with null;
   * an account with a limit of its own keeps it while any is enforced.
   */
  setRateLimit(limit: { perMinute: number } | null): void;
  /** API requests answered 429 (over the rate limit) since the last resetRequests(). */
  rateLimited(): number;
  /** Appends a fault; faults are checked in order and the first that matches applies. */
  injectFault(fault: Fault): void;
  clearFaults(): void;
  /** A fresh single-use authorization code for `account`, bound to `redirectUri` (default: the client's). */
  issueAuthorizationCode(account: string, redirectUri?: string): string;
  /** Registers another redirect URI for the OAuth client in place of the one it had (an app on a port known only once it listens). */
  setRedirectUri(redirectUri: string): void;
  /** Reseeds the data and restores faults, requests, latency, rate limit and list shapes to the start. OAuth grants stay valid. */
  reset(): void;
  /** Stops listening and destroys every open socket (hanging ones too). */
  close(): Promise<void>;
}

/**
 * Starts a viewneo sandbox on a real HTTP server: the REST API under `/api/v1.0` (personal tokens
 * or OAuth access tokens), `/oauth/authorize` and `/oauth/token`, and an admin API for other
 * processes under `/__sandbox/` (see adminAnswer).
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const sandbox = new SandboxServer(options);
  await sandbox.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  return sandbox;
}

class SandboxServer implements Sandbox {
  url = '';
  readonly accounts: SandboxAccount[];
  readonly oauthClient: OAuthClient;
  readonly requests: RecordedRequest[] = [];
  private readonly counts = new Map<string, number>();
  private limited = 0;
  // fast mode: serialised GET answers per account, then per path with query.
  private serialised = new WeakMap<AccountStore, Map<string, Answer>>();
  private stores: Map<string, AccountStore>;
  private readonly oauth: OAuthServer;
  private readonly faults: FaultList;
  private readonly limiter = new RateLimiter();
  private lists = defaultListSettings();
  private latency: number;
  private readonly closing = new AbortController();
  private readonly server: Server;

  constructor(private readonly options: SandboxOptions) {
    this.stores = seedStores(options.benchAccounts ?? 0);
    this.accounts = [...this.stores.values()].map(({ data: { name, token, companyId, rateLimitPerMinute, lists } }) => ({
      name,
      token,
      companyId,
      ...(rateLimitPerMinute === undefined ? {} : { rateLimitPerMinute }),
      ...(lists === undefined ? {} : { lists }),
    }));
    this.oauthClient = { ...SANDBOX_OAUTH_CLIENT, redirectUri: options.redirectUri ?? SANDBOX_OAUTH_CLIENT.redirectUri };
    this.oauth = new OAuthServer(this.oauthClient, [...this.stores.keys()], options.accessTokenTtlSeconds);
    this.faults = new FaultList(options.faultSeed ?? 1);
    this.latency = options.latencyMs ?? 0;
    this.limiter.set(this.startingRateLimit());
    // Every delayed request listens for close(): many at once are expected, not a leak.
    setMaxListeners(Infinity, this.closing.signal);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (this.closing.signal.aborted || res.headersSent) res.destroy();
        else send(res, { status: 500, body: { message: 'Server Error' } });
      });
    });
  }

  async listen(port: number, host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address() as AddressInfo;
    this.url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  }

  resetRequests(): void {
    this.requests.length = 0;
    this.counts.clear();
    this.limited = 0;
  }

  countRequests(filter: { method?: string; path?: string | RegExp } = {}): number {
    const { method, path } = filter;
    if (this.options.fast) {
      let count = 0;
      for (const [key, n] of this.counts) {
        const [m = '', pathname = ''] = key.split(' ');
        const matches = path === undefined || (typeof path === 'string' ? pathname === path : testFromStart(path, pathname));
        if ((method === undefined || m === method.toUpperCase()) && matches) count += n;
      }
      return count;
    }
    return this.requests.filter(
      (r) =>
        (method === undefined || r.method.toUpperCase() === method.toUpperCase()) &&
        (path === undefined ||
          (typeof path === 'string' ? r.pathname === path : testFromStart(path, r.pathname) || testFromStart(path, r.path))),
    ).length;
  }

  requestCounts(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  setLatency(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`latency must be >= 0 ms, got ${ms}`);
    this.latency = ms;
  }

  setListShape(resource: ListResource, shape: ListShape, perPage = DEFAULT_PER_PAGE): void {
    if (!Number.isInteger(perPage) || perPage < 1) throw new RangeError(`perPage must be a positive integer, got ${perPage}`);
    this.lists[resource] = { shape, perPage };
    this.serialised = new WeakMap();
  }

  setRateLimit(limit: { perMinute: number } | null): void {
    this.limiter.set(limit);
  }

  rateLimited(): number {
    return this.limited;
  }

  private startingRateLimit(): { perMinute: number } | null {
    const perMinute = this.options.rateLimitPerMinute === undefined ? VIEWNEO_RATE_PER_MINUTE : this.options.rateLimitPerMinute;
    return perMinute === null ? null : { perMinute };
  }

  injectFault(fault: Fault): void {
    this.faults.add(fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  issueAuthorizationCode(account: string, redirectUri?: string): string {
    return this.oauth.issueAuthorizationCode(account, redirectUri);
  }

  setRedirectUri(redirectUri: string): void {
    // The OAuth server holds this same client object.
    this.oauthClient.redirectUri = redirectUri;
  }

  reset(): void {
    this.stores = seedStores(this.options.benchAccounts ?? 0);
    this.faults.clear();
    this.resetRequests();
    this.latency = this.options.latencyMs ?? 0;
    this.limiter.set(this.startingRateLimit());
    this.lists = defaultListSettings();
  }

  async close(): Promise<void> {
    this.closing.abort();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (url.pathname.startsWith(ADMIN_PREFIX)) return send(res, adminAnswer(this, method, url, parseBody(await readBody(req))));
    const record = this.record(method, req, url);
    const bytes = await readBytes(req);
    const raw = bytes.toString('utf8');
    const contentType = req.headers['content-type'] ?? '';
    record.body = contentType.startsWith('multipart/form-data') ? await parseUpload(bytes, contentType) : parseBody(raw);
    await this.delay(this.latency);
    const fault = this.faults.take(method, url.pathname, req.headers.authorization);
    if (fault?.kind === 'latency') await this.delay(fault.ms ?? 0);
    else if (fault !== undefined && fault.kind !== 'cut') return applyFault(fault, req, res);
    const answer = url.pathname.startsWith(`${API_PREFIX}/`)
      ? await this.api(method, url, req.headers.authorization, record.body)
      : url.pathname.startsWith('/oauth/')
        ? await this.oauth.handle(method, url, raw, req.headers['content-type'])
        : routeNotFound(url.pathname);
    if (fault?.kind === 'cut') return cutShort(res, answer);
    send(res, answer);
  }

  /** Counts the request and, unless in fast mode, records it (in fast mode the record is not kept). */
  private record(method: string, req: IncomingMessage, url: URL): RecordedRequest {
    const key = `${method} ${url.pathname}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    const path = req.url ?? '/';
    if (this.options.fast) return { method, path, pathname: url.pathname, headers: {}, body: undefined };
    const record: RecordedRequest = { method, path, pathname: url.pathname, headers: flatten(req.headers), body: undefined };
    this.requests.push(record);
    return record;
  }

  private async api(method: string, url: URL, authorization: string | undefined, body: unknown): Promise<Answer> {
    const store = await this.authenticate(authorization);
    const rate = this.limiter.hit(authorization ?? '', store?.data.rateLimitPerMinute);
    const announced = this.options.rateLimitHeaders === false ? retryAfterOnly(rate.headers) : rate.headers;
    const withRate = (answer: Answer): Answer => ({ ...answer, headers: { ...answer.headers, ...announced } });
    if (rate.limited) {
      this.limited++;
      return withRate({ status: 429, body: { message: 'Too Many Attempts.' } });
    }
    const route = findRoute(method, url.pathname);
    if (typeof route !== 'function') return withRate(route);
    if (store === undefined) return withRate({ status: 401, body: { message: 'Unauthenticated.' } });
    const lists = store.data.lists ? { ...this.lists, ...store.data.lists } : this.lists;
    const answer = () => route({ store, query: url.searchParams, body, listPath: `${this.url}${url.pathname}`, lists });
    if (!this.options.fast || method === 'HEAD') return withRate(answer());
    if (method === 'GET') return withRate(this.serialisedAnswer(store, `${url.pathname}${url.search}`, answer));
    this.serialised.delete(store);
    return withRate(answer());
  }

  private serialisedAnswer(store: AccountStore, path: string, answer: () => Answer): Answer {
    let answers = this.serialised.get(store);
    if (answers === undefined) {
      answers = new Map();
      this.serialised.set(store, answers);
    }
    let cached = answers.get(path);
    if (cached === undefined) {
      const { body, ...rest } = answer();
      cached = body === undefined ? rest : { ...rest, json: JSON.stringify(body) };
      answers.set(path, cached);
    }
    return cached;
  }

  private async authenticate(authorization: string | undefined): Promise<AccountStore | undefined> {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (token === undefined) return undefined;
    const personal = [...this.stores.values()].find((store) => store.data.token === token);
    if (personal !== undefined) return personal;
    const account = await this.oauth.accountFor(token);
    return account === undefined ? undefined : this.stores.get(account);
  }

  // Waits are cut short by close(), so that a closed sandbox leaves no timers behind.
  private async delay(ms: number): Promise<void> {
    if (ms > 0) await sleep(ms, undefined, { signal: this.closing.signal });
  }
}

function retryAfterOnly(headers: Record<string, string>): Record<string, string> {
  return headers['Retry-After'] === undefined ? {} : { 'Retry-After': headers['Retry-After'] };
}

function seedStores(benchAccounts: number): Map<string, AccountStore> {
  return new Map(seedAccounts(benchAccounts).map((data) => [data.name, accountStore(data)]));
}

function applyFault(fault: Fault, req: IncomingMessage, res: ServerResponse): void {
  const headers = { 'content-type': 'application/json', ...fault.headers };
  if (fault.kind === 'status') {
    const status = fault.status ?? 500;
    sendRaw(res, status, fault.body ?? defaultFaultBody(status), headers);
  } else if (fault.kind === 'malformed') {
    sendRaw(res, 200, fault.body ?? '<html>oops', headers);
  } else if (fault.kind === 'reset') {
    req.socket.destroy();
  } else if (fault.kind === 'stall') {
    const body = fault.body ?? '{"data": [';
    res.writeHead(200, { ...headers, 'content-length': String(2 * Buffer.byteLength(body)) });
    res.write(body);
  }
  // 'hang' and 'stall': leave the request unfinished; close() destroys its socket.
}

/** The 'cut' fault: `answer`'s status and headers, the first half of its body, then a destroyed socket. */
function cutShort(res: ServerResponse, answer: Answer): void {
  const body = Buffer.from(answer.json ?? (answer.body === undefined ? '' : JSON.stringify(answer.body)));
  res.writeHead(answer.status, { ...answer.headers, 'Content-Type': 'application/json', 'Content-Length': body.length });
  res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
}

function flatten(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  const flat: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}
