import { type DestinationStream, type Logger, pino } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger };

/**
 * Paths redacted from every log line. Upstream bodies and headers are never logged on
 * purpose; these are a second line of defence against a careless `log.info(obj)`.
 */
const REDACT = [
  'authorization',
  'token',
  'accessToken',
  'refreshToken',
  'clientSecret',
  '*.authorization',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.clientSecret',
  'cookie',
  '*.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
];

/** Creates the JSON logger (pino) used by the gateway and the sandbox. */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' } }, destination);
}
