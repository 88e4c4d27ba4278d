// The production entry point: load the configuration, listen, shut down gracefully.
import { loadConfigOrExit } from './config.js';
import { createGateway } from './gateway.js';
import { createLogger } from './logger.js';
import { startTracing } from './observability/tracing.js';
import { listen, shutdownOnSignals } from './serve.js';
import { serveWebSockets } from './websocket.js';

const config = loadConfigOrExit();
const logger = createLogger(config.logLevel);
const stopTracing = startTracing();
const gateway = createGateway(config, { logger });
const { server, port } = await listen(gateway.listener, config.port, config.host, config.http);
const closeWebSockets = serveWebSockets(server, gateway);
gateway.setReady(true);
logger.info(
  { url: `http://${config.host}:${port}/graphql`, viewneo: config.viewneoBaseUrl, tracing: stopTracing !== null },
  'viewneo gateway listening',
);
shutdownOnSignals(server, logger, {
  timeoutMs: config.shutdownTimeoutMs,
  beforeClose: () => {
    gateway.setReady(false);
    gateway.endSubscriptions();
    void closeWebSockets();
  },
  cleanup: async () => {
    await gateway.close();
    await stopTracing?.();
  },
});
