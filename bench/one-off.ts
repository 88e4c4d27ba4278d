// `npm run bench:one-off -- [--connections n] [--blocks n]`: one-off documents. Q3 with a new
// alias in every request (`{ a17: playlists(first: 20) { … } }`), one token, upstream reads warm
// (CACHE_TTL_MS 600000), against the gateway served in this process (pinned to CPU 0 with taskset
// when there are two CPUs), the sandbox in a child process (CPU 1). Every document is new to the
// gateway, so each request pays parsing, validation, costing and whatever compiling it does, and no
// result cache hit. Prints requests/s and CPU time per request (this process: the gateway plus a
// tiny client) as the minimum and median of blocks of 200 requests after 300 warm-up requests.
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { Child } from './ipc.js';
import { startGateway } from './peers/gateway.js';
import { QUERIES } from './queries.js';
import type { SandboxReady } from './sandbox-process.js';

const WARMUP = 300;
const BLOCK = 200;

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '1' },
    blocks: { type: 'string', default: '7' },
  },
});
const connections = Number(values.connections);
const q3 = QUERIES.find((q) => q.name === 'Q3');
if (q3 === undefined || !q3.text.startsWith('{ playlists(')) throw new Error('expected Q3 to start with "{ playlists("');

let sent = 0;
/** Q3 with the alias `a<n>` on its root field: a document text the gateway has not seen. */
const nextBody = () => JSON.stringify({ query: `{ a${sent++}: ${q3.text.slice(2)}` });

const pinned = cpus().length >= 2 && spawnSync('taskset', ['-cp', '0', String(process.pid)]).status === 0;
const { child: sandbox, ready } = await Child.start<SandboxReady>('sandbox', 'sandbox-process.ts', { pin: pinned ? 1 : null });
try {
  const port = await startGateway({ sandboxUrl: ready.url, cacheTtlMs: 600_000 });
  const once = async () => {
    const res = await request(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      body: nextBody(),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ready.aliceToken}` },
    });
    const text = await res.body.text();
    if (res.statusCode !== 200 || text.includes('"errors"')) throw new Error(`expected data, got ${res.statusCode} ${text.slice(0, 300)}`);
  };
  // `count` requests over `connections` loops, each sending one request at a time.
  const run = (count: number) => {
    let left = count;
    const loop = async () => {
      while (left-- > 0) await once();
    };
    return Promise.all(Array.from({ length: connections }, loop));
  };
  await run(WARMUP);
  const cpuMs: number[] = [];
  const rps: number[] = [];
  for (let b = 0; b < Number(values.blocks); b++) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    await run(BLOCK);
    const used = process.cpuUsage(cpu);
    rps.push(BLOCK / ((performance.now() - started) / 1000));
    cpuMs.push((used.user + used.system) / 1000 / BLOCK);
  }
  const summary = (xs: number[], digits: number) => {
    const sorted = [...xs].sort((x, y) => x - y);
    return `min ${sorted[0]!.toFixed(digits)}, median ${sorted[sorted.length >> 1]!.toFixed(digits)}, max ${sorted.at(-1)!.toFixed(digits)}`;
  };
  console.log(`gateway Q3, a new document per request, ${connections} connection(s), upstream warm, ${pinned ? 'pinned' : 'not pinned'}`);
  console.log(`  requests/s:         ${summary(rps, 1)}`);
  console.log(`  CPU ms per request: ${summary(cpuMs, 2)}`);
} finally {
  await sandbox.stop();
}
process.exit(0);
