// Child process: one peer kind (argv[2]) on loopback, one server per entry of BENCH_PEER_SETTINGS
// (a JSON array: one per benchmark mode, each with its own caches). Counts its HTTP requests
// through node:http's diagnostics channels, so every peer is counted the same way whoever creates
// its server, and samples its resident set size.
import { subscribe } from 'node:diagnostics_channel';
import type { ServerResponse } from 'node:http';
import { serveParent } from './ipc.js';
import type { PeerKind, PeerModule, PeerSettings } from './peers/types.js';

/** What a peer process reports on a `stats` call. */
export interface PeerStats {
  /** HTTP responses finished since start. */
  readonly served: number;
  /** Requests started whose response is not yet finished or aborted. */
  readonly inflight: number;
  /** process.cpuUsage() since start, µs. */
  readonly cpu: NodeJS.CpuUsage;
  /** Largest resident set size seen since the last `resetPeak`, bytes. */
  readonly peakRss: number;
}

// Imported on demand, so that a peer's process loads (and its RSS holds) only that peer's code.
const PEERS: Record<PeerKind, () => Promise<PeerModule>> = {
  gateway: async () => ({ start: (await import('./peers/gateway.js')).startGateway }),
  'gateway-redis': async () => (await import('./peers/gateway-redis.js')).gatewayRedis,
  'node-limit': async () => ({ start: (await import('./peers/node-limit.js')).startNodeLimit }),
  'rest-floor': async () => ({ start: (await import('./peers/rest-floor.js')).startRestFloor }),
  naive: async () => ({ start: (await import('./peers/naive.js')).startNaive }),
  apollo: async () => ({ start: (await import('./peers/apollo.js')).startApollo }),
};
const RSS_SAMPLE_MS = 20;

const kind = process.argv[2] as PeerKind;
const load = PEERS[kind];
if (load === undefined) throw new Error(`unknown peer kind ${kind}`);
const settings = JSON.parse(process.env.BENCH_PEER_SETTINGS ?? '[]') as PeerSettings[];

let served = 0;
let inflight = 0;
let peakRss = process.memoryUsage.rss();
subscribe('http.server.request.start', (message) => {
  inflight++;
  (message as { response: ServerResponse }).response.once('close', () => inflight--);
});
subscribe('http.server.response.finish', () => {
  served++;
});
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, RSS_SAMPLE_MS).unref();

const { start, stop = async () => {} } = await load();
const ports: number[] = [];
for (const each of settings) ports.push(await start(each));
serveParent(
  { ports },
  {
    stats: ({ resetPeak }): PeerStats => {
      const stats = { served, inflight, cpu: process.cpuUsage(), peakRss: Math.max(peakRss, process.memoryUsage.rss()) };
      if (resetPeak === true) peakRss = process.memoryUsage.rss();
      return stats;
    },
  },
  stop,
);
