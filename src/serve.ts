import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from './logger.js';

/** Starts an HTTP server for `handler` and resolves once it listens, with the bound port. */
export async function listen(handler: RequestListener, port: number, host: string): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
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
