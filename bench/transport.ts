// `npm run bench:transport -- [--latency ms] [--blocks n] [--bare]`: CPU per upstream call, without GraphQL.
// The three rounds of a cold Q3 (the playlists' list, the 20 playlists' entries at once, the media
// list's pages at once) through the gateway's own viewneo client, transport, metrics, throttle and
// circuits, one round trip at a time against the sandbox in a child process (CPU 1; this process
// pinned to CPU 0). Prints the CPU time of this process per upstream call, as the minimum and
// median of blocks of 100 round trips after 100 warm-up ones. What the GraphQL layer costs on top
// is the difference to `npm run bench:loop`. `--bare`: the same calls by a bare client (undici's
// dispatcher and `JSON.parse`, nothing else), the floor any client on undici pays.
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { Agent } from 'undici';
import { hashToken } from '../src/auth/token-hash.js';
import { createServices } from '../src/services.js';
import { Child } from './ipc.js';
import { sandboxAdmin } from './measure.js';
import { benchConfig } from './peers/gateway.js';
import type { SandboxReady } from './sandbox-process.js';

const WARMUP = 100;
const BLOCK = 100;
const PLAYLISTS = 20;

const { values } = parseArgs({
  options: {
    latency: { type: 'string', default: '0' },
    blocks: { type: 'string', default: '7' },
    bare: { type: 'boolean', default: false },
  },
});

const pinned = cpus().length >= 2 && spawnSync('taskset', ['-cp', '0', String(process.pid)]).status === 0;
const { child: sandbox, ready } = await Child.start<SandboxReady>('sandbox', 'sandbox-process.ts', { pin: pinned ? 1 : null });
const services = createServices(benchConfig({ sandboxUrl: ready.url, cacheTtlMs: 0 }));
try {
  await sandboxAdmin.setLatency(ready.url, Number(values.latency));
  const { client } = services;
  const token = ready.aliceToken;
  let calls = 0;
  // As a request's session calls: the token's hash computed once.
  const scope = { tokenHash: hashToken(token), onCall: () => calls++ };
  let mediaPages = 0;
  const mediaPlan = { onPages: (pages: number) => (mediaPages = pages) };
  const gateway = async () => {
    const playlists = (await client.listPlaylists(token, scope)).slice(0, PLAYLISTS);
    await Promise.all(playlists.map((p) => client.listPlaylistEntries(token, p.id, scope)));
    await client.listMediaFiles(token, { ...scope, ...mediaPlan, ...(mediaPages > 0 ? { expectedPages: mediaPages } : {}) });
  };
  const get = bareClient(token, () => calls++);
  const bare = async () => {
    const api = `${ready.url}/api/v1.0`;
    const playlists = (await get(`${api}/playlist`)) as { id: number }[];
    await Promise.all(playlists.slice(0, PLAYLISTS).map((p) => get(`${api}/playlist/${p.id}/playlistentry`)));
    await Promise.all([1, 2, 3, 4].map((page) => get(`${api}/mediafile?page=${page}`)));
  };
  const once = values.bare ? bare : gateway;
  for (let i = 0; i < WARMUP; i++) await once();
  const perCall: number[] = [];
  const callsPerTrip: number[] = [];
  for (let b = 0; b < Number(values.blocks); b++) {
    calls = 0;
    const cpu = process.cpuUsage();
    for (let i = 0; i < BLOCK; i++) await once();
    const used = process.cpuUsage(cpu);
    perCall.push((used.user + used.system) / calls);
    callsPerTrip.push(calls / BLOCK);
  }
  const summary = (xs: number[]) => {
    const sorted = [...xs].sort((x, y) => x - y);
    return `min ${sorted[0]!.toFixed(1)}, median ${sorted[sorted.length >> 1]!.toFixed(1)}`;
  };
  console.log(
    `${values.bare ? 'bare client' : 'transport'}, Q3's three rounds (${callsPerTrip[0]} calls), sandbox latency ${values.latency} ms, ${pinned ? 'pinned' : 'not pinned'}`,
  );
  console.log(`  CPU µs per upstream call: ${summary(perCall)}`);
} finally {
  await services.close();
  await sandbox.stop();
}
process.exit(0);

/** GET and `JSON.parse` on undici's dispatcher, and nothing else: no timeout, retry, budget or metric. */
function bareClient(token: string, onCall: () => void): (url: string) => Promise<unknown> {
  const agent = new Agent({ keepAliveTimeout: 30_000 });
  const headers = { accept: 'application/json', authorization: `Bearer ${token}` };
  return (url) =>
    new Promise((resolve, reject) => {
      onCall();
      const cut = url.indexOf('/', url.indexOf('//') + 2);
      const chunks: Buffer[] = [];
      agent.dispatch(
        { origin: url.slice(0, cut), path: url.slice(cut), method: 'GET', headers },
        {
          onConnect: () => {},
          onHeaders: () => true,
          onData: (chunk: Buffer) => chunks.push(chunk) > 0,
          onComplete: () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))),
          onError: reject,
        },
      );
    });
}
