import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Pin } from './ipc.js';

const REDIS_SERVER = '/usr/bin/redis-server';
// Linux reports /proc/<pid>/stat times in USER_HZ ticks, 100 per second on every common platform.
const MICROS_PER_TICK = 10_000;

/** The run's throwaway redis-server (loopback, no persistence). */
export interface BenchRedis {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** e.g. "7.0.15". */
  readonly version: string;
  /** CPU the server used since it started (from /proc, 10 ms resolution), µs. */
  cpu(): NodeJS.CpuUsage;
  /** SIGTERM, then SIGKILL if it is still there after 3 s; resolves once it is gone. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Whether a Redis on `port` answers PING. */
export function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.setTimeout(500, () => socket.destroy());
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
  });
}

/**
 * Starts `/usr/bin/redis-server` on a free loopback port without persistence (pinned to `pin`
 * when given) and resolves once it answers PING; rejects, with its output, if it exits first or
 * is not ready within `timeoutMs`.
 */
export async function startRedis(pin: Pin, timeoutMs = 10_000): Promise<BenchRedis> {
  const port = await freePort();
  const server = [REDIS_SERVER, '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const [command, ...args] = pin === null ? server : ['taskset', '-c', String(pin), ...server];
  const child = spawn(command!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const exited = once(child, 'exit').then(() => running.delete(child));
  let output = '';
  // Read (and keep only the start of) its log, so that a full pipe never blocks it.
  const collect = (chunk: Buffer) => (output = (output + chunk.toString()).slice(0, 4000));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  child.on('error', () => {});
  const until = Date.now() + timeoutMs;
  while (!(await pong(port))) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`redis-server (${REDIS_SERVER}) did not start on port ${port}:\n${output}`);
    }
    await sleep(50);
  }
  const version = /v=(\S+)/.exec(spawnSync(REDIS_SERVER, ['--version'], { encoding: 'utf8' }).stdout ?? '')?.[1] ?? 'unknown';
  return {
    url: `redis://127.0.0.1:${port}`,
    version,
    cpu: () => {
      try {
        // Fields after the command name (which is in parentheses): utime and stime are the 12th and 13th.
        const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        return { user: Number(fields[11]) * MICROS_PER_TICK, system: Number(fields[12]) * MICROS_PER_TICK };
      } catch {
        return { user: 0, system: 0 };
      }
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** SIGKILLs every redis-server still running at once (for `process.on('exit')`, which cannot wait). */
export function killRedisNow(): void {
  for (const child of running) child.kill('SIGKILL');
}
