// wrk (a C load generator, /usr/bin/wrk from Debian) driven by a Lua script written per run. Runs
// in the load process (load-process.ts), so it inherits that process's CPU pinning, and is started
// with a parent-death signal, so it never outlives that process.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDEATHSIG } from './pdeathsig.js';

/** Where Debian's package installs it. */
export const WRK = '/usr/bin/wrk';

/**
 * One wrk run: POSTs to `url` with one bearer token over `connections` keep-alive connections
 * and `threads` threads for `durationS` (whole seconds; requests in flight then are dropped).
 * The body is `body`, or with `oneOff` a new document per request: `prefix`, a GraphQL name no
 * request of this run (nor of another run with another `run`) used, then `suffix`.
 */
export interface WrkJob {
  readonly url: string;
  readonly token: string;
  readonly connections: number;
  readonly threads: number;
  readonly durationS: number;
  readonly body: string | { readonly oneOff: { readonly prefix: string; readonly suffix: string; readonly run: string } };
}

/** What wrk counted. */
export interface WrkResult {
  readonly requests: number;
  readonly durationS: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Answers with a status of 400 or more (wrk's "Non-2xx or 3xx responses" counts these). */
  readonly non2xx: number;
  /** Connect, read and write errors and timeouts. */
  readonly socketErrors: number;
}

// Lua long brackets need no escaping as long as the text holds no `]==]`.
const lua = (text: string) => {
  if (text.includes(']==]')) throw new Error(`wrk: cannot quote ${text} in Lua`);
  return `[==[${text}]==]`;
};

/**
 * The run's Lua script. A one-off body numbers its requests per thread (each thread has its own
 * Lua state, and `setup` gives each its id): the name is `<prefix-letter><run>_<thread>_<n>`.
 * `done` prints the counters as one JSON line after `WRK_JSON`.
 */
export function wrkScript(job: WrkJob): string {
  const body =
    typeof job.body === 'string'
      ? [`wrk.body = ${lua(job.body)}`]
      : [
          'local threads = 0',
          'function setup(thread)',
          '  thread:set("tid", threads)',
          '  threads = threads + 1',
          'end',
          'local sent = 0',
          'function request()',
          '  sent = sent + 1',
          `  return wrk.format(nil, nil, nil, ${lua(job.body.oneOff.prefix)} .. ${lua(job.body.oneOff.run)} .. "_" .. tid .. "_" .. sent .. ${lua(job.body.oneOff.suffix)})`,
          'end',
        ];
  return [
    'wrk.method = "POST"',
    'wrk.headers["Content-Type"] = "application/json"',
    `wrk.headers["Authorization"] = ${lua(`Bearer ${job.token}`)}`,
    ...body,
    'function done(summary, latency, requests)',
    '  local e = summary.errors',
    '  io.write(string.format(\'WRK_JSON {"requests":%.0f,"durationUs":%.0f,"p50Us":%.0f,"p99Us":%.0f,"status":%.0f,"socket":%.0f}\\n\',',
    '    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.status,',
    '    e.connect + e.read + e.write + e.timeout))',
    'end',
    '',
  ].join('\n');
}

/** wrk's version, e.g. "4.1.0"; throws when wrk is missing. */
export function wrkVersion(): string {
  const out = spawnSync(WRK, ['--version'], { encoding: 'utf8' });
  const version = /wrk (?:\S*\/)?(\d+\.\d+\.\d+)/.exec(`${out.stdout}${out.stderr}`)?.[1];
  if (version === undefined) throw new Error(`expected ${WRK} (Debian: apt-get install wrk), got: ${out.error ?? out.stderr}`);
  return version;
}

/** The wrk runs going, with their script's temp dir. */
const running = new Map<ChildProcess, string>();

/** Runs wrk once and resolves with its counters; rejects when it fails or outlives the run by 20 s. */
export async function runWrk(job: WrkJob): Promise<WrkResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-wrk-'));
  const script = join(dir, 'run.lua');
  writeFileSync(script, wrkScript(job));
  const options = { '-c': job.connections, '-t': job.threads, '-d': `${job.durationS}s`, '--timeout': '10s', '-s': script };
  const [command, ...rest] = [...PDEATHSIG, WRK, ...Object.entries(options).flatMap(([flag, value]) => [flag, String(value)]), job.url];
  const child = spawn(command!, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.set(child, dir);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const limit = setTimeout(() => child.kill('SIGKILL'), (job.durationS + 20) * 1000);
  try {
    const [code] = (await once(child, 'exit')) as [number | null];
    const line = /^WRK_JSON (.*)$/m.exec(output)?.[1];
    if (code !== 0 || line === undefined) throw new Error(`wrk exited with ${code}:\n${output.slice(0, 2000)}`);
    const raw = JSON.parse(line) as { requests: number; durationUs: number; p50Us: number; p99Us: number; status: number; socket: number };
    return {
      requests: raw.requests,
      durationS: raw.durationUs / 1e6,
      p50Ms: raw.p50Us / 1000,
      p99Ms: raw.p99Us / 1000,
      non2xx: raw.status,
      socketErrors: raw.socket,
    };
  } finally {
    clearTimeout(limit);
    running.delete(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** SIGKILLs the wrk runs still going and removes their temp dirs (when the load process is told to exit). */
export function killWrk(): void {
  for (const [child, dir] of running) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
  running.clear();
}
