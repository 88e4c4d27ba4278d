import { spawnSync } from 'node:child_process';
import { request } from 'undici';
import { Child } from './ipc.js';
import { sandboxAdmin } from './measure.js';
import { startGateway } from './peers/gateway.js';
import { QUERIES, requestBody } from './queries.js';
import type { SandboxReady } from './sandbox-process.js';

spawnSync('taskset', ['-cp', '0', String(process.pid)]);
const { child: sandbox, ready } = await Child.start<SandboxReady>('sandbox', 'sandbox-process.ts', { pin: 1 });
const port = await startGateway({ sandboxUrl: ready.url, cacheTtlMs: 0 });
const body = requestBody(QUERIES[3]!);
const once = async () => {
  const res = await request(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ready.aliceToken}` },
  });
  await res.body.text();
};
const measure = async (label: string) => {
  const ls: number[] = [];
  const c0 = process.cpuUsage();
  for (let i = 0; i < 150; i++) {
    const t = performance.now();
    await once();
    ls.push(performance.now() - t);
  }
  const c = process.cpuUsage(c0);
  ls.sort((a, b) => a - b);
  console.log(label, 'p50', ls[75]!.toFixed(1), 'cpu/req', ((c.user + c.system) / 1000 / 150).toFixed(1));
};
await sandboxAdmin.setLatency(ready.url, 20);
await measure('fresh');
await measure('fresh2');
const phase = async (lat: number, secs: number) => {
  await sandboxAdmin.setLatency(ready.url, lat);
  const end = Date.now() + secs * 1000;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (Date.now() < end) await once();
    }),
  );
  await sandboxAdmin.setLatency(ready.url, 20);
};
await phase(0, 6);
await measure('after 16-conn 0ms');
await phase(20, 6);
await measure('after 16-conn 20ms');
(globalThis as any).gc();
await measure('after gc()');
await phase(20, 6);
await measure('after 16-conn 20ms (2)');
await sandbox.stop();
process.exit(0);
