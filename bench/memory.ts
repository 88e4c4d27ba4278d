// `npm run bench:memory`: peak RSS of the compiled gateway (as the Docker image runs it) alone in
// its own process, under rotating Q3 load over 100 tokens (every token's data and results cached),
// with V8's default heap sizing and with the image's NODE_OPTIONS. Loopback only, bounded in time.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { startSandbox } from '../src/sandbox/server.js';
import { REPO_ROOT } from './paths.js';
import { QUERIES, requestBody } from './queries.js';

const PORT = 4590;
const TOKENS = 100;
const SECONDS = 12;

function rssMb(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function measure(sandboxUrl: string, nodeOptions: string) {
  const child = spawn(process.execPath, ['dist/http/server.js'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      VIEWNEO_BASE_URL: sandboxUrl,
      LOG_LEVEL: 'error',
      CACHE_TTL_MS: '600000',
      UPSTREAM_RATE_PER_MINUTE: '0',
      GATEWAY_SECRET: 'memory-check-secret-not-for-production',
      NODE_OPTIONS: nodeOptions,
    },
    stdio: 'inherit',
  });
  try {
    await sleep(1500);
    const startMb = rssMb(child);
    let peakMb = startMb;
    const sampler = setInterval(() => (peakMb = Math.max(peakMb, rssMb(child))), 20);
    const body = requestBody(QUERIES.find((q) => q.name === 'Q3')!);
    let n = 0;
    const result = await autocannon({
      url: `http://127.0.0.1:${PORT}/graphql`,
      connections: 16,
      duration: SECONDS,
      requests: [
        {
          method: 'POST',
          setupRequest: (request) => ({
            ...request,
            body,
            headers: { 'content-type': 'application/json', authorization: `Bearer sandbox-bench-${(n++ % TOKENS) + 1}-token` },
          }),
        },
      ],
    });
    clearInterval(sampler);
    return {
      nodeOptions: nodeOptions || '(default)',
      startMb: +startMb.toFixed(1),
      peakMb: +peakMb.toFixed(1),
      rps: Math.round(result.requests.average),
      non2xx: result.non2xx,
    };
  } finally {
    child.kill('SIGTERM');
    await sleep(300);
  }
}

const sandbox = await startSandbox({ fast: true, benchAccounts: TOKENS, rateLimitPerMinute: null });
try {
  for (const options of ['', '--max-old-space-size=192']) console.log(JSON.stringify(await measure(sandbox.url, options)));
} finally {
  await sandbox.close();
}
