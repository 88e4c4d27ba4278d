/**
 * Runs the viewneo sandbox standalone. Environment: SANDBOX_PORT (default 4010), SANDBOX_HOST
 * (default 127.0.0.1), SANDBOX_LATENCY_MS (default 0), SANDBOX_REDIRECT_URI (default the OAuth
 * client's), SANDBOX_RATE_LIMIT (requests per token and minute; default 60 as viewneo, 0 lifts it).
 * Prints the URL, each account's token and the OAuth client; closes on SIGINT/SIGTERM.
 */
import { startSandbox, VIEWNEO_RATE_PER_MINUTE } from './server.js';

const sandbox = await startSandbox({
  port: numberFromEnv('SANDBOX_PORT', 4010),
  host: process.env.SANDBOX_HOST || '127.0.0.1',
  latencyMs: numberFromEnv('SANDBOX_LATENCY_MS', 0),
  redirectUri: process.env.SANDBOX_REDIRECT_URI || undefined,
  rateLimitPerMinute: numberFromEnv('SANDBOX_RATE_LIMIT', VIEWNEO_RATE_PER_MINUTE) || null,
});

console.log(`viewneo sandbox listening on ${sandbox.url} (API under ${sandbox.url}/api/v1.0)`);
for (const account of sandbox.accounts) {
  console.log(`  account ${account.name} (company ${account.companyId}): Authorization: Bearer ${account.token}`);
}
const client = sandbox.oauthClient;
console.log(`  OAuth client: id ${client.clientId}, secret ${client.clientSecret}, redirect URI ${client.redirectUri}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sandbox.close().then(() => console.log('viewneo sandbox closed'));
  });
}

function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`${name} must be a non-negative integer, got "${raw}"`);
    process.exit(1);
  }
  return value;
}
