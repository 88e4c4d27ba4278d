// The soak's child processes: a redis-server that can be stopped and started again on the same
// port, and the compiled gateway in its own process (with an inspector port, so that the soak can
// force a full GC before it reads the heap from the gateway's /metrics).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import type { Pin } from '../ipc.js';
import { REPO_ROOT } from '../paths.js';
import { freePort, pong } from '../redis-server.js';

const REDIS_SERVER = '/usr/bin/redis-server';
const STOP_GRACE_MS = 12_000;

const running = new Set<ChildProcess>();

/** Whether taskset works here and there are two CPUs to pin to. */
export function canPin(): boolean {
  return spawnSync('taskset', ['-c', '1', 'true']).status === 0;
}

function pinned(pin: Pin, command: string[]): string[] {
  return pin === null ? command : ['taskset', '-c', String(pin), ...command];
}

function gone(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Sends `signal`, then SIGKILL after `graceMs`; resolves with how the child ended. */
async function end(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<string> {
  if (!gone(child)) {
    const exited = once(child, 'exit');
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
  return child.signalCode ?? `exit ${child.exitCode}`;
}

function spawnTracked(command: string[], options: Parameters<typeof spawn>[2]): ChildProcess {
  const [file, ...args] = command;
  const child = spawn(file!, args, options);
  running.add(child);
  child.once('exit', () => running.delete(child));
  child.on('error', () => {});
  return child;
}

/** SIGKILLs every process this module started that is still running (for `process.on('exit')`, which cannot wait). */
export function killRigNow(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** A throwaway redis-server (loopback, no persistence) on one fixed port, which can be stopped and started again. */
export interface SoakRedis {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** e.g. "7.0.15". */
  readonly version: string;
  /** Whether a server is running now. */
  running(): boolean;
  /** Starts a server on the same port and resolves once it answers PING; rejects with its output if it does not within 10 s. */
  start(): Promise<void>;
  /** Stops the running server with `signal` (SIGKILL after 3 s) and resolves once it is gone. */
  stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

/** Starts `/usr/bin/redis-server` on a free loopback port, pinned to `pin` when given. */
export async function startSoakRedis(pin: Pin): Promise<SoakRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    const server = spawnTracked(
      pinned(pin, [REDIS_SERVER, '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']),
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    // Keep reading its log (only its start is kept), so that a full pipe never blocks it.
    const collect = (chunk: Buffer) => (output = (output + chunk.toString()).slice(0, 4000));
    server.stdout!.on('data', collect);
    server.stderr!.on('data', collect);
    const until = Date.now() + 10_000;
    while (!(await pong(port))) {
      if (gone(server) || Date.now() > until) {
        server.kill('SIGKILL');
        throw new Error(`redis-server (${REDIS_SERVER}) did not start on port ${port}:\n${output}`);
      }
      await sleep(50);
    }
    child = server;
  };
  await start();
  const version = /v=(\S+)/.exec(spawnSync(REDIS_SERVER, ['--version'], { encoding: 'utf8' }).stdout ?? '')?.[1] ?? 'unknown';
  return {
    url: `redis://127.0.0.1:${port}`,
    version,
    running: () => child !== undefined && !gone(child),
    start,
    stop: async (signal) => {
      if (child !== undefined) await end(child, signal, 3_000);
    },
  };
}

/** One line the gateway logged: pino's level name (or "stderr" for a line that is not pino JSON) and message. */
export interface GatewayLogLine {
  readonly level: string;
  readonly msg: string;
  readonly raw: string;
}

/** The gateway's Prometheus series: `name{labels}` (as exposed) to value. */
export type Series = Map<string, number>;

/** The compiled gateway (`dist-bench/src/server.js`), running as its own process. */
export interface GatewayProcess {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly pid: number;
  /** How it ended (`exit 0`, `SIGKILL`, …), or null while it runs. */
  exitStatus(): string | null;
  /** Its /metrics, parsed. */
  metrics(): Promise<Series>;
  /** One full, synchronous GC in the gateway (`gc()` over its inspector); resolves once it is done. */
  collectGarbage(): Promise<void>;
  /** SIGTERM (its graceful shutdown), SIGKILL after 12 s; resolves with how it ended. */
  stop(): Promise<string>;
}

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/**
 * Starts `node --expose-gc --inspect=127.0.0.1:<port> dist-bench/src/server.js` with exactly `env` (plus
 * PORT and HOST), pinned to `pin`, passes every line it logs to `onLog`, and resolves once
 * /healthz answers and the inspector accepts a session; rejects if that takes over 20 s.
 */
export async function startGatewayProcess(
  env: Record<string, string>,
  pin: Pin,
  onLog: (line: GatewayLogLine) => void,
): Promise<GatewayProcess> {
  const [port, inspectPort] = [await freePort(), await freePort()];
  const script = fileURLToPath(new URL('dist-bench/src/server.js', REPO_ROOT));
  const child = spawnTracked(pinned(pin, [process.execPath, '--expose-gc', `--inspect=127.0.0.1:${inspectPort}`, script]), {
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  createInterface({ input: child.stdout! }).on('line', (raw) => onLog(parseLogLine(raw)));
  createInterface({ input: child.stderr! }).on('line', (raw) => {
    // The inspector's own lines, expected with --inspect.
    if (!/^(Debugger (listening on|attached|ending on)|For help, see)/.test(raw)) onLog({ level: 'stderr', msg: raw, raw });
  });
  const origin = `http://127.0.0.1:${port}`;
  const until = Date.now() + 20_000;
  while (!(await answers(`${origin}/healthz`))) {
    if (gone(child) || Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`the gateway did not start (${child.signalCode ?? child.exitCode ?? 'no answer on /healthz within 20 s'})`);
    }
    await sleep(100);
  }
  const inspector = await openInspector(inspectPort);
  child.once('exit', () => inspector.close());
  return {
    origin,
    pid: child.pid!,
    exitStatus: () => (gone(child) ? (child.signalCode ?? `exit ${child.exitCode}`) : null),
    metrics: async () => parseSeries(await (await fetch(`${origin}/metrics`, { signal: AbortSignal.timeout(10_000) })).text()),
    // One mark-compact; the inspector's HeapProfiler.collectGarbage repeats GCs until nothing more is freed, which took seconds here.
    collectGarbage: () => inspector.call('Runtime.evaluate', { expression: 'gc()' }),
    stop: () => {
      // An attached inspector session would hold the process at its exit ("Waiting for the debugger to disconnect").
      inspector.close();
      return end(child, 'SIGTERM', STOP_GRACE_MS);
    },
  };
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return false;
  }
}

function parseLogLine(raw: string): GatewayLogLine {
  try {
    const line = JSON.parse(raw) as { level?: number; msg?: string };
    return { level: LEVELS[line.level ?? 0] ?? String(line.level), msg: line.msg ?? '', raw };
  } catch {
    return { level: 'stdout', msg: raw, raw };
  }
}

/** Parses Prometheus text: every sample line to its value. */
export function parseSeries(text: string): Series {
  const series: Series = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    series.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return series;
}

/** The sum of every series of metric `name` (all label sets). */
export function total(series: Series, name: string): number {
  let sum = 0;
  for (const [key, value] of series) if (key === name || key.startsWith(`${name}{`)) sum += value;
  return sum;
}

/** The series of metric `name` by the value of its label `label`. */
export function byLabel(series: Series, name: string, label: string): Record<string, number> {
  const values: Record<string, number> = {};
  for (const [key, value] of series) {
    if (!key.startsWith(`${name}{`)) continue;
    const labelValue = new RegExp(`${label}="([^"]*)"`).exec(key)?.[1] ?? '';
    values[labelValue] = (values[labelValue] ?? 0) + value;
  }
  return values;
}

interface Inspector {
  call(method: string, params?: Record<string, unknown>): Promise<void>;
  close(): void;
}

/** A Chrome DevTools Protocol session with the Node process whose inspector listens on `port`. */
async function openInspector(port: number): Promise<Inspector> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  const socket = new WebSocket(targets[0]!.webSocketDebuggerUrl);
  socket.on('error', () => {});
  await once(socket, 'open');
  const pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  socket.on('message', (data) => {
    const reply = JSON.parse(String(data)) as { id?: number; error?: { message: string } };
    const waiter = reply.id === undefined ? undefined : pending.get(reply.id);
    if (waiter === undefined) return;
    pending.delete(reply.id!);
    if (reply.error) waiter.reject(new Error(reply.error.message));
    else waiter.resolve();
  });
  socket.on('close', () => {
    for (const waiter of pending.values()) waiter.reject(new Error('the gateway’s inspector closed'));
    pending.clear();
  });
  let nextId = 1;
  return {
    call: (method, params = {}) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        socket.send(JSON.stringify({ id, method, params }), (error) => {
          if (error) {
            pending.delete(id);
            reject(error);
          }
        });
      }),
    close: () => socket.close(),
  };
}
