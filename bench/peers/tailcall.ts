import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../paths.js';
import { PDEATHSIG } from '../pdeathsig.js';
import { freePort } from '../redis-server.js';
import type { PeerModule, PeerSettings, ServerProcesses, StartPeer } from './types.js';

/** The npm package that ships the binary (pinned: see bench/README.md, "tailcall"). */
const PACKAGE = '@tailcallhq/core-linux-x64-gnu';
const CONFIG = fileURLToPath(new URL('bench/peers/tailcall.graphql', REPO_ROOT));
const HOOKS = fileURLToPath(new URL('bench/peers/tailcall-hooks.js', REPO_ROOT));
const START_TIMEOUT_MS = 20_000;
const START_ATTEMPTS = 3;
// Linux reports /proc/<pid>/stat times in USER_HZ ticks, 100 per second on every common platform.
const MICROS_PER_TICK = 10_000;

interface Server {
  readonly child: ChildProcess;
  readonly dir: string;
  readonly exited: Promise<unknown>;
}

const servers = new Set<Server>();

/** The binary inside the package (it has no exports map, so its package.json resolves). */
function binary(): string {
  try {
    return join(dirname(createRequire(import.meta.url).resolve(`${PACKAGE}/package.json`)), 'bin', 'tailcall');
  } catch {
    throw new Error(`tailcall: ${PACKAGE} is not installed (npm install; it exists for Linux x64 with glibc only)`);
  }
}

/**
 * The Tailcall config of one mode: tailcall.graphql with its port, and each @cache's maxAge set
 * to the mode's TTL; with TTL 0 (cold) without @cache and without `dedupe`, which in Tailcall
 * also shares in-flight calls (and, under its JIT, whole operations) between concurrent requests.
 */
export function tailcallConfig(template: string, port: number, cacheTtlMs: number): string {
  const replace = (text: string, pattern: RegExp, by: string, expected: number) => {
    const found = text.match(pattern)?.length ?? 0;
    if (found !== expected) throw new Error(`tailcall.graphql: expected ${expected} × ${pattern}, found ${found}`);
    return text.replace(pattern, by);
  };
  const cached = cacheTtlMs > 0;
  let config = replace(template, /port: 8000\b/g, `port: ${port}`, 1);
  config = replace(config, /\n *@cache\(maxAge: \d+\)/g, cached ? `\n    @cache(maxAge: ${Math.round(cacheTtlMs)})` : '', 3);
  return replace(config, /, dedupe: true/g, cached ? ', dedupe: true' : '', 3);
}

/** Whether the server on `port` answers `{ __typename }`. */
async function answers(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ __typename }"}',
      signal: AbortSignal.timeout(1_000),
    });
    return res.ok && (await res.text()).includes('"__typename":"Query"');
  } catch {
    return false;
  }
}

/** One Tailcall process on a free loopback port with the mode's config, in a temp dir of its own; resolves once it answers. */
async function startServer({ sandboxUrl, cacheTtlMs }: PeerSettings, attempt = 1): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-tailcall-'));
  const port = await freePort();
  writeFileSync(join(dir, 'config.graphql'), tailcallConfig(readFileSync(CONFIG, 'utf8'), port, cacheTtlMs));
  copyFileSync(HOOKS, join(dir, 'tailcall-hooks.js'));
  const [command, ...args] = [...PDEATHSIG, binary(), 'start', join(dir, 'config.graphql')];
  // cwd: the temp dir, since Tailcall loads a .env from its working directory; HOME too (its update check's cache).
  const child = spawn(command!, args, {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      VIEWNEO_API: `${sandboxUrl}/api/v1.0`,
      TAILCALL_TRACKER: 'false',
      TC_LOG_LEVEL: 'error',
    },
  });
  const server: Server = { child, dir, exited: once(child, 'exit').catch(() => {}) };
  servers.add(server);
  let output = '';
  // Read (and keep only the start of) its log, so that a full pipe never blocks it.
  const collect = (chunk: Buffer) => (output = (output + chunk.toString()).slice(0, 4000));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  child.on('error', (error) => collect(Buffer.from(String(error))));
  const until = Date.now() + START_TIMEOUT_MS;
  while (!(await answers(port))) {
    const gone = child.exitCode !== null || child.signalCode !== null;
    if (gone || Date.now() > until) {
      await stopServer(server);
      // Another process may have taken the probed port before Tailcall bound it.
      if (gone && /address already in use/i.test(output) && attempt < START_ATTEMPTS)
        return startServer({ sandboxUrl, cacheTtlMs }, attempt + 1);
      throw new Error(`tailcall did not start on port ${port}:\n${output}`);
    }
    await sleep(50);
  }
  return port;
}

/** SIGTERM, then SIGKILL if it is still there after 1 s; removes its temp dir. */
async function stopServer(server: Server): Promise<void> {
  const { child } = server;
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 1_000);
    await server.exited;
    clearTimeout(timer);
  }
  rmSync(server.dir, { recursive: true, force: true });
  servers.delete(server);
}

/** SIGKILLs every server at once and removes their dirs (for 'exit' and signals, which cannot wait). */
function killAllNow(): void {
  for (const { child, dir } of servers) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
  servers.clear();
}

process.once('exit', killAllNow);
for (const [signal, code] of [
  ['SIGTERM', 143],
  ['SIGINT', 130],
] as const) {
  process.once(signal, () => {
    killAllNow();
    process.exit(code);
  });
}

/** /proc/<pid>/stat fields after the command name: utime and stime are the 12th and 13th. */
function cpuOf(pid: number | undefined): NodeJS.CpuUsage {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return { user: Number(fields[11]) * MICROS_PER_TICK, system: Number(fields[12]) * MICROS_PER_TICK };
  } catch {
    return { user: 0, system: 0 };
  }
}

function rssOf(pid: number | undefined): number {
  try {
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** The CPU and RSS of this process's Tailcall servers, summed (each mode's server; the idle ones count too). */
const processes: ServerProcesses = {
  cpu: () => {
    const all = [...servers].map((s) => cpuOf(s.child.pid));
    return { user: all.reduce((n, c) => n + c.user, 0), system: all.reduce((n, c) => n + c.system, 0) };
  },
  rss: () => [...servers].reduce((n, s) => n + rssOf(s.child.pid), 0),
};

/** Tailcall's own binary, one per mode, configured by tailcall.graphql: see bench/README.md. */
export const startTailcall: StartPeer = (settings) => startServer(settings);

/** The `tailcall` peer: its servers are Tailcall processes, whose CPU and memory the peer process reports. */
export const tailcall: PeerModule = {
  start: startTailcall,
  stop: async () => {
    await Promise.all([...servers].map(stopServer));
  },
  servers: processes,
};
