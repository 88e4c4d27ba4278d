import { mkdir, writeFile } from 'node:fs/promises';
import type { Burst, Mode, Row } from './measure.js';
import { type Pipeline, pipelineMarkdown } from './pipeline-rows.js';
import { plannerSavingsOnQ3, type QueryName } from './queries.js';
import { scaleOutMarkdown } from './report-scale-out.js';
import type { Sharing } from './sharing.js';
import { type ThrottledRow, throttledMarkdown } from './throttle-row.js';

/** How and where a run was made. */
export interface Meta {
  date: string;
  command: string;
  /** HEAD when the run started; `gitDirty`: the working tree had changes (the run measured those). */
  gitCommit: string;
  gitDirty: boolean;
  quick: boolean;
  node: string;
  cpuModel: string;
  cores: number;
  /** e.g. "peers on CPU 0; sandbox and load generator on CPU 1 (taskset)". */
  pinning: string;
  connections: number;
  durationS: number;
  warmupS: number;
  /** Sandbox latency settings of the rows. */
  latenciesMs: number[];
  modes: Mode[];
  /** CACHE_TTL_MS of the gateway (and Apollo's TTL) in each mode. */
  cacheTtlMs: Record<Mode, number>;
  rotatingTokens: number;
  /** Resident set size of each peer's process once started (all its servers listening, no request yet); several replicas: summed. */
  peerStartRssMb: Record<string, number>;
  /** The Redis of gateway-redis-2: version, CPU, settings. */
  redis: string;
  /** Failed or timed-out Redis commands of gateway-redis-2's replicas per mode and operation over the whole run (`gateway_redis_errors_total`). */
  redisErrors: Record<string, Record<string, number>>;
  /** 1-minute load average of the machine when the run started and when it ended. */
  loadAverage: [number, number];
}

/** A throughput ratio between two rows at sandbox latency 0. */
export interface Ratio {
  name: string;
  mode: Mode;
  query: QueryName;
  value: number;
}

/** A peer's Q3 p50 (one connection, cold) with upstream latency, against three sequential upstream rounds. */
export interface CriticalPath {
  peer: string;
  latencyMs: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  upstreamCallsPerQuery: number;
  /** 3 × latencyMs: the list, then the entries, then the media files. */
  idealMs: number;
  /** p50Ms / idealMs. */
  ratio: number;
}

/** Everything latest.json holds. */
export interface Results {
  meta: Meta;
  rows: Row[];
  ratios: Ratio[];
  burst: Burst[];
  /** The second replica's first query after the first replica's (gateway-redis-2, warm mode). */
  sharing: Sharing[];
  criticalPath: CriticalPath[];
  /** Answers no whole-result cache holds, measured with wrk (pipeline-rows.ts). */
  pipeline: Pipeline;
  /** The real-size account under viewneo's throttle (throttle-row.ts). */
  throttled: { giveUpMs: number; rows: ThrottledRow[] };
}

const PAIRS = [
  ['gateway / apollo', 'gateway', 'apollo'],
  ['gateway / naive', 'gateway', 'naive'],
  ['gateway / rest-floor', 'gateway', 'rest-floor'],
  ['gateway / node-limit', 'gateway', 'node-limit'],
  ['gateway / tailcall', 'gateway', 'tailcall'],
  ['gateway-redis-2 / gateway', 'gateway-redis-2', 'gateway'],
] as const;

/**
 * Gateway rps over apollo, naive, rest-floor, node-limit and tailcall, and gateway-redis-2's over the gateway's, per
 * (mode, query), and gateway Q3 over Q0 per mode; latency 0 only.
 */
export function ratios(rows: readonly Row[]): Ratio[] {
  const find = (peer: string, mode: Mode, query: QueryName) =>
    rows.find((r) => r.latencyMs === 0 && r.peer === peer && r.mode === mode && r.query === query);
  const out: Ratio[] = [];
  const modes = [...new Set(rows.map((r) => r.mode))];
  const queries = [...new Set(rows.map((r) => r.query))];
  for (const [name, one, other] of PAIRS) {
    for (const mode of modes) {
      for (const query of queries) {
        const a = find(one, mode, query);
        const b = find(other, mode, query);
        if (a && b && b.rps > 0) out.push({ name, mode, query, value: round2(a.rps / b.rps) });
      }
    }
  }
  for (const mode of modes) {
    const q3 = find('gateway', mode, 'Q3');
    const q0 = find('gateway', mode, 'Q0');
    if (q3 && q0 && q0.rps > 0) out.push({ name: 'gateway Q3 / gateway Q0', mode, query: 'Q3', value: round2(q3.rps / q0.rps) });
  }
  return out;
}

/** The critical-path check of a one-connection Q3 row measured with upstream latency. */
export function criticalPath(row: Row): CriticalPath {
  const idealMs = 3 * row.latencyMs;
  return {
    peer: row.peer,
    latencyMs: row.latencyMs,
    requests: row.requests,
    p50Ms: row.p50Ms,
    p99Ms: row.p99Ms,
    upstreamCallsPerQuery: row.upstreamCallsPerQuery,
    idealMs,
    ratio: round2(row.p50Ms / idealMs),
  };
}

/** Writes latest.json, latest.md and latest.svg into `dir`. */
export async function writeResults(dir: URL, results: Results): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(new URL('latest.json', dir), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(new URL('latest.md', dir), markdown(results));
  await writeFile(new URL('latest.svg', dir), svg(results.ratios, results.meta));
}

function markdown({ meta, rows, ratios: rs, burst, sharing, criticalPath: cp, pipeline, throttled }: Results): string {
  const lines = [
    `# Benchmark: latest run${meta.quick ? ' (quick)' : ''}`,
    '',
    `- date: ${meta.date}; command: \`${meta.command}\`; commit ${meta.gitCommit.slice(0, 12)}${meta.gitDirty ? ' plus uncommitted changes' : ''}`,
    `- Node ${meta.node}; ${meta.cores} × ${meta.cpuModel}; ${meta.pinning}`,
    `- autocannon: ${meta.connections} connections, ${meta.warmupS} s warm-up (not measured), then ${meta.durationS} s measured per row`,
    `- modes: ${meta.modes.map((m) => `${m} (CACHE_TTL_MS=${meta.cacheTtlMs[m]}${m === 'rotating' ? `, ${meta.rotatingTokens} tokens` : ', 1 token'})`).join('; ')}`,
    `- sandbox latency per upstream call: ${meta.latenciesMs.join(' and ')} ms`,
    `- peer processes (one per peer, gateway-redis-2: one per replica; one server per mode inside) at start: ${Object.entries(
      meta.peerStartRssMb,
    )
      .map(([p, mb]) => `${p} ${mb} MB`)
      .join(', ')} RSS (gateway-redis-2: both replicas)`,
    `- Redis (gateway-redis-2): ${meta.redis}; failed or timed-out Redis commands over the run (both replicas): ${Object.entries(
      meta.redisErrors,
    )
      .map(
        ([m, ops]) =>
          `${m}: ${
            Object.entries(ops)
              .map(([op, n]) => `${op} ${n}`)
              .join(', ') || 'none'
          }`,
      )
      .join('; ')}`,
    `- machine load average (1 min) at start and end: ${meta.loadAverage.join(' and ')} (other work on the machine shares its ${meta.cores} CPUs)`,
    '',
    '## Rows',
    '',
    `min calls: the fewest upstream calls that answer the query, the planner's (Q3 reads its media files through the media list's pages); against reading each media file by id, as the rest-floor, naive, Apollo and Tailcall peers do, the planner saves ${plannerSavingsOnQ3()} calls per cold Q3.`,
    '',
    '| query | mode | latency ms | peer | rps | p50 ms | p99 ms | upstream calls/query | min calls | CPU ms/req | peak RSS MB | errors | correct | sandbox CPU % | generator CPU % |',
    '| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.query} | ${r.mode} | ${r.latencyMs} | ${r.peer} | ${r.rps} | ${r.p50Ms} | ${r.p99Ms} | ${r.upstreamCallsPerQuery} | ${r.minUpstreamCalls} | ${r.cpuMsPerRequest} | ${r.peakRssMb} | ${r.errors} | ${r.correct} | ${r.sandboxCpuPct} | ${r.generatorCpuPct} |`,
    ),
    '',
    '## Ratios (requests/s, sandbox latency 0 ms)',
    '',
    '| ratio | mode | query | value |',
    '| --- | --- | --- | ---: |',
    ...rs.map((r) => `| ${r.name} | ${r.mode} | ${r.query} | ${r.value} |`),
    '',
    '## Burst: 100 concurrent identical Q3 requests, one token, fresh process (cache on where the peer has one)',
    '',
    '| peer | requests | correct answers | upstream resources | upstream calls | max calls per resource | resources read more than once |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...burst.map(
      (b) =>
        `| ${b.peer} | ${b.requests} | ${b.correct} | ${b.resources} | ${b.upstreamCalls} | ${b.maxCallsPerResource} | ${b.repeatedResources} |`,
    ),
    '',
    'gateway-redis-2: the 100 requests alternate between its two fresh replicas, which share answers through Redis but not reads in flight.',
    '',
    ...scaleOutMarkdown(rows, sharing),
    '## Critical path: Q3, cold, one connection, sandbox latency per upstream call',
    '',
    'Ideal: 3 sequential upstream rounds (the list, then the entries, then the media files). The gateway reads the media list ahead, with the first round, as the same query of the same token needed it last time (reading ahead, README), so its own path is 2 rounds.',
    '',
    '| peer | latency ms | requests | p50 ms | p99 ms | upstream calls/query | ideal ms | p50 / ideal |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...cp.map(
      (c) =>
        `| ${c.peer} | ${c.latencyMs} | ${c.requests} | ${c.p50Ms} | ${c.p99Ms} | ${c.upstreamCallsPerQuery} | ${c.idealMs} | ${c.ratio} |`,
    ),
    '',
    '## Answers no whole-result cache holds (wrk)',
    '',
    ...pipelineMarkdown(pipeline),
    '',
    "## Real-size account under viewneo's throttle",
    '',
    ...throttledMarkdown(throttled.rows, throttled.giveUpMs),
    '',
  ];
  return lines.join('\n');
}

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A hand-written horizontal bar chart of the ratios on a log scale centred on 1. */
function svg(rs: readonly Ratio[], meta: Meta): string {
  const rowH = 20;
  const top = 56;
  const labelW = 300;
  const plotW = 420;
  const width = labelW + plotW + 80;
  const logs = rs.map((r) => Math.log10(Math.max(r.value, 1e-3)));
  const lo = Math.min(-1, Math.floor(Math.min(0, ...logs)));
  const hi = Math.max(1, Math.ceil(Math.max(0, ...logs)));
  const x = (log: number) => labelW + ((log - lo) / (hi - lo)) * plotW;
  const height = top + rs.length * rowH + 40;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">viewneo gateway benchmark: requests/s ratios (log scale, sandbox latency 0 ms)</text>`,
    `<text x="10" y="38" fill="#555">${esc(`${meta.date.slice(0, 10)}, Node ${meta.node}, ${meta.cores} × ${meta.cpuModel}${meta.quick ? ', quick run' : ''}; right of 1: the first named is faster`)}</text>`,
  ];
  for (let d = lo; d <= hi; d++) {
    const tx = x(d);
    parts.push(
      `<line x1="${tx}" y1="${top - 6}" x2="${tx}" y2="${top + rs.length * rowH}" stroke="${d === 0 ? '#000' : '#ddd'}"${d === 0 ? ' stroke-dasharray="4 3"' : ''}/>`,
    );
    parts.push(
      `<text x="${tx}" y="${top + rs.length * rowH + 16}" text-anchor="middle" fill="#555">${10 ** d >= 1 ? 10 ** d : (10 ** d).toFixed(-d)}×</text>`,
    );
  }
  rs.forEach((r, i) => {
    const y = top + i * rowH;
    const log = Math.log10(Math.max(r.value, 1e-3));
    const [from, to] = log >= 0 ? [x(0), x(log)] : [x(log), x(0)];
    const colour = r.value >= 1 ? '#2b7bb9' : '#d0743c';
    parts.push(
      `<text x="${labelW - 8}" y="${y + 14}" text-anchor="end">${esc(`${r.name}, ${r.mode}${r.name.includes('Q0') ? '' : `, ${r.query}`}`)}</text>`,
    );
    parts.push(
      `<rect x="${from.toFixed(1)}" y="${y + 3}" width="${Math.max(1, to - from).toFixed(1)}" height="${rowH - 6}" fill="${colour}"/>`,
    );
    parts.push(
      `<text x="${(log >= 0 ? to + 4 : from - 4).toFixed(1)}" y="${y + 14}" text-anchor="${log >= 0 ? 'start' : 'end'}">${r.value}</text>`,
    );
  });
  parts.push('</svg>', '');
  return parts.join('\n');
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
