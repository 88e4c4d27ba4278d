// Child process: one peer kind (argv[2]) on loopback, one server per entry of BENCH_PEER_SETTINGS
// (a JSON array: one per benchmark mode, each with its own caches). Counts its HTTP requests
// through node:http's diagnostics channels, so every peer is counted the same way whoever creates
// its server, and samples its resident set size. A peer whose servers are other programs
// (`tailcall`: its binary, one per mode) reports their CPU and RSS instead, and no served count.
import { subscribe } from 'node:diagnostics_channel';
import type { ServerResponse } from 'node:http';
import { serveParent } from './ipc.js';
import type { PeerKind, PeerModule, PeerSettings } from './peers/types.js';

/** What a peer process reports on a `stats` call. */
export interface PeerStats {
  /**
   * HTTP responses finished since start; null when the servers are other programs
   * (`PeerModule.servers`), whose answers the harness counts at the load generator instead.
   */
  readonly served: number | null;
  /** Requests started whose response is not yet finished or aborted. */
  readonly inflight: number;
  /** process.cpuUsage() since start (or the server programs' CPU), µs. */
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
  tailcall: async () => (await import('./peers/tailcall.js')).tailcall,
};
const RSS_SAMPLE_MS = 20;

const kind = process.argv[2] as PeerKind;
const load = PEERS[kind];
if (load === undefined) throw new Error(`unknown peer kind ${kind}`);
const settings = JSON.parse(process.env.BENCH_PEER_SETTINGS ?? '[]') as PeerSettings[];

let served = 0;
let inflight = 0;
subscribe('http.server.request.start', (message) => {
  inflight++;
  (message as { response: ServerResponse }).response.once('close', () => inflight--);
});
subscribe('http.server.response.finish', () => {
  served++;
});

const { start, stop = async () => {}, servers } = await load();
const rss = servers ? () => servers.rss() : () => process.memoryUsage.rss();
let peakRss = rss();
setInterval(() => {
  peakRss = Math.max(peakRss, rss());
}, RSS_SAMPLE_MS).unref();
const ports: number[] = [];
for (const each of settings) ports.push(await start(each));
serveParent(
  { ports },
  {
    stats: ({ resetPeak }): PeerStats => {
      const now = rss();
      const stats = {
        served: servers ? null : served,
        inflight,
        cpu: servers ? servers.cpu() : process.cpuUsage(),
        peakRss: Math.max(peakRss, now),
      };
      if (resetPeak === true) peakRss = now;
      return stats;
    },
  },
  stop,
);
