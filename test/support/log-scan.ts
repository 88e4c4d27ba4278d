import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** File every test gateway appends its log lines to. */
    gatewayLogFile: string;
  }
}

/** What must never appear in a log line: the tokens and secrets the tests use, and anything JWT-shaped. */
const SECRETS: (string | RegExp)[] = [
  'sandbox-alice-token',
  'sandbox-bob-token',
  /sandbox-bench-\d+-token/,
  'sandbox-secret',
  'test-gateway-secret-of-at-least-32-chars',
  'alice-intranet-secret',
  'k-123-secret',
  /eyJ[\w-]{5,}\.eyJ[\w-]{5,}/,
];

/**
 * Collects the logs of every gateway started by the suite into one file and, once the whole
 * run is over, fails the run if any of them holds a token or a secret.
 */
export default function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-logs-'));
  const file = join(dir, 'gateway.log');
  writeFileSync(file, '');
  project.provide('gatewayLogFile', file);
  return () => {
    const logs = readFileSync(file, 'utf8');
    rmSync(dir, { recursive: true, force: true });
    const lines = logs.split('\n').filter(Boolean);
    // A run of only some test files may start no gateway at all.
    if (lines.length === 0) return console.log('log scan: no gateway was started, nothing to scan');
    const leaks = SECRETS.filter((secret) => (typeof secret === 'string' ? logs.includes(secret) : secret.test(logs)));
    if (leaks.length > 0)
      throw new Error(`log scan: ${leaks.length} secret(s) appear in the gateway logs: ${leaks.map(String).join(', ')}`);
    console.log(`log scan: ${lines.length} gateway log lines hold none of ${SECRETS.length} secret patterns`);
  };
}
