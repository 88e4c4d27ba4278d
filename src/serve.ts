import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from './logger.js';

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
 * On SIGTERM or SIGINT: run `beforeClose` (e.g. report not ready), stop accepting, let
 * in-flight requests finish for up to `timeoutMs`, run `cleanup` (close upstream
 * connections, flush traces), then exit 0; exit 1 when the deadline ran out first.
 */
export function shutdownOnSignals(
  server: Server,
  logger: Logger,
  {
    timeoutMs,
    beforeClose = () => {},
    cleanup = async () => {},
  }: { timeoutMs: number; beforeClose?: () => void; cleanup?: () => Promise<void> },
): void {
  const stop = (signal: string) => {
    logger.info({ signal, timeoutMs }, 'shutting down: finishing in-flight requests');
    beforeClose();
    setTimeout(() => {
      logger.warn(`in-flight requests did not finish within ${timeoutMs} ms`);
      process.exit(1);
    }, timeoutMs).unref();
    server.close(() => {
      void cleanup().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
    server.closeIdleConnections();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
