// The production entry point: load the configuration, listen, shut down gracefully.
import { loadConfigOrExit } from './config.js';
import { createGateway } from './gateway.js';
import { createLogger } from './logger.js';
import { listen, shutdownOnSignals } from './serve.js';

const config = loadConfigOrExit();
const logger = createLogger(config.logLevel);
const { server, port } = await listen(createGateway(config, { logger }), config.port, config.host);
logger.info({ url: `http://${config.host}:${port}/graphql`, viewneo: config.viewneoBaseUrl }, 'viewneo gateway listening');
shutdownOnSignals(server, logger);
