import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config.js';
import type { Gateway } from '../gateway.js';
import type { Logger } from '../logger.js';
import { serveWebSockets } from './websocket.js';

/** The HTTP server's bounds on slow clients (see `Config.http`). */
export interface ServerTimeouts {
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
}

/**
 * Starts an HTTP server for `handler` and resolves once it listens, with the bound port. A client
 * that has not sent all its headers within `headersTimeoutMs`, or its whole request within
 * `requestTimeoutMs`, is answered 408 and cut off; an idle keep-alive connection is closed after
 * `keepAliveTimeoutMs`.
 */
export async function listen(
  handler: RequestListener,
  port: number,
  host: string,
  timeouts?: ServerTimeouts,
): Promise<{ server: Server; port: number }> {
  const server = createServer(
    timeouts === undefined
      ? {}
      : {
          headersTimeout: timeouts.headersTimeoutMs,
          requestTimeout: timeouts.requestTimeoutMs,
          keepAliveTimeout: timeouts.keepAliveTimeoutMs,
          // Node checks the header and request timeouts on this interval (30 s by default).
          connectionsCheckingInterval: Math.max(50, Math.min(1000, timeouts.headersTimeoutMs / 2)),
        },
    handler,
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

/**
 * Serves `gateway` (through `listener`, by default the gateway's own) as a process does until it is told to stop: HTTP on `config.host` and
 * `config.port` with `config.http`'s timeouts, GraphQL over WebSocket beside it, and reports it
 * ready. On SIGTERM or SIGINT it reports not ready, ends the open subscriptions, closes the
 * WebSockets, stops accepting and lets in-flight requests finish for up to
 * `config.shutdownTimeoutMs`, then closes the gateway, runs `cleanup` (what else the process must
 * close) and exits 0; 1 when the deadline ran out first. Resolves with the bound port once it
 * listens and the signals are handled.
 */
export async function serveUntilSignalled(
  gateway: Gateway,
  config: Pick<Config, 'host' | 'port' | 'http' | 'shutdownTimeoutMs'>,
  logger: Logger,
  cleanup: () => Promise<void>,
  listener: RequestListener = gateway.listener,
): Promise<number> {
  const { server, port } = await listen(listener, config.port, config.host, config.http);
  const closeWebSockets = serveWebSockets(server, gateway);
  gateway.setReady(true);
  const timeoutMs = config.shutdownTimeoutMs;
  const stop = (signal: string) => {
    logger.info({ signal, timeoutMs }, 'shutting down: finishing in-flight requests');
    gateway.setReady(false);
    gateway.endSubscriptions();
    void closeWebSockets();
    setTimeout(() => {
      logger.warn(`in-flight requests did not finish within ${timeoutMs} ms`);
      process.exit(1);
    }, timeoutMs).unref();
    server.close(() => {
      void gateway
        .close()
        .then(cleanup)
        .then(
          () => process.exit(0),
          () => process.exit(1),
        );
    });
    server.closeIdleConnections();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return port;
}
