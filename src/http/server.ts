// The production entry point: load the configuration, listen, shut down gracefully.
import { loadConfigOrExit } from '../config.js';
import { createGateway } from '../gateway.js';
import { createLogger } from '../logger.js';
import { startTracing } from '../observability/tracing.js';
import { serveUntilSignalled } from './serve.js';

const config = loadConfigOrExit();
const logger = createLogger(config.logLevel);
const stopTracing = startTracing();
const gateway = createGateway(config, { logger });
const port = await serveUntilSignalled(gateway, config, logger, async () => {
  await stopTracing?.();
});
logger.info(
  { url: `http://${config.host}:${port}/graphql`, viewneo: config.viewneoBaseUrl, tracing: stopTracing !== null },
  'viewneo gateway listening',
);
