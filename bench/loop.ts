// `npm run bench:loop -- [--peer gateway|rest-floor|naive|apollo] [--query Q0..Q3] [--latency ms] [--blocks n] [--warm]`:
// one request at a time, cold (cache off; --warm: caches on, so every request after the first is a hit), against one peer served in this process (pinned to CPU 0
// with taskset when there are two CPUs), the sandbox in a child process (CPU 1). Prints CPU time
// per request (this process: the peer plus a tiny client) and latency, as the minimum and median
// of blocks of 200 requests after 300 warm-up requests: steadier than the load benchmark for
// comparing one change, and the loop to profile (`--cpu-prof` in NODE_OPTIONS).
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { Child } from './ipc.js';
import { sandboxAdmin } from './measure.js';
import { startApollo } from './peers/apollo.js';
import { startGateway } from './peers/gateway.js';
import { startNaive } from './peers/naive.js';
import { startRestFloor } from './peers/rest-floor.js';
import type { StartPeer } from './peers/types.js';
import { QUERIES, type QueryName, requestBody } from './queries.js';
import type { SandboxReady } from './sandbox-process.js';

const PEERS: Record<string, StartPeer> = { gateway: startGateway, 'rest-floor': startRestFloor, naive: startNaive, apollo: startApollo };
const WARMUP = 300;
const BLOCK = 200;

const { values } = parseArgs({
  options: {
    peer: { type: 'string', default: 'gateway' },
    query: { type: 'string', default: 'Q3' },
    latency: { type: 'string', default: '0' },
    blocks: { type: 'string', default: '7' },
    warm: { type: 'boolean', default: false },
  },
});
const start = PEERS[values.peer];
const query = QUERIES.find((q) => q.name === (values.query as QueryName));
if (start === undefined || query === undefined)
  throw new Error(`expected --peer ${Object.keys(PEERS).join('|')} and --query Q0..Q3, got ${values.peer} and ${values.query}`);

const pinned = cpus().length >= 2 && spawnSync('taskset', ['-cp', '0', String(process.pid)]).status === 0;
const { child: sandbox, ready } = await Child.start<SandboxReady>('sandbox', 'sandbox-process.ts', { pin: pinned ? 1 : null });
try {
  await sandboxAdmin.setLatency(ready.url, Number(values.latency));
  const port = await start({ sandboxUrl: ready.url, cacheTtlMs: values.warm ? 600_000 : 0 });
  const body = requestBody(query);
  const once = async () => {
    const res = await request(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ready.aliceToken}` },
    });
    const text = await res.body.text();
    if (res.statusCode !== 200 || text.includes('"errors"')) throw new Error(`expected data, got ${res.statusCode} ${text.slice(0, 300)}`);
  };
  for (let i = 0; i < WARMUP; i++) await once();
  const cpuMs: number[] = [];
  const p50Ms: number[] = [];
  for (let b = 0; b < Number(values.blocks); b++) {
    const latencies: number[] = [];
    const cpu = process.cpuUsage();
    for (let i = 0; i < BLOCK; i++) {
      const started = performance.now();
      await once();
      latencies.push(performance.now() - started);
    }
    const used = process.cpuUsage(cpu);
    cpuMs.push((used.user + used.system) / 1000 / BLOCK);
    p50Ms.push(latencies.sort((x, y) => x - y)[BLOCK / 2]!);
  }
  const summary = (xs: number[]) => {
    const sorted = [...xs].sort((x, y) => x - y);
    return `min ${sorted[0]!.toFixed(2)}, median ${sorted[sorted.length >> 1]!.toFixed(2)}`;
  };
  console.log(`${values.peer} ${query.name} cold, sandbox latency ${values.latency} ms, ${pinned ? 'pinned' : 'not pinned'}`);
  console.log(`  CPU ms per request: ${summary(cpuMs)}`);
  console.log(`  p50 latency ms:     ${summary(p50Ms)}`);
} finally {
  await sandbox.stop();
}
process.exit(0);
