import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import type { Child } from './ipc.js';
import type { LoadJob, LoadPlan, LoadResult } from './load-process.js';
import type { PeerStats } from './peer-process.js';
import type { PeerName } from './peers/types.js';
import { type BenchQuery, type QueryName, requestBody } from './queries.js';

/** How the benchmark treats caches and tokens: see bench/README.md. */
export type Mode = 'cold' | 'warm' | 'rotating';

/** One measured (query, mode, latency, peer). */
export interface Row {
  query: QueryName;
  mode: Mode;
  /** Latency the sandbox added to every upstream call. */
  latencyMs: number;
  peer: PeerName;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  upstreamCallsPerQuery: number;
  minUpstreamCalls: number;
  /** CPU (user + system) of the peer's processes (and its sidecar, if any) per request. */
  cpuMsPerRequest: number;
  /** Largest resident set size of the peer process during the run (several replicas: the sum of their peaks). */
  peakRssMb: number;
  /** Non-2xx answers, connection errors, timeouts, and answers that differ from the checked one. */
  errors: number;
  /** The peer's answer, before the load, deep-equals the gateway's. */
  correct: boolean;
  /** Responses during the measured window. */
  requests: number;
  /** CPU of the sandbox and of the load generator during the window, % of one core. */
  sandboxCpuPct: number;
  generatorCpuPct: number;
  /** Several replicas: each one's answers ÷ time from the start to its last answer. */
  replicaRps?: number[];
}

/** One process of a peer, and the URL of its server for one mode. */
export interface Replica {
  readonly url: string;
  readonly child: Child;
}

/** A running peer: one replica, or (gateway-redis-2) several that the load is split over evenly. */
export interface Peer {
  readonly name: PeerName;
  readonly replicas: readonly Replica[];
  /** CPU so far of a process the peer needs besides its own (redis-server), µs; counted in `cpuMsPerRequest`. */
  readonly sidecarCpu?: () => NodeJS.CpuUsage;
}

/** The peer's processes' stats together: counts and CPU summed, peak RSS summed over the replicas (served: null if any has none). */
export async function peerStats(peer: Peer, resetPeak = false): Promise<PeerStats> {
  const all = await Promise.all(peer.replicas.map((r) => r.child.call<PeerStats>('stats', { resetPeak })));
  const sum = (pick: (s: PeerStats) => number) => all.reduce((total, s) => total + pick(s), 0);
  const sidecar = peer.sidecarCpu?.() ?? { user: 0, system: 0 };
  return {
    served: all.some((s) => s.served === null) ? null : sum((s) => s.served ?? 0),
    inflight: sum((s) => s.inflight),
    cpu: { user: sum((s) => s.cpu.user) + sidecar.user, system: sum((s) => s.cpu.system) + sidecar.system },
    peakRss: sum((s) => s.peakRss),
  };
}

/** The processes and answers every measurement shares. */
export interface Rig {
  readonly sandboxUrl: string;
  readonly sandbox: Child;
  readonly load: Child;
  /** The gateway's parsed answer per query: what every peer must answer. */
  readonly reference: Map<QueryName, unknown>;
}

/** A GraphQL POST to a peer: status and body text. */
export async function post(url: string, query: BenchQuery, token: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: requestBody(query),
  });
  return { status: res.status, text: await res.text() };
}

/** Whether an answer is a 200 without GraphQL errors that deep-equals `expected`. */
export function isCorrect(answer: { status: number; text: string }, expected: unknown): boolean {
  if (answer.status !== 200) return false;
  const parsed = JSON.parse(answer.text) as { errors?: unknown };
  return parsed.errors === undefined && isDeepStrictEqual(parsed, expected);
}

/** Calls to the sandbox's admin API. */
export const sandboxAdmin = {
  async count(base: string): Promise<number> {
    return ((await (await fetch(`${base}/__sandbox/requests/count`)).json()) as { count: number }).count;
  },
  async byPath(base: string): Promise<Record<string, number>> {
    return ((await (await fetch(`${base}/__sandbox/requests/by-path`)).json()) as { counts: Record<string, number> }).counts;
  },
  async resetRequests(base: string): Promise<void> {
    await fetch(`${base}/__sandbox/reset-requests`, { method: 'POST' });
  },
  async setLatency(base: string, ms: number): Promise<void> {
    const res = await fetch(`${base}/__sandbox/latency`, { method: 'POST', body: JSON.stringify({ ms }) });
    if (!res.ok) throw new Error(`the sandbox refused latency ${ms}: ${res.status}`);
  },
};

const SETTLE_LIMIT_MS = 10_000;
const QUIET_POLLS = 3;
const POLL_MS = 25;

/**
 * Waits until the peer has no request open and the sandbox has seen no new upstream call for
 * two poll intervals: a request whose client went away may still be reading upstream.
 */
export async function settled(rig: Rig, peer: Peer): Promise<{ stats: PeerStats; upstream: number }> {
  const until = Date.now() + SETTLE_LIMIT_MS;
  const seen: number[] = [];
  for (;;) {
    const stats = await peerStats(peer);
    const upstream = await sandboxAdmin.count(rig.sandboxUrl);
    seen.push(stats.inflight > 0 ? NaN : upstream);
    const recent = seen.slice(-QUIET_POLLS);
    if ((recent.length === QUIET_POLLS && recent.every((n) => n === upstream)) || Date.now() > until) return { stats, upstream };
    await sleep(POLL_MS);
  }
}

/**
 * Measures one row: checks the peer's answer against the reference, warms up for about
 * `warmupS` (not measured; it also gives the rate), then sends as many requests as that rate
 * answers in `durationS` (with `tokens` round-robin, none cut off at the end) and reads the peer's, the
 * sandbox's and the generator's counters around that window. With several replicas, every
 * replica's answer is checked, and each load is split evenly: one autocannon per replica, all
 * started together, with an equal share of the connections and requests.
 */
export async function measureRow(
  rig: Rig,
  peer: Peer,
  query: BenchQuery,
  run: {
    mode: Mode;
    latencyMs: number;
    tokens: readonly string[];
    connections: number;
    durationS: number;
    warmupS: number;
    minUpstreamCalls: number;
  },
): Promise<Row> {
  // One after the other: with a shared cache, the second replica's first answer comes from the first's entries.
  const answers: { status: number; text: string }[] = [];
  for (const replica of peer.replicas) answers.push(await post(replica.url, query, run.tokens[0]!));
  const correct = answers.every((answer) => isCorrect(answer, rig.reference.get(query.name)));
  const n = peer.replicas.length;
  const connections = Math.max(1, Math.floor(run.connections / n));
  const timeoutMs = (3 * Math.max(run.durationS, run.warmupS) + 10) * 1000 + 30_000;
  const load = (durationS: number, amount: number) =>
    rig.load.call<LoadResult>(
      'run',
      {
        jobs: peer.replicas.map(
          (replica, i): LoadJob => ({
            url: replica.url,
            body: requestBody(query),
            tokens: run.tokens,
            connections,
            durationS,
            amount: Math.max(connections, Math.ceil(amount / n)),
            expectBody: answers[i]!.text,
          }),
        ),
      } satisfies LoadPlan,
      timeoutMs,
    );
  // Warm-up in two steps that cut no request off: one request per connection gives a first
  // rate, then about warmupS worth of requests (unless one round already took that long), and
  // with several tokens at least one request per token and replica, so that the load finds
  // every token warm everywhere.
  const rateOf = (r: LoadResult) => (r.durationS > 0 ? r.completed / r.durationS : 0);
  let rate = rateOf(await load(run.warmupS, run.connections));
  const more = Math.max(Math.round(rate * run.warmupS), run.tokens.length > 1 ? run.tokens.length * n : 0);
  if (more > 2 * run.connections) rate = rateOf(await load(run.warmupS, more));
  const amount = Math.max(run.connections, Math.round(rate * run.durationS));
  await settled(rig, peer);

  const before = await peerStats(peer, true);
  const upstreamBefore = await sandboxAdmin.count(rig.sandboxUrl);
  const sandboxBefore = await rig.sandbox.call<NodeJS.CpuUsage>('cpu');
  const result = await load(run.durationS, amount);
  const sandboxAfter = await rig.sandbox.call<NodeJS.CpuUsage>('cpu');
  const { stats: after, upstream: upstreamAfter } = await settled(rig, peer);

  // A peer whose servers are other programs (tailcall) has no served count: the generator's answers, the same in this window.
  const served = after.served === null || before.served === null ? result.completed : after.served - before.served;
  const cpuMs = (after.cpu.user - before.cpu.user + after.cpu.system - before.cpu.system) / 1000;
  const sandboxCpuMs = (sandboxAfter.user - sandboxBefore.user + sandboxAfter.system - sandboxBefore.system) / 1000;
  const windowMs = result.durationS * 1000;
  return {
    query: query.name,
    mode: run.mode,
    latencyMs: run.latencyMs,
    peer: peer.name,
    rps: round(result.completed / result.durationS, 1),
    p50Ms: round(result.p50Ms, 2),
    p99Ms: round(result.p99Ms, 2),
    upstreamCallsPerQuery: served > 0 ? round((upstreamAfter - upstreamBefore) / served, 2) : NaN,
    minUpstreamCalls: run.minUpstreamCalls,
    cpuMsPerRequest: served > 0 ? round(cpuMs / served, 3) : NaN,
    peakRssMb: round(after.peakRss / 2 ** 20, 1),
    errors: result.non2xx + result.errors + result.mismatches,
    correct,
    requests: result.completed,
    sandboxCpuPct: round((100 * sandboxCpuMs) / windowMs, 0),
    generatorCpuPct: round((100 * result.cpuMs) / windowMs, 0),
    ...(n > 1 ? { replicaRps: result.jobs.map((j) => round(j.completed / j.durationS, 1)) } : {}),
  };
}

/** The burst check of one peer: 100 concurrent identical requests, one token, upstream calls per resource. */
export interface Burst {
  peer: PeerName;
  requests: number;
  /** Answers that were correct. */
  correct: number;
  /** Distinct upstream resources read. */
  resources: number;
  upstreamCalls: number;
  maxCallsPerResource: number;
  /** Resources read more than once. */
  repeatedResources: number;
}

/**
 * Sends `count` concurrent identical `query` requests with one token to a peer whose caches
 * are cold (a fresh process; several replicas: round-robin over them), and counts the
 * sandbox's requests per path.
 */
export async function burst(rig: Rig, peer: Peer, query: BenchQuery, token: string, count: number): Promise<Burst> {
  await sandboxAdmin.resetRequests(rig.sandboxUrl);
  const answers = await Promise.all(
    Array.from({ length: count }, (_, i) => post(peer.replicas[i % peer.replicas.length]!.url, query, token)),
  );
  await settled(rig, peer);
  const counts = Object.values(await sandboxAdmin.byPath(rig.sandboxUrl));
  return {
    peer: peer.name,
    requests: count,
    correct: answers.filter((a) => isCorrect(a, rig.reference.get(query.name))).length,
    resources: counts.length,
    upstreamCalls: counts.reduce((sum, n) => sum + n, 0),
    maxCallsPerResource: Math.max(0, ...counts),
    repeatedResources: counts.filter((n) => n > 1).length,
  };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
