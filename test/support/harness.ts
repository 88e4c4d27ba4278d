import { appendFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { inject } from 'vitest';
import { type Config, loadConfig } from '../../src/config.js';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/gateway.js';
import { createLogger } from '../../src/logger.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';

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

export const ALICE = 'sandbox-alice-token';
export const BOB = 'sandbox-bob-token';

/**
 * Starts a sandbox (or uses `sandbox`) and a gateway over it on ephemeral loopback ports.
 * `env` overrides the gateway's environment.
 */
export async function startHarness(
  env: Record<string, string> = {},
  options: GatewayOptions & { sandbox?: Sandbox } = {},
): Promise<Harness> {
  const sandbox = options.sandbox ?? (await startSandbox());
  const config = loadConfig({
    VIEWNEO_BASE_URL: sandbox.url,
    VIEWNEO_CLIENT_ID: sandbox.oauthClient.clientId,
    VIEWNEO_CLIENT_SECRET: sandbox.oauthClient.clientSecret,
    GATEWAY_SECRET: 'test-gateway-secret-of-at-least-32-chars',
    LOG_LEVEL: 'debug',
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
  const server: Server = createServer(gateway);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
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
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.close();
      if (!options.sandbox) await sandbox.close();
    },
  };
}
