// `npm run soak [-- --quick | --minutes N] [--pin]`: minutes of mixed load (reads, writes, uploads, SSE
// subscriptions, several tokens) on loopback against the compiled gateway in its own process
// (NODE_ENV=production, REDIS_URL on a throwaway redis-server), through phases of upstream faults
// (503s, connection resets, latency spikes, injected into the in-process sandbox) and Redis outages
// (SIGTERM, SIGKILL, then a restart on the same port), each followed by a clean phase. Reports
// errors per phase, latencies per operation, the gateway's memory and whether it recovered, in
// bench/results/soak/latest.{json,md} (a quick run: bench/results/quick/soak/, git-ignored), and
// stops every child, also on error, SIGINT or SIGTERM. See bench/README.md.
import { spawnSync } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { ALICE, BOB, benchAccount, CAROL } from '../src/sandbox/data.js';
import { mulberry32 } from '../src/sandbox/faults.js';
import { type Fault, type Sandbox, startSandbox } from '../src/sandbox/server.js';
import type { Pin } from './ipc.js';
import { REPO_ROOT } from './paths.js';
import {
  EVENT_DELAY_OP,
  isOk,
  isShed,
  isUnexpected,
  type Load,
  type Outcome,
  outcomeKey,
  Renames,
  reader,
  STREAM_OP,
  subscriber,
  uploader,
  writer,
} from './soak/load.js';
import {
  byLabel,
  canPin,
  type GatewayLogLine,
  type GatewayProcess,
  killRigNow,
  type Series,
  type SoakRedis,
  startGatewayProcess,
  startSoakRedis,
  total,
} from './soak/rig.js';

// The load. Reader tokens include the writers', so that reads see the writes' invalidations.
const BENCH_ACCOUNTS = 20;
const READERS = 6;
const READ_PAUSE_MS = 10;
const WRITER_ACCOUNTS = [1, 2, 3, 4];
const WRITE_PAUSE_MS = 100;
const UPLOADER_ACCOUNTS = [5, 6];
const UPLOAD_BYTES = 64 * 1024;
const UPLOAD_PAUSE_MS = 250;
/** Each writer renames these playlists, and one subscriber per writer and playlist watches them. */
const RENAMED_PLAYLISTS = [1001, 1002, 1003];
const ENTRIES_PLAYLIST = 1004;
// A physical file of alice's data set, which every bench account copies.
const MEDIA_FILE_ID = 2006;
const SAMPLE_MS = 2_000;
/** Errors in the first seconds of a clean phase are allowed (in-flight retries, an open circuit's cooldown of 5 s). */
const GRACE_S = 6;
const UNEXPECTED_SAMPLES = 12;
const LOG_SAMPLES = 10;

const GATEWAY_ENV = {
  NODE_ENV: 'production',
  GATEWAY_SECRET: 'soak-only-secret-not-for-production-use',
  LOG_LEVEL: 'warn',
  // The sandbox's limit is lifted, but its headers still report viewneo's 60 a minute, which would
  // lower any budget to 60 and answer the load RATE_LIMITED: no budget, as in the benchmark.
  UPSTREAM_RATE_PER_MINUTE: '0',
};

type PhaseKind = 'clean' | 'upstream' | 'redis';

/** One phase of the run: what it does to the gateway's surroundings, and its share of the run's time. */
interface PhasePlan {
  readonly name: string;
  readonly kind: PhaseKind;
  /** What is broken during the phase ('' when nothing is). */
  readonly fault: string;
  readonly share: number;
  begin(): Promise<void>;
  end(): Promise<void>;
}

/** The exchanges of one operation in one phase: their durations and outcome counts. */
interface OpTally {
  readonly latencies: number[];
  readonly outcomes: Map<string, number>;
}

/** What happened in one phase, as it runs. */
interface PhaseRun {
  readonly plan: PhasePlan;
  readonly index: number;
  readonly startedAt: number;
  endedAt: number;
  readonly ops: Map<string, OpTally>;
  /** Start and end (epoch ms) of each exchange that failed (not counting those the gateway shed). */
  readonly failures: { start: number; end: number }[];
  /** Exchanges the gateway shed (503 OVERLOADED). */
  shed: number;
  readonly unexpected: { op: string; outcome: string; message: string; atS: number }[];
  unexpectedCount: number;
  readonly logs: Map<string, number>;
  before?: Snapshot;
  after?: Snapshot;
  upstreamCalls: number;
  /** Seconds from this phase's start until the gateway reported Redis up again (after a Redis phase). */
  redisUpAfterS?: number | null;
}

/** The gateway's figures at one instant (after a full GC when taken with one). */
interface Snapshot {
  readonly atS: number;
  readonly series: Series;
  readonly rssMb: number;
  readonly heapUsedMb: number;
  /** How long the forced GC took, as this process saw it (ms; 0 without one). */
  readonly gcMs: number;
  readonly soakCpu: NodeJS.CpuUsage;
}

/** One periodic reading of the gateway's /metrics. */
interface Sample {
  atS: number;
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  eventLoopLagP99Ms: number;
  subscriptions: number;
  pollers: number;
  upstreamInFlight: number;
  redisUp: number;
}

const MB = 2 ** 20;
const began = Date.now();
const args = parseArgs(process.argv.slice(2));
const RESULTS_DIR = new URL(args.quick ? 'bench/results/quick/soak/' : 'bench/results/soak/', REPO_ROOT);

function log(line: string): void {
  console.log(`[${((Date.now() - began) / 1000).toFixed(1).padStart(6)} s] ${line}`);
}

/** `--quick` (1 minute), `--minutes N` (N > 0), default 5 minutes; `--pin`: pin the processes to CPUs with taskset. */
function parseArgs(argv: readonly string[]): { quick: boolean; minutes: number; pin: boolean } {
  const quick = argv.includes('--quick');
  const pin = argv.includes('--pin');
  const at = argv.indexOf('--minutes');
  const minutes = at >= 0 ? Number(argv[at + 1]) : quick ? 1 : 5;
  if (!(minutes > 0)) throw new Error(`--minutes needs a number of minutes > 0, got ${argv[at + 1]}`);
  const unknown = argv.filter((a, i) => !['--quick', '--pin', '--minutes'].includes(a) && argv[i - 1] !== '--minutes');
  if (unknown.length > 0) throw new Error(`unknown arguments: ${unknown.join(' ')} (use --quick, --minutes N, --pin)`);
  return { quick, minutes, pin };
}

function clean(name: string, share: number): PhasePlan {
  return { name, kind: 'clean', fault: '', share, begin: async () => {}, end: async () => {} };
}

function upstreamFault(name: string, fault: Fault, description: string, sandbox: Sandbox): PhasePlan {
  return {
    name,
    kind: 'upstream',
    fault: description,
    share: 0.1,
    begin: async () => sandbox.injectFault(fault),
    end: async () => sandbox.clearFaults(),
  };
}

function redisOutage(signal: 'SIGTERM' | 'SIGKILL', redis: SoakRedis): PhasePlan {
  return {
    name: `redis ${signal}`,
    kind: 'redis',
    fault: `redis-server stopped with ${signal}, started again on the same port at the phase's end`,
    share: 0.08,
    begin: () => redis.stop(signal),
    end: () => redis.start(),
  };
}

/** The phases, in order: a warm-up, then each fault followed by a clean phase to recover in. */
function phasePlans(sandbox: Sandbox, redis: SoakRedis): PhasePlan[] {
  return [
    clean('warm-up', 0.12),
    upstreamFault('upstream 503', { kind: 'status', status: 503, rate: 0.3 }, '30 % of viewneo calls answer 503', sandbox),
    clean('recovery 1', 0.08),
    upstreamFault('upstream reset', { kind: 'reset', rate: 0.15 }, '15 % of viewneo calls have their connection reset', sandbox),
    clean('recovery 2', 0.08),
    upstreamFault('latency spikes', { kind: 'latency', ms: 1500, rate: 0.2 }, '20 % of viewneo calls take 1.5 s longer', sandbox),
    clean('recovery 3', 0.08),
    redisOutage('SIGTERM', redis),
    clean('recovery 4', 0.08),
    redisOutage('SIGKILL', redis),
    clean('recovery 5', 0.1),
  ];
}

/** Starts every worker of the load; resolves when all of them have stopped (after `load.stop`). */
function startLoad(load: Load, holdMs: readonly [number, number]): Promise<unknown> {
  const readerTokens = [ALICE.token, BOB.token, CAROL.token, ...range(BENCH_ACCOUNTS).map((n) => benchAccount(n).token)];
  const renames = new Renames();
  const workers: Promise<void>[] = [];
  for (let i = 0; i < READERS; i++) workers.push(reader(load, readerTokens, READ_PAUSE_MS));
  for (const n of WRITER_ACCOUNTS) {
    const token = benchAccount(n).token;
    workers.push(
      writer(
        load,
        { token, renamed: RENAMED_PLAYLISTS, entriesOf: ENTRIES_PLAYLIST, mediaFileId: MEDIA_FILE_ID, pauseMs: WRITE_PAUSE_MS },
        renames,
      ),
    );
    for (const playlistId of RENAMED_PLAYLISTS) workers.push(subscriber(load, { token, playlistId, holdMs }, renames));
  }
  for (const n of UPLOADER_ACCOUNTS) workers.push(uploader(load, benchAccount(n).token, UPLOAD_BYTES, UPLOAD_PAUSE_MS));
  return Promise.all(workers);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

/** The gateway's figures now; after a full GC in it when `gc`. */
async function snapshot(gateway: GatewayProcess, gc: boolean): Promise<Snapshot> {
  const started = performance.now();
  if (gc) await gateway.collectGarbage();
  const gcMs = performance.now() - started;
  const series = await gateway.metrics();
  return {
    atS: (Date.now() - began) / 1000,
    series,
    rssMb: total(series, 'process_resident_memory_bytes') / MB,
    heapUsedMb: total(series, 'nodejs_heap_size_used_bytes') / MB,
    gcMs,
    soakCpu: process.cpuUsage(),
  };
}

function sampleOf(series: Series): Sample {
  return {
    atS: round((Date.now() - began) / 1000, 1),
    rssMb: round(total(series, 'process_resident_memory_bytes') / MB, 1),
    heapUsedMb: round(total(series, 'nodejs_heap_size_used_bytes') / MB, 1),
    heapTotalMb: round(total(series, 'nodejs_heap_size_total_bytes') / MB, 1),
    externalMb: round(total(series, 'nodejs_external_memory_bytes') / MB, 1),
    eventLoopLagP99Ms: round(total(series, 'nodejs_eventloop_lag_p99_seconds') * 1000, 1),
    subscriptions: total(series, 'gateway_subscriptions_active'),
    pollers: total(series, 'gateway_live_pollers'),
    upstreamInFlight: total(series, 'viewneo_upstream_in_flight'),
    redisUp: total(series, 'gateway_redis_up'),
  };
}

/** Seconds until the gateway reports Redis up again (polled every 100 ms), or null after `timeoutMs`. */
async function redisUpAfter(gateway: GatewayProcess, from: number, timeoutMs: number): Promise<number | null> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const up = await gateway.metrics().then(
      (series) => total(series, 'gateway_redis_up') === 1,
      () => false,
    );
    if (up) return round((Date.now() - from) / 1000, 1);
    await sleep(100);
  }
  return null;
}

function newPhaseRun(plan: PhasePlan, index: number): PhaseRun {
  const now = Date.now();
  return {
    plan,
    index,
    startedAt: now,
    endedAt: now,
    ops: new Map(),
    failures: [],
    shed: 0,
    unexpected: [],
    unexpectedCount: 0,
    logs: new Map(),
    upstreamCalls: 0,
  };
}

/** Adds one exchange to the phase it started in. */
function tally(phases: readonly PhaseRun[], op: string, startedAt: number, ms: number, outcome: Outcome): void {
  const phase = [...phases].reverse().find((p) => p.startedAt <= startedAt) ?? phases[0];
  if (phase === undefined) return;
  let ops = phase.ops.get(op);
  if (ops === undefined) {
    ops = { latencies: [], outcomes: new Map() };
    phase.ops.set(op, ops);
  }
  ops.latencies.push(ms);
  const key = outcomeKey(outcome);
  ops.outcomes.set(key, (ops.outcomes.get(key) ?? 0) + 1);
  if (isOk(outcome)) return;
  if (isShed(outcome)) phase.shed++;
  else phase.failures.push({ start: startedAt, end: Date.now() });
  if (!isUnexpected(outcome)) return;
  phase.unexpectedCount++;
  if (phase.unexpected.length < UNEXPECTED_SAMPLES)
    phase.unexpected.push({ op, outcome: key, message: outcome.message ?? '', atS: round((startedAt - began) / 1000, 1) });
}

/** Everything the run collected, for the report. */
interface Collected {
  readonly phases: PhaseRun[];
  readonly samples: Sample[];
  readonly logSamples: string[];
  readonly start: Snapshot;
  readonly end: Snapshot;
  readonly endState: Sample;
  readonly shutdown: string;
  readonly meta: Record<string, unknown>;
}

let sandbox: Sandbox | undefined;
let redis: SoakRedis | undefined;
let gateway: GatewayProcess | undefined;
let shutdown = 'not stopped';

/** Stops the gateway (its graceful shutdown), then Redis and the sandbox; safe to call more than once. */
async function stopEverything(): Promise<void> {
  const [g, r, s] = [gateway, redis, sandbox];
  gateway = redis = sandbox = undefined;
  if (g !== undefined) shutdown = await g.stop();
  await r?.stop('SIGTERM');
  await s?.close();
}

/** Starts the sandbox, redis-server and the gateway (into the module's variables, so that stopEverything finds them). */
async function startRig(pin: boolean): Promise<{ sandbox: Sandbox; redis: SoakRedis; gateway: GatewayProcess }> {
  // The gateway gets CPU 0; this process (sandbox and load) and redis-server share CPU 1. Off by
  // default: on a machine shared with other work, one pinned core starves the gateway more than the load does.
  const [gatewayPin, helperPin]: [Pin, Pin] = pin ? [0, 1] : [null, null];
  if (pin) spawnSync('taskset', ['-cp', '1', String(process.pid)]);
  const s = await startSandbox({ fast: true, benchAccounts: BENCH_ACCOUNTS, rateLimitPerMinute: null, host: '127.0.0.1' });
  sandbox = s;
  const r = await startSoakRedis(helperPin);
  redis = r;
  const env = { PATH: process.env.PATH ?? '', ...GATEWAY_ENV, VIEWNEO_BASE_URL: s.url, REDIS_URL: r.url };
  const g = await startGatewayProcess(env, gatewayPin, onGatewayLog);
  gateway = g;
  log(`sandbox ${s.url}, redis-server ${r.version} at ${r.url}, gateway ${g.origin} (pid ${g.pid})`);
  return { sandbox: s, redis: r, gateway: g };
}

const phases: PhaseRun[] = [];
const logSamples: string[] = [];

/** Counts a gateway log line in the current phase, and keeps the first few that are neither warn nor info. */
function onGatewayLog(line: GatewayLogLine): void {
  const phase = phases.at(-1);
  const key = `${line.level}: ${line.msg}`;
  if (phase !== undefined) phase.logs.set(key, (phase.logs.get(key) ?? 0) + 1);
  if (!['warn', 'info'].includes(line.level) && logSamples.length < LOG_SAMPLES) logSamples.push(line.raw.slice(0, 600));
}

/**
 * Runs the phases in order while the load runs: each begins (its fault), lasts its share of
 * `totalS`, ends (Redis restarted, faults cleared), then the gateway is read after a full GC. Aborts
 * `stop` as the last phase ends.
 */
async function runPhases(
  rig: { sandbox: Sandbox; gateway: GatewayProcess },
  plans: readonly PhasePlan[],
  totalS: number,
  stop: AbortController,
) {
  const shares = plans.reduce((sum, p) => sum + p.share, 0);
  let upstreamBefore = upstreamCalls(rig.sandbox);
  let redisBack: Promise<number | null> | undefined;
  for (const [index, plan] of plans.entries()) {
    const phase = phases[index]!;
    await plan.begin();
    await sleep((totalS * 1000 * plan.share) / shares);
    const exited = rig.gateway.exitStatus();
    if (exited !== null) throw new Error(`the gateway exited during ${plan.name} (${exited})`);
    if (index === plans.length - 1) stop.abort();
    await plan.end();
    phase.endedAt = Date.now();
    phase.upstreamCalls = upstreamCalls(rig.sandbox) - upstreamBefore;
    upstreamBefore += phase.upstreamCalls;
    const next = plans[index + 1] === undefined ? undefined : newPhaseRun(plans[index + 1]!, index + 1);
    if (next !== undefined) phases.push(next);
    if (redisBack !== undefined) phase.redisUpAfterS = await redisBack;
    redisBack = plan.kind === 'redis' && next !== undefined ? redisUpAfter(rig.gateway, next.startedAt, 30_000) : undefined;
    phase.after = await snapshot(rig.gateway, true);
    if (next !== undefined) next.before = phase.after;
    log(phaseLine(phase));
  }
}

/** Reads the gateway's /metrics every SAMPLE_MS into `samples`; answers the function that stops it. */
function sampleEvery(gateway: GatewayProcess, samples: Sample[]): () => void {
  const timer = setInterval(() => {
    gateway.metrics().then(
      (series) => samples.push(sampleOf(series)),
      () => {},
    );
  }, SAMPLE_MS);
  return () => clearInterval(timer);
}

async function main(): Promise<void> {
  const pin = args.pin && canPin() && cpus().length >= 2;
  const loadBefore = loadavg()[0]!;
  const rig = await startRig(pin);
  const redisVersion = rig.redis.version;
  await redisUpAfter(rig.gateway, Date.now(), 10_000);
  const start = await snapshot(rig.gateway, true);
  const stop = new AbortController();
  // Every worker's pause and every open stream listens for the end of the load.
  setMaxListeners(Infinity, stop.signal);
  const load: Load = {
    endpoint: `${rig.gateway.origin}/graphql`,
    stop: stop.signal,
    random: mulberry32(1),
    record: (op, startedAt, ms, outcome) => tally(phases, op, startedAt, ms, outcome),
  };
  const holdMs: [number, number] = args.quick ? [3_000, 8_000] : [10_000, 30_000];
  const samples: Sample[] = [];
  const stopSampling = sampleEvery(rig.gateway, samples);
  const plans = phasePlans(rig.sandbox, rig.redis);
  phases.push({ ...newPhaseRun(plans[0]!, 0), before: start });
  const workers = startLoad(load, holdMs);
  try {
    await runPhases(rig, plans, args.minutes * 60, stop);
  } finally {
    stop.abort();
    stopSampling();
  }
  await Promise.race([workers, sleep(45_000)]);
  // Idle: every stream closed, every poller and upstream call should be gone by now.
  await sleep(3_000);
  const end = await snapshot(rig.gateway, true);
  await stopEverything();
  log(`gateway stopped: ${shutdown}`);
  const meta = {
    date: new Date(began).toISOString(),
    command: `npm run soak${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    ...gitState(),
    minutes: args.minutes,
    quick: args.quick,
    node: process.version,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    pinning: pin ? 'gateway on CPU 0; this process (sandbox, load) and redis-server on CPU 1 (taskset)' : 'not pinned',
    loadAverage: [round(loadBefore, 2), round(loadavg()[0]!, 2)],
    gatewayEnv: { ...GATEWAY_ENV, REDIS_URL: '(the throwaway redis-server)', others: 'defaults' },
    load: {
      readers: READERS,
      readPauseMs: READ_PAUSE_MS,
      readerTokens: 3 + BENCH_ACCOUNTS,
      writers: WRITER_ACCOUNTS.length,
      writePauseMs: WRITE_PAUSE_MS,
      uploaders: UPLOADER_ACCOUNTS.length,
      uploadBytes: UPLOAD_BYTES,
      uploadPauseMs: UPLOAD_PAUSE_MS,
      subscriptions: WRITER_ACCOUNTS.length * RENAMED_PLAYLISTS.length,
      subscriptionHoldMs: holdMs,
    },
    redis: `redis-server ${redisVersion}`,
    graceS: GRACE_S,
  };
  await writeReport({ phases, samples, logSamples, start, end, endState: sampleOf(end.series), shutdown, meta });
}

function upstreamCalls(sandbox: Sandbox): number {
  return Object.values(sandbox.requestCounts()).reduce((sum, n) => sum + n, 0);
}

function gitState(): { gitCommit: string; gitDirty: boolean } {
  const git = (...a: string[]) => spawnSync('git', a, { encoding: 'utf8' }).stdout?.trim() ?? '';
  return { gitCommit: git('rev-parse', 'HEAD') || 'unknown', gitDirty: git('status', '--porcelain') !== '' };
}

// ---- figures ----

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The nearest-rank `q` quantile of `sorted` (ascending), or null when it is empty. */
function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Latency figures of the exchanges of `tallies` (one operation, any phases). */
function latencyOf(tallies: readonly OpTally[]) {
  const sorted = tallies.flatMap((t) => t.latencies).sort((a, b) => a - b);
  const outcomes = mergeCounts(tallies.map((t) => t.outcomes));
  const ok = outcomes.ok ?? 0;
  const p = (q: number) => {
    const v = quantile(sorted, q);
    return v === null ? null : round(v);
  };
  return { count: sorted.length, errors: sorted.length - ok, p50Ms: p(0.5), p99Ms: p(0.99), maxMs: p(1) };
}

function mergeCounts(maps: Iterable<Map<string, number> | Record<string, number>>): Record<string, number> {
  const merged: Record<string, number> = {};
  for (const map of maps) {
    for (const [key, n] of map instanceof Map ? map : Object.entries(map)) merged[key] = (merged[key] ?? 0) + n;
  }
  return merged;
}

function diff(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, n] of Object.entries(after)) {
    const d = round(n - (before[key] ?? 0), 3);
    if (d !== 0) out[key] = d;
  }
  return out;
}

/** Least-squares slope of `points` (x in s, y in MB), in MB per minute; null with fewer than 2 points. */
function slopePerMinute(points: readonly { x: number; y: number }[]): number | null {
  if (points.length < 2) return null;
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return den === 0 ? null : round((num / den) * 60, 3);
}

/** The report of one phase. */
function phaseReport(phase: PhaseRun, previous: PhaseRun | undefined) {
  const seconds = (phase.endedAt - phase.startedAt) / 1000;
  const outcomes = mergeCounts([...phase.ops.values()].map((t) => t.outcomes));
  const requests = Object.values(outcomes).reduce((s, n) => s + n, 0);
  const before = phase.before?.series ?? new Map();
  const after = phase.after?.series ?? new Map();
  const counter = (name: string, label: string) => diff(byLabel(after, name, label), byLabel(before, name, label));
  const cpuS = total(after, 'process_cpu_seconds_total') - total(before, 'process_cpu_seconds_total');
  const soakCpu = phase.after && phase.before ? cpuSeconds(phase.after.soakCpu) - cpuSeconds(phase.before.soakCpu) : 0;
  const ops = Object.fromEntries([...phase.ops].sort(([a], [b]) => a.localeCompare(b)).map(([op, t]) => [op, latencyOf([t])]));
  return {
    name: phase.plan.name,
    kind: phase.plan.kind,
    fault: phase.plan.fault,
    startS: round((phase.startedAt - began) / 1000),
    seconds: round(seconds),
    requests,
    ok: outcomes.ok ?? 0,
    errors: requests - (outcomes.ok ?? 0),
    unexpected: phase.unexpectedCount,
    shed: phase.shed,
    outcomes,
    byHttpStatus: byStatus(outcomes),
    requestsPerS: round(requests / seconds),
    upstreamCallsPerS: round(phase.upstreamCalls / seconds),
    gatewayCpuPct: round((cpuS / seconds) * 100),
    soakCpuPct: round((soakCpu / seconds) * 100),
    recovery: phase.plan.kind === 'clean' && previous !== undefined && previous.plan.kind !== 'clean' ? recovery(phase) : null,
    ops,
    gatewayErrorCodes: counter('graphql_errors_total', 'code'),
    upstreamStatuses: counter('viewneo_upstream_duration_seconds_count', 'status'),
    cacheEvents: counter('gateway_cache_events_total', 'event'),
    redisErrors: counter('gateway_redis_errors_total', 'operation'),
    gatewayLogs: Object.fromEntries(phase.logs),
    heapAfterGcMb: round(phase.after?.heapUsedMb ?? Number.NaN),
    rssMb: round(phase.after?.rssMb ?? Number.NaN),
    unexpectedSamples: phase.unexpected,
  };
}

function cpuSeconds(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}

/** Outcome counts by HTTP status (200 includes answers with errors), or transport failure. */
function byStatus(outcomes: Record<string, number>): Record<string, number> {
  const statuses: Record<string, number> = {};
  for (const [key, n] of Object.entries(outcomes)) {
    const status = /^HTTP (\d+)/.exec(key)?.[1] ?? (key.includes('network') || key.includes('timeout') ? key : '200');
    statuses[status] = (statuses[status] ?? 0) + n;
  }
  return statuses;
}

/**
 * Whether a clean phase after a fault was clean once its grace period had passed (and Redis was
 * back when it had been down): no exchange that started after the grace and ended within the phase
 * failed. One still open when the next phase's fault began is that fault's; shed requests do not
 * count either (shedding answers the machine's load, not a fault) and are reported beside.
 */
function recovery(phase: PhaseRun) {
  const seconds = (phase.endedAt - phase.startedAt) / 1000;
  const graceS = Math.min(GRACE_S, seconds / 2);
  const within = phase.failures.filter((f) => f.end <= phase.endedAt).map((f) => f.start);
  const lastError = within.length === 0 ? null : Math.max(...within);
  const lastErrorAfterS = lastError === null ? null : round((lastError - phase.startedAt) / 1000);
  const errorsAfterGrace = within.filter((at) => at >= phase.startedAt + graceS * 1000).length;
  const redisOk = phase.redisUpAfterS === undefined || phase.redisUpAfterS !== null;
  return {
    graceS: round(graceS),
    failures: within.length,
    shed: phase.shed,
    errorsAfterGrace,
    lastErrorAfterS,
    ...(phase.redisUpAfterS === undefined ? {} : { redisUpAfterS: phase.redisUpAfterS }),
    recovered: errorsAfterGrace === 0 && redisOk,
  };
}

/** The report's figures from what the run collected. */
function results(run: Collected) {
  const phases = run.phases.map((p, i) => phaseReport(p, run.phases[i - 1]));
  const ops = new Map<string, OpTally[]>();
  for (const phase of run.phases) for (const [op, t] of phase.ops) ops.set(op, [...(ops.get(op) ?? []), t]);
  const latency = Object.fromEntries([...ops].sort(([a], [b]) => a.localeCompare(b)).map(([op, t]) => [op, latencyOf(t)]));
  const gcPoints = run.phases.slice(1).flatMap((p) => (p.before ? [p.before] : []));
  gcPoints.push(run.end);
  const figures = (s: Snapshot) => ({ rssMb: round(s.rssMb), heapUsedMb: round(s.heapUsedMb) });
  const warm = gcPoints[0] ?? run.end;
  const middleS = (run.start.atS + run.end.atS) / 2;
  const secondHalf = gcPoints.filter((s) => s.atS >= middleS);
  const memory = {
    beforeLoad: figures(run.start),
    afterWarmUp: figures(warm),
    end: figures(run.end),
    heapChangeAfterWarmUpMb: round(run.end.heapUsedMb - warm.heapUsedMb, 2),
    // Fitted over the post-GC readings from the warm-up's end on, and over the run's second half:
    // stale entries stay cached for STALE_IF_ERROR_MS (60 s) past their TTL, so the caches may still fill after a short warm-up.
    heapGrowthMbPerMin: slopePerMinute(gcPoints.map((s) => ({ x: s.atS, y: s.heapUsedMb }))),
    heapGrowthSecondHalfMbPerMin: slopePerMinute(secondHalf.map((s) => ({ x: s.atS, y: s.heapUsedMb }))),
    rssGrowthMbPerMin: slopePerMinute(gcPoints.map((s) => ({ x: s.atS, y: s.rssMb }))),
    rssGrowthSecondHalfMbPerMin: slopePerMinute(secondHalf.map((s) => ({ x: s.atS, y: s.rssMb }))),
    peakHeapTotalMb: Math.max(...run.samples.map((s) => s.heapTotalMb)),
    peakExternalMb: Math.max(...run.samples.map((s) => s.externalMb)),
    peakRssMb: Math.max(run.start.rssMb, ...run.samples.map((s) => s.rssMb)),
    afterGc: [run.start, ...gcPoints].map((s) => ({
      atS: round(s.atS),
      heapUsedMb: round(s.heapUsedMb, 2),
      rssMb: round(s.rssMb),
      gcMs: round(s.gcMs),
    })),
  };
  const totals = {
    requests: phases.reduce((s, p) => s + p.requests, 0),
    errors: phases.reduce((s, p) => s + p.errors, 0),
    unexpected: phases.reduce((s, p) => s + p.unexpected, 0),
    shed: phases.reduce((s, p) => s + p.shed, 0),
    outcomes: mergeCounts(phases.map((p) => p.outcomes)),
    recoveredPhases: phases.filter((p) => p.recovery?.recovered).length,
    recoveryPhases: phases.filter((p) => p.recovery !== null).length,
    renamesOk: phases.reduce((s, p) => s + (p.ops.updatePlaylist?.count ?? 0) - (p.ops.updatePlaylist?.errors ?? 0), 0),
    renamesHeard: latency[EVENT_DELAY_OP]?.count ?? 0,
  };
  const endState = {
    subscriptionsActive: run.endState.subscriptions,
    livePollers: run.endState.pollers,
    upstreamInFlight: run.endState.upstreamInFlight,
    redisUp: run.endState.redisUp,
    activeHandles: total(run.end.series, 'nodejs_active_handles_total'),
    shutdown: run.shutdown,
  };
  return { meta: run.meta, totals, phases, latency, memory, endState, gatewayLogSamples: run.logSamples, samples: run.samples };
}

/** Writes latest.json and latest.md into RESULTS_DIR and prints the Markdown. */
async function writeReport(run: Collected): Promise<void> {
  const report = results(run);
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(new URL('latest.json', RESULTS_DIR), `${JSON.stringify(report, null, 2)}\n`);
  const md = markdown(report);
  await writeFile(new URL('latest.md', RESULTS_DIR), md);
  console.log(`\n${md}`);
  log(`wrote ${new URL('latest.md', RESULTS_DIR).pathname} (and latest.json)`);
}

// ---- Markdown ----

type Results = ReturnType<typeof results>;

function counts(record: Record<string, number>): string {
  const entries = Object.entries(record).sort((a, b) => b[1] - a[1]);
  return entries.length === 0 ? '—' : entries.map(([k, n]) => `${k} ${n}`).join(', ');
}

function table(header: string[], rows: (string | number | null)[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map((c) => (c === null ? '—' : String(c))).join(' | ')} |`),
  ];
}

function markdown(r: Results): string {
  const m = r.meta;
  const mem = r.memory;
  const lines = [
    '# Soak',
    '',
    `${m.date}, \`${m.command}\`, commit ${String(m.gitCommit).slice(0, 12)}${m.gitDirty ? ' (dirty tree)' : ''}; Node ${m.node}, ${m.cores} × ${m.cpuModel}; ${m.pinning}; load average ${(m.loadAverage as number[]).join(' → ')}.`,
    `Gateway: compiled, own process, ${Object.entries(m.gatewayEnv as Record<string, string>)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}; ${m.redis}. Load: ${JSON.stringify(m.load)}.`,
    '',
    `**${r.totals.requests} exchanges, ${r.totals.errors} errors (${r.totals.shed} shed), ${r.totals.unexpected} unexpected; recovered after ${r.totals.recoveredPhases} of ${r.totals.recoveryPhases} fault phases.** ` +
      `Gateway heap used after a full GC: ${mem.beforeLoad.heapUsedMb} MB before the load, ${mem.afterWarmUp.heapUsedMb} MB after the warm-up, ${mem.end.heapUsedMb} MB at the end ` +
      `(growth, fitted: ${mem.heapGrowthMbPerMin} MB/min after the warm-up, ${mem.heapGrowthSecondHalfMbPerMin} MB/min over the second half); ` +
      `RSS ${mem.beforeLoad.rssMb} → ${mem.afterWarmUp.rssMb} → ${mem.end.rssMb} MB (${mem.rssGrowthMbPerMin} and ${mem.rssGrowthSecondHalfMbPerMin} MB/min; ` +
      `peak ${mem.peakRssMb}, V8 heap total at most ${mem.peakHeapTotalMb}, external at most ${mem.peakExternalMb}). End state, idle: ${Object.entries(
        r.endState,
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}.`,
    '',
    '## Phases',
    '',
    ...table(
      [
        'phase',
        'fault',
        's',
        'exchanges',
        'errors',
        'unexpected',
        'shed',
        'req/s',
        'upstream/s',
        'gateway CPU %',
        'recovered',
        'heap after GC MB',
        'RSS MB',
      ],
      r.phases.map((p) => [
        p.name,
        p.fault || '—',
        p.seconds,
        p.requests,
        p.errors,
        p.unexpected,
        p.shed,
        p.requestsPerS,
        p.upstreamCallsPerS,
        p.gatewayCpuPct,
        p.recovery === null ? '' : recoveryCell(p.recovery),
        p.heapAfterGcMb,
        p.rssMb,
      ]),
    ),
    '',
    '## Errors by phase',
    '',
    ...table(
      [
        'phase',
        'outcomes (exchanges)',
        'HTTP status',
        "gateway's graphql_errors_total",
        'upstream answers seen by the gateway',
        'cache (stale = served after an upstream failure)',
        'Redis errors',
      ],
      r.phases.map((p) => [
        p.name,
        counts(p.outcomes),
        counts(p.byHttpStatus),
        counts(p.gatewayErrorCodes),
        counts(p.upstreamStatuses),
        counts(p.cacheEvents),
        counts(p.redisErrors),
      ]),
    ),
    '',
    '## Latency (ms, every exchange of the run, errors included)',
    '',
    `\`${STREAM_OP}\`: how long streams were held, not a latency; \`${EVENT_DELAY_OP}\`: from a rename's start to its subscriber's event ` +
      `(${r.totals.renamesHeard} of ${r.totals.renamesOk} successful renames heard; a rename made while its subscriber reconnects is not).`,
    '',
    ...table(
      ['operation', 'count', 'errors', 'p50', 'p99', 'max'],
      Object.entries(r.latency).map(([op, l]) => [op, l.count, l.errors, l.p50Ms, l.p99Ms, l.maxMs]),
    ),
    '',
    '### p50 / p99 per phase (ms)',
    '',
    ...table(
      ['operation', ...r.phases.map((p) => p.name)],
      Object.keys(r.latency)
        .filter((op) => op !== STREAM_OP)
        .map((op) => [op, ...r.phases.map((p) => (p.ops[op] ? `${p.ops[op].p50Ms} / ${p.ops[op].p99Ms}` : '—'))]),
    ),
    '',
    '## Gateway memory (after a full GC: before the load, at each phase boundary, at the end)',
    '',
    ...table(
      ['at s', 'heap used MB', 'RSS MB', 'GC ms'],
      mem.afterGc.map((s) => [s.atS, s.heapUsedMb, s.rssMb, s.gcMs]),
    ),
    '',
    '## Gateway log lines by phase',
    '',
    ...table(
      ['phase', 'lines (level: message)'],
      r.phases.map((p) => [p.name, counts(p.gatewayLogs)]),
    ),
    '',
  ];
  const unexpected = r.phases.flatMap((p) => p.unexpectedSamples.map((u) => ({ phase: p.name, ...u })));
  if (unexpected.length > 0) {
    lines.push('## Unexpected errors (samples)', '');
    lines.push(
      ...table(
        ['phase', 'at s', 'operation', 'outcome', 'message'],
        unexpected.map((u) => [u.phase, u.atS, u.op, u.outcome, u.message.replaceAll('|', '\\|')]),
      ),
    );
    lines.push('');
  }
  if (r.gatewayLogSamples.length > 0) {
    lines.push('## Gateway error log lines (samples)', '', '```', ...r.gatewayLogSamples, '```', '');
  }
  return `${lines.join('\n')}\n`;
}

function recoveryCell(r: NonNullable<ReturnType<typeof phaseReport>['recovery']>): string {
  const redisPart = 'redisUpAfterS' in r ? `, Redis up after ${r.redisUpAfterS ?? 'never'} s` : '';
  const last = r.lastErrorAfterS === null ? 'no failures' : `last failure at +${r.lastErrorAfterS} s`;
  const shed = r.shed > 0 ? `, ${r.shed} shed` : '';
  return `${r.recovered ? 'yes' : '**no**'} (${last}${shed}${redisPart})`;
}

function phaseLine(phase: PhaseRun): string {
  const p = phaseReport(phase, undefined);
  const reads = latencyOf([...phase.ops].filter(([op]) => op.startsWith('read ')).map(([, t]) => t));
  return (
    `phase ${phase.index + 1} ${p.name}${p.fault ? ` (${p.fault})` : ''}: ${p.requests} exchanges, ${p.errors} errors, ${p.unexpected} unexpected` +
    ` [${counts(p.outcomes)}]; reads p50 ${reads.p50Ms} ms p99 ${reads.p99Ms} ms; heap after GC ${p.heapAfterGcMb} MB, RSS ${p.rssMb} MB`
  );
}

// ---- lifecycle ----

let interrupted = false;
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`${signal}: stopping the soak's processes`);
    void stopEverything().finally(() => process.exit(code));
  });
}
process.once('exit', killRigNow);

const deadline = setTimeout(
  () => {
    console.error('the soak did not finish in time');
    void stopEverything().finally(() => process.exit(1));
  },
  (args.minutes * 60 + 180) * 1000,
);

try {
  await main();
} catch (error) {
  // After a signal the run fails on the processes being stopped under it: nothing to report.
  if (!interrupted) console.error(error);
  process.exitCode = 1;
} finally {
  clearTimeout(deadline);
  await stopEverything();
}
