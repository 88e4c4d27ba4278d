import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { benchAccount, seedAccounts } from '../../src/sandbox/data.js';
import { SANDBOX_OAUTH_CLIENT } from '../../src/sandbox/oauth.js';
import { ALICE_INTRANET_SECRET } from '../../src/sandbox/seed.js';
import { GATEWAY_SECRET, WEBSITE_API_KEY } from './secrets.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** File every test gateway appends its log lines to. */
    gatewayLogFile: string;
  }
}

/**
 * What must never appear in a log line: the tokens and secrets the tests use, each imported from
 * where it is defined (so a renamed one is still looked for), and anything JWT-shaped. Throws if
 * the seeded accounts' tokens come out empty or an entry is not a usable pattern.
 */
function secrets(): (string | RegExp)[] {
  // Every seeded account's token (alice, bob, …); the bench accounts' by their pattern.
  const tokens = seedAccounts().map((account) => account.token);
  if (tokens.length === 0) throw new Error('log scan: seedAccounts() gave no account tokens to look for');
  const list: (string | RegExp)[] = [
    ...tokens,
    benchTokenPattern(),
    SANDBOX_OAUTH_CLIENT.clientSecret,
    GATEWAY_SECRET,
    ALICE_INTRANET_SECRET,
    WEBSITE_API_KEY,
    /eyJ[\w-]{5,}\.eyJ[\w-]{5,}/,
  ];
  for (const [i, secret] of list.entries()) {
    if (!(secret instanceof RegExp) && (typeof secret !== 'string' || secret === ''))
      throw new Error(`log scan: secret #${i} is ${JSON.stringify(secret)}, not a non-empty string or a RegExp (a renamed export?)`);
  }
  return list;
}

/** Matches every `benchAccount(n).token`: a bench token with its account number made `\d+`. */
function benchTokenPattern(): RegExp {
  const n = 987_654_321;
  const token = benchAccount(n).token;
  const parts = token.split(String(n));
  if (parts.length !== 2) throw new Error(`log scan: the bench token ${token} does not hold its account number ${n} once`);
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(parts.map(literal).join('\\d+'));
}

/**
 * Collects the logs of every gateway started by the suite into one file and, once the whole
 * run is over, fails the run if any of them holds a token or a secret.
 */
export default function setup(project: TestProject) {
  // Built first, so that an empty or broken list fails the run before any test, not after.
  const patterns = secrets();
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
    const leaks = patterns.filter((secret) => (typeof secret === 'string' ? logs.includes(secret) : secret.test(logs)));
    if (leaks.length > 0)
      throw new Error(`log scan: ${leaks.length} secret(s) appear in the gateway logs: ${leaks.map(String).join(', ')}`);
    console.log(`log scan: ${lines.length} gateway log lines hold none of ${patterns.length} secret patterns`);
  };
}
