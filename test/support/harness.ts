import { appendFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, inject } from 'vitest';
import { type Config, loadConfig } from '../../src/config.js';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/gateway.js';
import { serveWebSockets } from '../../src/http/websocket.js';
import { createLogger } from '../../src/logger.js';
import { ALICE as ALICE_ACCOUNT, BOB as BOB_ACCOUNT } from '../../src/sandbox/data.js';
import { type Sandbox, type SandboxOptions, startSandbox } from '../../src/sandbox/server.js';
import { GATEWAY_SECRET } from './secrets.js';

/** A GraphQL answer as the tests read it. */
export interface GraphQLAnswer {
  data?: any;
  errors?: {
    message: string;
    path?: (string | number)[];
    locations?: { line: number; column: number }[];
    extensions?: Record<string, any>;
  }[];
  extensions?: Record<string, any>;
}

/** A gateway listening on loopback in front of a sandbox, with its log lines captured. */
export interface Harness {
  readonly sandbox: Sandbox;
  readonly gateway: Gateway;
  readonly url: string;
  readonly config: Config;
  /** Every log line the gateway wrote, as text. */
  readonly logs: string[];
  gql(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GraphQLAnswer>;
  post(body: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

/** The sandbox accounts' tokens. */
export const ALICE = ALICE_ACCOUNT.token;
export const BOB = BOB_ACCOUNT.token;

/** What {@link startHarness} takes besides the environment. */
export type HarnessOptions = GatewayOptions & {
  sandbox?: Sandbox;
  /** What the server runs instead of the gateway's listener (e.g. the example app in front of it). */
  serve?: (gateway: Gateway) => RequestListener;
};

/**
 * A sandbox with viewneo's per-user limit lifted, for tests about something else than the
 * budget (they make far more than 60 calls a minute with one token); the budget's own tests
 * (budget.test.ts) run against `startSandbox()`, as strict as viewneo.
 */
export function startLiftedSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ rateLimitPerMinute: null, ...options });
}

/**
 * Starts a sandbox with its limit lifted (or uses `sandbox`) and a gateway over it on ephemeral
 * loopback ports, without a per-token upstream budget (UPSTREAM_RATE_PER_MINUTE=0) unless `env`
 * sets one. `env` overrides the gateway's environment.
 */
export async function startHarness(env: Record<string, string> = {}, options: HarnessOptions = {}): Promise<Harness> {
  const sandbox = options.sandbox ?? (await startLiftedSandbox());
  const config = loadConfig({
    VIEWNEO_BASE_URL: sandbox.url,
    VIEWNEO_CLIENT_ID: sandbox.oauthClient.clientId,
    VIEWNEO_CLIENT_SECRET: sandbox.oauthClient.clientSecret,
    GATEWAY_SECRET,
    LOG_LEVEL: 'debug',
    UPSTREAM_RATE_PER_MINUTE: '0',
    // A loaded test machine's event loop lags now and then: shedding is tested where it is meant to be.
    LOAD_SHED_LAG_MS: '0',
    ...env,
  });
  const logs: string[] = [];
  const logFile = inject('gatewayLogFile');
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      // Every line also goes to the suite's log file, which is scanned for secrets at the end.
      if (logFile) appendFileSync(logFile, String(chunk));
      done();
    },
  });
  const gateway = createGateway(config, { logger: createLogger(config.logLevel, sink), ...options });
  const server: Server = createServer(options.serve?.(gateway) ?? gateway.listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const closeWebSockets = serveWebSockets(server, gateway);
  gateway.setReady(true);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  return {
    sandbox,
    gateway,
    url,
    config,
    logs,
    post,
    async gql(query, variables, token = ALICE) {
      const response = await post({ query, variables }, token === null ? {} : { authorization: `Bearer ${token}` });
      return (await response.json()) as GraphQLAnswer;
    },
    async close() {
      gateway.endSubscriptions();
      await closeWebSockets();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.close();
      if (!options.sandbox) await sandbox.close();
    },
  };
}

/**
 * One harness for the calling `describe` block: registers a `beforeAll` that starts it with
 * {@link startHarness}`(env, options)` and an `afterAll` that closes it, and returns a `Harness`
 * whose every property and method reads through to the started one. Use it only in that block's
 * hooks and tests: reading it before the `beforeAll` has run, or after the `afterAll` closed it,
 * throws. Hooks the block registers after this call run after the harness started (and, as
 * `afterAll`s, before it closes: vitest's default `sequence.hooks: 'stack'`). Do not `close()` it
 * yourself.
 */
export function useHarness(env: Record<string, string> = {}, options: HarnessOptions = {}): Harness {
  let started: Harness | undefined;
  beforeAll(async () => {
    started = await startHarness(env, options);
  });
  afterAll(async () => {
    const closing = started;
    started = undefined;
    await closing?.close();
  });
  const current = (): Harness => {
    if (started) return started;
    throw new Error(
      'useHarness: the harness is used outside the hooks and tests of the describe block that called useHarness (before its beforeAll or after its afterAll)',
    );
  };
  return {
    get sandbox() {
      return current().sandbox;
    },
    get gateway() {
      return current().gateway;
    },
    get url() {
      return current().url;
    },
    get config() {
      return current().config;
    },
    get logs() {
      return current().logs;
    },
    gql: (...args) => current().gql(...args),
    post: (...args) => current().post(...args),
    close: () => current().close(),
  };
}
