import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

/** A throwaway redis-server on loopback, without persistence. */
export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Kills the server (SIGKILL: like a crash) and waits until it is gone. */
  kill(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open, nothing is answered. */
  freeze(): void;
  /** Lets a frozen server go on (SIGCONT). */
  thaw(): void;
  /** Stops the server (SIGTERM) and waits until it is gone. */
  stop(): Promise<void>;
  /** Whether the process still runs (neither killed nor stopped). */
  alive(): boolean;
}

const INSTALL_HINT =
  'redis-server or redis-sentinel is not installed: install them with `apt-get update && apt-get install -y redis-server redis-sentinel redis-tools` ' +
  '(Debian/Ubuntu; .ci/run does this) or `brew install redis` (macOS)';

/** A TCP port free on loopback now. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * Starts `redis-server` on `port` (default: a free one) on 127.0.0.1 and resolves once it
 * accepts connections. Fails, saying how to install it, when redis-server is missing.
 */
export async function startRedis(port?: number, args: readonly string[] = []): Promise<RedisServer> {
  const chosen = port ?? (await freePort());
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--repl-diskless-sync-delay', '0', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return running(child, chosen, 'Ready to accept connections');
}

/** Starts `redis-sentinel` with the configuration file `config` on `port`; resolves once it monitors its master. */
export async function startSentinel(port: number, config: string): Promise<RedisServer> {
  const child = spawn('redis-sentinel', [config, '--port', String(port), '--bind', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return running(child, port, '+monitor master');
}

/** `child` (redis-server or redis-sentinel on `port`) once its output said `ready`. */
async function running(child: ChildProcess, chosen: number, readyLine: string): Promise<RedisServer> {
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  await new Promise<void>((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? new Error(INSTALL_HINT) : error));
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code} before it was ready:\n${output}`)));
    const ready = () => {
      if (!output.includes(readyLine)) return;
      child.stdout!.off('data', ready);
      resolve();
    };
    child.stdout!.on('data', ready);
  });
  const gone = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    // A frozen server only acts on SIGTERM once it runs again.
    if (signal !== 'SIGKILL') child.kill('SIGCONT');
    await exited;
  };
  return {
    port: chosen,
    url: `redis://127.0.0.1:${chosen}`,
    kill: () => gone('SIGKILL'),
    freeze: () => child.kill('SIGSTOP'),
    thaw: () => child.kill('SIGCONT'),
    stop: () => gone('SIGTERM'),
    alive: () => child.exitCode === null && child.signalCode === null,
  };
}
