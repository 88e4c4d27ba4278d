// `npm run bench [-- --quick]`: starts the sandbox, the load generator, a throwaway redis-server and
// each peer as child processes on loopback, measures every (query, mode, latency, peer), writes
// bench/results/latest.* (a quick run: bench/results/quick/latest.*, git-ignored, so that it never
// replaces the committed results) and stops every child, also on error, SIGINT or SIGTERM. See bench/README.md.
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { Child, killAllNow, type Pin, stopAll, stopOnSignalsAndDeadline } from './ipc.js';
import { type Burst, burst, type Mode, measureRow, type Peer, peerStats, post, type Rig, type Row, sandboxAdmin } from './measure.js';
import { REPO_ROOT } from './paths.js';
import { PEER_NAMES, type PeerKind, type PeerName } from './peers/types.js';
import { pinning } from './pinning.js';
import { measurePipeline } from './pipeline-rows.js';
import { minUpstreamCalls, QUERIES, type QueryName } from './queries.js';
import { type BenchRedis, killRedisNow, startRedis } from './redis-server.js';
import { type CriticalPath, criticalPath, type Meta, ratios, writeResults } from './report.js';
import type { SandboxReady } from './sandbox-process.js';
import { type Sharing, series, sharing } from './sharing.js';
import { measureThrottled } from './throttle-row.js';
import { wrkVersion } from './wrk.js';

interface Plan {
  readonly durationS: number;
  readonly warmupS: number;
  /** Measured seconds of each one-connection critical-path row. */
  readonly criticalPathS: number;
  /** Warm-up seconds of those rows: long enough for V8 to optimise a peer that has served nothing yet. */
  readonly criticalPathWarmupS: number;
  /** The peers of the burst check. */
  readonly burstPeers: readonly PeerName[];
  /** The queries gateway-redis-2 runs (in every mode and latency of the plan). */
  readonly scaleOutQueries: readonly QueryName[];
  /** How long each peer of the throttled section gets for a complete answer (throttle-row.ts). */
  readonly throttledGiveUpMs: number;
  /** Warm-up and measured seconds of each row of the wrk section (pipeline-rows.ts): whole seconds, as wrk takes them. */
  readonly pipeline: { readonly warmupS: number; readonly durationS: number };
  /** Upper bound of the whole run; past it the run fails and stops its children. */
  readonly deadlineMs: number;
  /** Per mode, in order: which queries run at which sandbox latency. */
  readonly modes: readonly { mode: Mode; runs: readonly { latencyMs: number; queries: readonly QueryName[] }[] }[];
}

const ALL: readonly QueryName[] = ['Q0', 'Q1', 'Q2', 'Q3'];
const PLANS: Record<'full' | 'quick', Plan> = {
  full: {
    durationS: 4,
    warmupS: 1,
    criticalPathS: 6,
    criticalPathWarmupS: 3,
    // node-limit answers from its stored bytes: a burst of it says nothing about upstream calls.
    burstPeers: PEER_NAMES.filter((name) => name !== 'node-limit'),
    scaleOutQueries: ALL,
    throttledGiveUpMs: 30_000,
    pipeline: { warmupS: 2, durationS: 5 },
    deadlineMs: 25 * 60_000,
    modes: (['cold', 'warm', 'rotating'] as const).map((mode) => ({
      mode,
      runs: [
        { latencyMs: 0, queries: ALL },
        { latencyMs: 20, queries: ALL },
      ],
    })),
  },
  quick: {
    durationS: 0.4,
    warmupS: 0.2,
    criticalPathS: 0.5,
    criticalPathWarmupS: 0.5,
    // The naive peer's burst alone makes 22,400 upstream calls.
    burstPeers: ['gateway', 'gateway-redis-2'],
    // Q3 only: all four took the quick run to just under a minute; Q3 is where sharing shows.
    scaleOutQueries: ['Q3'],
    throttledGiveUpMs: 5_000,
    pipeline: { warmupS: 1, durationS: 2 },
    deadlineMs: 4 * 60_000,
    modes: [
      { mode: 'cold', runs: [{ latencyMs: 0, queries: ALL }] },
      { mode: 'warm', runs: [{ latencyMs: 0, queries: ALL }] },
    ],
  },
};
const CONNECTIONS = 16;
// Warm and rotating runs must stay within the TTL: long enough for the whole run.
const CACHE_TTL_MS: Record<Mode, number> = { cold: 0, warm: 600_000, rotating: 600_000 };
const BURST_REQUESTS = 100;
const CRITICAL_PATH_LATENCY_MS = 20;

const quick = process.argv.includes('--quick');
/** Where the run writes latest.*: the committed results for a full run, a git-ignored directory for a quick one. */
const RESULTS_DIR = new URL(quick ? 'bench/results/quick/' : 'bench/results/', REPO_ROOT);
const plan = PLANS[quick ? 'quick' : 'full'];
const began = Date.now();

function log(line: string): void {
  console.log(`[${((Date.now() - began) / 1000).toFixed(1).padStart(5)} s] ${line}`);
}

/** The commit the run measured, and whether the working tree differed from it. */
function gitState(): { commit: string; dirty: boolean } {
  const git = (...args: string[]) => spawnSync('git', args, { encoding: 'utf8' }).stdout?.trim() ?? '';
  return { commit: git('rev-parse', 'HEAD') || 'unknown', dirty: git('status', '--porcelain') !== '' };
}

/**
 * The processes of a peer: one, except gateway-redis-2's two replicas. The replicas are
 * separate processes, as replicas are in production: two in one process would share one event
 * loop and one core, which is no scale-out. One runs on the peers' CPU, the other on the helpers'.
 */
function processesOf(name: PeerName, pins: { peer: Pin; helpers: Pin }): { kind: PeerKind; pin: Pin }[] {
  if (name === 'gateway-redis-2')
    return [
      { kind: 'gateway-redis', pin: pins.peer },
      { kind: 'gateway-redis', pin: pins.helpers },
    ];
  return [{ kind: name, pin: pins.peer }];
}

/**
 * Every peer's processes, each serving one server (with its own caches) per mode; resolves
 * with each mode's peers. gateway-redis-2's servers use `redis`, one key prefix per mode.
 */
async function startPeers(
  sandboxUrl: string,
  redis: BenchRedis,
  modes: readonly Mode[],
  pins: { peer: Pin; helpers: Pin },
): Promise<Map<Mode, Peer[]>> {
  const settings = modes.map((mode) => ({
    sandboxUrl,
    cacheTtlMs: CACHE_TTL_MS[mode],
    redis: { url: redis.url, keyPrefix: `bench-${mode}:` },
  }));
  const started = await Promise.all(
    PEER_NAMES.map(async (name: PeerName) => {
      const processes = processesOf(name, pins);
      const replicas = await Promise.all(
        processes.map(async ({ kind, pin }, i) => {
          const { child, ready } = await Child.start<{ ports: number[] }>(
            processes.length > 1 ? `${name} replica ${i + 1}` : name,
            'peer-process.ts',
            {
              args: [kind],
              env: { BENCH_PEER_SETTINGS: JSON.stringify(settings), NODE_ENV: 'production' },
              pin,
            },
          );
          return { child, ports: ready.ports };
        }),
      );
      return { name, replicas };
    }),
  );
  return new Map(
    modes.map((mode, i) => [
      mode,
      started.map(
        ({ name, replicas }): Peer => ({
          name,
          replicas: replicas.map(({ child, ports }) => ({ child, url: `http://127.0.0.1:${ports[i]}/graphql` })),
          ...(replicas.length > 1 ? { sidecarCpu: () => redis.cpu() } : {}),
        }),
      ),
    ]),
  );
}

let redis: BenchRedis | undefined;

/** Stops every child process and the redis-server, the peers first (they close their Redis connections). */
async function stopEverything(): Promise<void> {
  await stopAll();
  await redis?.stop();
}

async function main(): Promise<void> {
  const pins = pinning();
  // The wrk section comes last: a missing wrk fails the run now, not after the other rows.
  wrkVersion();
  const git = gitState();
  const loadBefore = loadavg()[0]!;
  const min = minUpstreamCalls();
  const [sandbox, load] = await Promise.all([
    Child.start<SandboxReady>('sandbox', 'sandbox-process.ts', { pin: pins.helpers }),
    Child.start<null>('load generator', 'load-process.ts', { pin: pins.helpers }),
  ]);
  const { url: sandboxUrl, aliceToken, benchTokens } = sandbox.ready;
  redis = await startRedis(pins.helpers);
  // All peers start up front, together (starting is CPU-heavy; idle servers cost nothing).
  const peersByMode = await startPeers(
    sandboxUrl,
    redis,
    plan.modes.map((m) => m.mode),
    pins,
  );
  log(`sandbox, load generator, redis-server ${redis.version} and ${PEER_NAMES.length} peers started`);
  const startRss: Record<string, number> = {};
  for (const peer of peersByMode.get(plan.modes[0]!.mode)!) {
    startRss[peer.name] = round2((await peerStats(peer)).peakRss / 2 ** 20);
  }
  const rig: Rig = { sandboxUrl, sandbox: sandbox.child, load: load.child, reference: new Map() };
  const rows: Row[] = [];
  const bursts: Burst[] = [];
  const shared: Sharing[] = [];
  const critical: CriticalPath[] = [];
  const q3 = QUERIES.find((q) => q.name === 'Q3')!;
  const report = (row: Row) =>
    log(
      `${row.query} ${row.mode} ${row.latencyMs} ms ${row.peer}: ${row.rps} rps${row.replicaRps ? ` (${row.replicaRps.join(' + ')})` : ''}, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, ${row.upstreamCallsPerQuery} calls/query, ${row.cpuMsPerRequest} CPU ms/req, errors ${row.errors}, correct ${row.correct}`,
    );

  for (const { mode, runs } of plan.modes) {
    const peers = peersByMode.get(mode)!;
    const gateway = peers.find((p) => p.name === 'gateway')!;
    // The gateway's answers are the reference; taken once, from the first mode's fresh gateway.
    if (rig.reference.size === 0) {
      for (const query of QUERIES)
        rig.reference.set(query.name, JSON.parse((await post(gateway.replicas[0]!.url, query, aliceToken)).text));
    }
    if (mode === 'warm') {
      // Fresh processes with their caches on: the burst check's cold first hit.
      await sandboxAdmin.setLatency(sandboxUrl, 0);
      for (const peer of peers.filter((p) => plan.burstPeers.includes(p.name))) {
        bursts.push(await burst(rig, peer, q3, aliceToken, BURST_REQUESTS));
        log(`burst ${peer.name}: ${JSON.stringify(bursts.at(-1))}`);
      }
      // A token the warm servers never see otherwise (rotating mode has servers of its own).
      for (const peer of peers.filter((p) => p.replicas.length > 1)) {
        shared.push(await sharing(rig, peer, q3, benchTokens[0]!, rig.reference.get('Q3')));
        log(`sharing ${peer.name}: ${JSON.stringify(shared.at(-1))}`);
      }
    }
    const tokens = mode === 'rotating' ? benchTokens : [aliceToken];
    if (mode === 'cold') {
      // First, on servers that have served nothing else yet: what they measure is the waves, not
      // what the heavy rows left behind (bench/README.md).
      await sandboxAdmin.setLatency(sandboxUrl, CRITICAL_PATH_LATENCY_MS);
      // One connection cannot be split over replicas, and cold gateway-redis-2 is the gateway twice;
      // node-limit answers stored bytes: it has no waves.
      for (const peer of peers.filter((p) => p.replicas.length === 1 && p.name !== 'node-limit')) {
        const run = {
          mode,
          latencyMs: CRITICAL_PATH_LATENCY_MS,
          tokens,
          connections: 1,
          durationS: plan.criticalPathS,
          warmupS: plan.criticalPathWarmupS,
        };
        const row = await measureRow(rig, peer, q3, { ...run, minUpstreamCalls: min.Q3 });
        critical.push(criticalPath(row));
        report(row);
      }
    }
    for (const { latencyMs, queries } of runs) {
      await sandboxAdmin.setLatency(sandboxUrl, latencyMs);
      for (const peer of peers) {
        const planned = peer.name === 'gateway-redis-2' ? queries.filter((q) => plan.scaleOutQueries.includes(q)) : queries;
        for (const query of QUERIES.filter((q) => planned.includes(q.name))) {
          const row = await measureRow(rig, peer, query, {
            mode,
            latencyMs,
            tokens,
            connections: CONNECTIONS,
            durationS: plan.durationS,
            warmupS: plan.warmupS,
            minUpstreamCalls: min[query.name],
          });
          rows.push(row);
          report(row);
        }
      }
    }
  }

  const redisErrors: Record<string, Record<string, number>> = {};
  for (const [mode, peers] of peersByMode) {
    const errors: Record<string, number> = {};
    for (const replica of peers.find((p) => p.name === 'gateway-redis-2')?.replicas ?? []) {
      for (const [labels, n] of Object.entries(await series(replica.url, 'gateway_redis_errors_total'))) {
        const operation = /operation="([^"]*)"/.exec(labels)?.[1] ?? labels;
        if (n > 0) errors[operation] = (errors[operation] ?? 0) + n;
      }
    }
    redisErrors[mode] = errors;
  }
  const meta: Meta = {
    date: new Date(began).toISOString(),
    command: `npm run bench${quick ? ' -- --quick' : ''}`,
    gitCommit: git.commit,
    gitDirty: git.dirty,
    quick,
    node: process.version,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    pinning: pins.description,
    connections: CONNECTIONS,
    durationS: plan.durationS,
    warmupS: plan.warmupS,
    latenciesMs: [...new Set(plan.modes.flatMap((m) => m.runs.map((r) => r.latencyMs)))],
    modes: plan.modes.map((m) => m.mode),
    cacheTtlMs: CACHE_TTL_MS,
    rotatingTokens: benchTokens.length,
    peerStartRssMb: startRss,
    redis: `redis-server ${redis.version}, no persistence, ${pins.helpers === null ? 'not pinned' : `CPU ${pins.helpers}`}; REDIS_TIMEOUT_MS 50 (default), key prefix per mode, UPSTREAM_RATE_PER_MINUTE=0`,
    redisErrors,
    loadAverage: [round2(loadBefore), round2(loadavg()[0]!)],
  };
  // The main rows' peers are done: stopped, so that their idle timers do not share CPU 0 with the wrk section's peers.
  await Promise.all([...new Set([...peersByMode.values()].flat().flatMap((p) => p.replicas.map((r) => r.child)))].map((c) => c.stop()));
  log(
    `answers no whole-result cache holds, with wrk: ${plan.pipeline.warmupS} s warm-up and ${plan.pipeline.durationS} s per row and peer`,
  );
  const pipeline = await measurePipeline({
    sandboxUrl,
    token: aliceToken,
    otherToken: benchTokens[0]!,
    load: load.child,
    pins,
    ...plan.pipeline,
    onRow: (row) => log(`wrk ${JSON.stringify(row)}`),
  });
  // Last: its peers run in this process, and its sandbox is as strict as viewneo.
  log(`the real-size account under viewneo's throttle, up to ${plan.throttledGiveUpMs / 1000} s per peer`);
  const throttled = {
    giveUpMs: plan.throttledGiveUpMs,
    rows: await measureThrottled(plan.throttledGiveUpMs, (row) => log(`throttled ${JSON.stringify(row)}`)),
  };
  await writeResults(RESULTS_DIR, {
    meta,
    rows,
    ratios: ratios(rows),
    burst: bursts,
    sharing: shared,
    criticalPath: critical,
    pipeline,
    throttled,
  });
  log(`wrote ${new URL('latest.md', RESULTS_DIR).pathname} (and latest.json, latest.svg)`);
  if (quick) log('a quick run: bench/results/latest.* (the committed results) left as they were');
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

process.once('exit', () => {
  killAllNow();
  killRedisNow();
});
const cancelDeadline = stopOnSignalsAndDeadline(stopEverything, plan.deadlineMs, 'the benchmark');

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  cancelDeadline();
  await stopEverything();
}
// The throttled section's peers served in this process and have no way to be closed.
process.exit();
