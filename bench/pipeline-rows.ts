// Answers no whole-result cache holds, measured with wrk: one-off documents, execution from cached
// reads, the bare pipeline. Used by `npm run bench` (a section at its end) and by
// `npm run bench:pipeline` (alone). Starts its own peer processes (pinned to the peers' CPU) over
// the given sandbox and stops them when done; the load goes through the load process's `wrk` call.
import { isDeepStrictEqual } from 'node:util';
import { Child } from './ipc.js';
import { sandboxAdmin } from './measure.js';
import type { PeerStats } from './peer-process.js';
import type { PeerKind, PeerSettings } from './peers/types.js';
import type { Pinning } from './pinning.js';
import { QUERIES, requestBody } from './queries.js';
import { type WrkJob, type WrkResult, wrkVersion } from './wrk.js';

/** The section's rows. */
export type PipelineRowName = 'one-off' | 'cached-reads' | 'bare';

/** One peer's figures in one row. */
export interface PipelineRow {
  readonly row: PipelineRowName;
  readonly peer: string;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  readonly non2xx: number;
  readonly socketErrors: number;
  /** Sandbox requests ÷ answered requests during the measured run. */
  readonly upstreamCallsPerRequest: number;
  /** The peer's CPU (Tailcall: its binary's) ÷ answered requests during the measured run. */
  readonly cpuMsPerRequest: number;
  /** Why the row fails (its sample answer has errors or differs, or the run had non-2xx or socket errors); null when it passes. */
  readonly failing: string | null;
}

/** gateway ÷ another peer, requests/s, in one row (only between passing rows). */
export interface PipelineRatio {
  readonly row: PipelineRowName;
  readonly name: string;
  readonly value: number;
}

/**
 * Fairness under a flood of one-off documents, on one gateway process: another token's repeated
 * Q3 (no result cache) over one connection, alone and while the first token floods distinct
 * documents over 16 connections.
 */
export interface Fairness {
  readonly alone: { readonly rps: number; readonly p50Ms: number; readonly p99Ms: number };
  readonly duringFlood: { readonly rps: number; readonly p50Ms: number; readonly p99Ms: number };
  /** The flooding token's answered requests/s, and how many of its answers were 429 (its queue full). */
  readonly flood: { readonly rps: number; readonly non2xx: number };
  /** Why the measurement fails (the other token's answers had errors); null when it passes. */
  readonly failing: string | null;
}

/** The section's results, as latest.json holds them. */
export interface Pipeline {
  /** e.g. "wrk 4.1.0, 16 connections, 2 threads, pinned to CPU 1". */
  readonly generator: string;
  readonly peers: string;
  readonly warmupS: number;
  readonly durationS: number;
  readonly rows: PipelineRow[];
  readonly ratios: PipelineRatio[];
  readonly fairness: Fairness;
}

const CONNECTIONS = 16;
const THREADS = 2;
const WARM_TTL_MS = 600_000;
const Q0 = QUERIES.find((q) => q.name === 'Q0')!;
const Q3 = QUERIES.find((q) => q.name === 'Q3')!;
// The gateway peer serves two servers: production settings (warm), and the same without the whole-result cache.
const GATEWAY_WARM = 0;
const GATEWAY_NO_RESULT_CACHE = 1;

const ROWS: readonly { name: PipelineRowName; title: string; peers: readonly PeerKind[]; gatewayServer: number }[] = [
  {
    name: 'one-off',
    title: 'one-off documents: Q3 with a new alias on its root field in every request, upstream reads warm',
    peers: ['gateway', 'tailcall', 'apollo'],
    gatewayServer: GATEWAY_WARM,
  },
  {
    name: 'cached-reads',
    title:
      'execution from cached reads: Q3 repeated, the gateway with RESULT_CACHE_MAX_ENTRIES=0 (no result cache, no replay), upstream cache warm; Apollo and Tailcall warm',
    peers: ['gateway', 'tailcall', 'apollo'],
    gatewayServer: GATEWAY_NO_RESULT_CACHE,
  },
  {
    name: 'bare',
    title: 'the bare pipeline: `{ __typename }` with the token',
    peers: ['gateway', 'tailcall', 'apollo', 'node-limit'],
    gatewayServer: GATEWAY_WARM,
  },
];
const OTHERS = ['tailcall', 'apollo', 'node-limit'] as const;

/** Q3 with `alias` on its root field: `{ <alias>: playlists(first: 20) { … } }`. */
function aliased(alias: string): string {
  if (!Q3.text.startsWith('{ playlists(')) throw new Error(`expected Q3 to start with "{ playlists(", got ${Q3.text}`);
  return `{ ${alias}: ${Q3.text.slice(2)}`;
}

/** Why a sample answer fails the row, or null when it is a 200 without `errors` equal to `expected` (any data when undefined). */
async function sampleFails(url: string, token: string, body: string, expected: unknown): Promise<string | null> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  });
  const text = await res.text();
  let parsed: { errors?: { message?: string }[] } | undefined;
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    return `HTTP ${res.status}, not JSON`;
  }
  if (parsed?.errors !== undefined) return `HTTP ${res.status}, GraphQL errors: ${parsed.errors[0]?.message ?? '?'}`;
  if (res.status !== 200) return `HTTP ${res.status}`;
  return expected === undefined || isDeepStrictEqual(parsed, expected) ? null : 'the answer differs from the gateway’s';
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

let runs = 0;

/**
 * Measures the three rows for the gateway, Tailcall and Apollo (the bare row also node-limit),
 * each in its warm mode, with one `token` for every request, over `sandboxUrl` (set to latency 0):
 * per row and peer a sample answer checked for errors, a warm-up of `warmupS`, then `durationS`
 * measured. Starts the peer processes pinned to `pins.peer` and stops them before returning.
 */
export async function measurePipeline(options: {
  readonly sandboxUrl: string;
  readonly token: string;
  /** The token of the fairness measurement's other client (another account). */
  readonly otherToken: string;
  readonly load: Child;
  readonly pins: Pinning;
  readonly warmupS: number;
  readonly durationS: number;
  readonly onRow?: (row: PipelineRow) => void;
}): Promise<Pipeline> {
  const { sandboxUrl, token, load, pins } = options;
  const generator = `wrk ${wrkVersion()}, ${CONNECTIONS} connections, ${THREADS} threads, ${pins.helpers === null ? 'not pinned' : `pinned to CPU ${pins.helpers}`}`;
  await sandboxAdmin.setLatency(sandboxUrl, 0);
  const warm: PeerSettings = { sandboxUrl, cacheTtlMs: WARM_TTL_MS };
  const settingsOf = (kind: PeerKind): PeerSettings[] =>
    kind === 'gateway' ? [warm, { ...warm, env: { RESULT_CACHE_MAX_ENTRIES: '0' } }] : [warm];
  const kinds = [...new Set(ROWS.flatMap((r) => r.peers))];
  const started = await Promise.allSettled(
    kinds.map((kind) =>
      Child.start<{ ports: number[] }>(`pipeline ${kind}`, 'peer-process.ts', {
        args: [kind],
        env: { BENCH_PEER_SETTINGS: JSON.stringify(settingsOf(kind)), NODE_ENV: 'production' },
        pin: pins.peer,
      }),
    ),
  );
  const peers = new Map<PeerKind, { child: Child; ports: number[] }>();
  started.forEach((s, i) => {
    if (s.status === 'fulfilled') peers.set(kinds[i]!, { child: s.value.child, ports: s.value.ready.ports });
  });
  try {
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    const urlOf = (kind: PeerKind, server: number) => `http://127.0.0.1:${peers.get(kind)!.ports[server]}/graphql`;
    const reference = (await (
      await fetch(urlOf('gateway', GATEWAY_WARM), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: requestBody(Q3),
      })
    ).json()) as { data?: { playlists?: unknown }; errors?: unknown };
    if (reference.errors !== undefined || reference.data?.playlists === undefined)
      throw new Error(`the gateway's Q3 has errors: ${JSON.stringify(reference).slice(0, 500)}`);
    const rows: PipelineRow[] = [];
    for (const plan of ROWS) {
      for (const kind of plan.peers) {
        const { child } = peers.get(kind)!;
        const url = urlOf(kind, kind === 'gateway' ? plan.gatewayServer : 0);
        const check = `a${(runs++).toString(36)}_check`;
        const sample = {
          'one-off': { body: JSON.stringify({ query: aliased(check) }), expected: { data: { [check]: reference.data.playlists } } },
          'cached-reads': { body: requestBody(Q3), expected: reference },
          bare: { body: requestBody(Q0), expected: { data: { __typename: 'Query' } } },
        }[plan.name];
        const sampleFailure = await sampleFails(url, token, sample.body, sample.expected);
        const [prefix, suffix] = JSON.stringify({ query: aliased('a@@') }).split('@@') as [string, string];
        // Each wrk run names its documents anew, so that the measured run repeats none of the warm-up's.
        const job = (durationS: number): WrkJob => ({
          url,
          token,
          connections: CONNECTIONS,
          threads: THREADS,
          durationS,
          body: plan.name === 'one-off' ? { oneOff: { prefix, suffix, run: (runs++).toString(36) } } : sample.body,
        });
        const timeoutMs = (Math.max(options.warmupS, options.durationS) + 60) * 1000;
        await load.call<WrkResult>('wrk', { ...job(options.warmupS) }, timeoutMs);
        const before = await child.call<PeerStats>('stats');
        const upstreamBefore = await sandboxAdmin.count(sandboxUrl);
        const result = await load.call<WrkResult>('wrk', { ...job(options.durationS) }, timeoutMs);
        const after = await child.call<PeerStats>('stats');
        const upstream = (await sandboxAdmin.count(sandboxUrl)) - upstreamBefore;
        const cpuMs = (after.cpu.user - before.cpu.user + after.cpu.system - before.cpu.system) / 1000;
        const failing =
          sampleFailure ??
          (result.non2xx > 0
            ? `${result.non2xx} non-2xx answers`
            : result.socketErrors > 0
              ? `${result.socketErrors} socket errors`
              : null);
        const row: PipelineRow = {
          row: plan.name,
          peer: kind,
          rps: round(result.requests / result.durationS, 1),
          p50Ms: round(result.p50Ms, 2),
          p99Ms: round(result.p99Ms, 2),
          requests: result.requests,
          non2xx: result.non2xx,
          socketErrors: result.socketErrors,
          upstreamCallsPerRequest: result.requests > 0 ? round(upstream / result.requests, 2) : NaN,
          cpuMsPerRequest: result.requests > 0 ? round(cpuMs / result.requests, 3) : NaN,
          failing,
        };
        rows.push(row);
        options.onRow?.(row);
      }
    }
    const fairness = await measureFairness(load, {
      flood: urlOf('gateway', GATEWAY_WARM),
      other: urlOf('gateway', GATEWAY_NO_RESULT_CACHE),
      token,
      otherToken: options.otherToken,
      durationS: options.durationS,
    });
    return {
      fairness,
      generator,
      peers: `${pins.peer === null ? 'not pinned' : `pinned to CPU ${pins.peer}`} (Tailcall's binary inherits its peer process's pinning); one token; sandbox latency 0 ms`,
      warmupS: options.warmupS,
      durationS: options.durationS,
      rows,
      ratios: pipelineRatios(rows),
    };
  } finally {
    await Promise.all([...peers.values()].map(({ child }) => child.stop()));
  }
}

/** See {@link Fairness}: the other token's Q3 alone, then during the flood (both runs `durationS`). */
async function measureFairness(
  load: Child,
  o: { flood: string; other: string; token: string; otherToken: string; durationS: number },
): Promise<Fairness> {
  const timeoutMs = (o.durationS + 60) * 1000;
  const failing = await sampleFails(o.other, o.otherToken, requestBody(Q3), undefined);
  const other: WrkJob = { url: o.other, token: o.otherToken, connections: 1, threads: 1, durationS: o.durationS, body: requestBody(Q3) };
  const [prefix, suffix] = JSON.stringify({ query: aliased('f@@') }).split('@@') as [string, string];
  const flood: WrkJob = {
    url: o.flood,
    token: o.token,
    connections: CONNECTIONS,
    threads: THREADS,
    durationS: o.durationS,
    body: { oneOff: { prefix, suffix, run: (runs++).toString(36) } },
  };
  const figures = (r: WrkResult) => ({ rps: round(r.requests / r.durationS, 1), p50Ms: round(r.p50Ms, 2), p99Ms: round(r.p99Ms, 2) });
  const alone = await load.call<WrkResult>('wrk', { ...other }, timeoutMs);
  const [during, flooded] = await Promise.all([
    load.call<WrkResult>('wrk', { ...other }, timeoutMs),
    load.call<WrkResult>('wrk', { ...flood }, timeoutMs),
  ]);
  const errors = alone.non2xx + during.non2xx > 0 ? `${alone.non2xx + during.non2xx} non-2xx answers to the other token` : null;
  return {
    alone: figures(alone),
    duringFlood: figures(during),
    flood: { rps: round(flooded.requests / flooded.durationS, 1), non2xx: flooded.non2xx },
    failing: failing ?? errors,
  };
}

/** gateway ÷ each other peer per row, between passing rows. */
function pipelineRatios(rows: readonly PipelineRow[]): PipelineRatio[] {
  const find = (row: PipelineRowName, peer: string) => rows.find((r) => r.row === row && r.peer === peer && r.failing === null);
  return ROWS.flatMap(({ name }) => {
    const gateway = find(name, 'gateway');
    return OTHERS.flatMap((other) => {
      const them = find(name, other);
      return gateway && them && them.rps > 0 ? [{ row: name, name: `gateway / ${other}`, value: round(gateway.rps / them.rps, 2) }] : [];
    });
  });
}

/** The section as Markdown: requests/s side by side with the ratios, then every figure. */
export function pipelineMarkdown(p: Pipeline): string[] {
  const rps = (row: PipelineRowName, peer: string) => {
    const r = p.rows.find((x) => x.row === row && x.peer === peer);
    return r === undefined ? '–' : r.failing === null ? String(r.rps) : `failing (${r.failing})`;
  };
  const ratio = (row: PipelineRowName, peer: string) =>
    String(p.ratios.find((r) => r.row === row && r.name === `gateway / ${peer}`)?.value ?? '–');
  return [
    `Load generator: ${p.generator}; peers ${p.peers}; ${p.warmupS} s warm-up (not measured), then ${p.durationS} s measured per row. Peers in their warm mode (gateway CACHE_TTL_MS=600000, Apollo TTL 600 s, Tailcall \`@cache\` and \`dedupe\`).`,
    '',
    ...ROWS.map(({ name, title }) => `- \`${name}\`: ${title}`),
    '',
    '| requests/s | gateway | tailcall | apollo | node-limit | gateway / tailcall | gateway / apollo | gateway / node-limit |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...ROWS.map(
      ({ name }) =>
        `| ${name} | ${rps(name, 'gateway')} | ${rps(name, 'tailcall')} | ${rps(name, 'apollo')} | ${rps(name, 'node-limit')} | ${ratio(name, 'tailcall')} | ${ratio(name, 'apollo')} | ${ratio(name, 'node-limit')} |`,
    ),
    '',
    '| row | peer | requests/s | p50 ms | p99 ms | requests | non-2xx | socket errors | upstream calls/request | CPU ms/request | failing |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...p.rows.map(
      (r) =>
        `| ${r.row} | ${r.peer} | ${r.rps} | ${r.p50Ms} | ${r.p99Ms} | ${r.requests} | ${r.non2xx} | ${r.socketErrors} | ${r.upstreamCallsPerRequest} | ${r.cpuMsPerRequest} | ${r.failing ?? 'no'} |`,
    ),
    '',
    `Fairness (gateway): another token's Q3 (no result cache, 1 connection), alone and while one token sends a new document per request over ${CONNECTIONS} connections${p.fairness.failing ? `: FAILING (${p.fairness.failing})` : ''}.`,
    '',
    '| the other token | requests/s | p50 ms | p99 ms |',
    '| --- | ---: | ---: | ---: |',
    `| alone | ${p.fairness.alone.rps} | ${p.fairness.alone.p50Ms} | ${p.fairness.alone.p99Ms} |`,
    `| during the flood | ${p.fairness.duringFlood.rps} | ${p.fairness.duringFlood.p50Ms} | ${p.fairness.duringFlood.p99Ms} |`,
    '',
    `The flooding token: ${p.fairness.flood.rps} answered requests/s, ${p.fairness.flood.non2xx} answers 429 (its queue of new documents full).`,
  ];
}
