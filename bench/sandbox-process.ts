// Child process: the viewneo sandbox in fast mode with 100 bench accounts, on loopback.
import { ALICE, benchAccount } from '../src/sandbox/data.js';
import { startSandbox } from '../src/sandbox/server.js';
import { serveParent } from './ipc.js';

/** What the sandbox process reports once it listens. */
export interface SandboxReady {
  readonly url: string;
  readonly aliceToken: string;
  readonly benchTokens: readonly string[];
}

/** Number of bench accounts: the tokens of the "rotating" mode. */
const BENCH_ACCOUNTS = 100;

const sandbox = await startSandbox({ fast: true, benchAccounts: BENCH_ACCOUNTS, host: '127.0.0.1', rateLimitPerMinute: null });
const ready: SandboxReady = {
  url: sandbox.url,
  aliceToken: ALICE.token,
  benchTokens: Array.from({ length: BENCH_ACCOUNTS }, (_, i) => benchAccount(i + 1).token),
};
serveParent(ready, { cpu: () => process.cpuUsage() }, () => sandbox.close());
