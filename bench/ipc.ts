import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { COMPILED } from './paths.js';

/** A handler of one message type in a child process. */
export type Handler = (payload: Record<string, unknown>) => unknown;

interface Call {
  readonly id: number;
  readonly type: string;
  readonly payload: Record<string, unknown>;
}

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/**
 * Child side: reports `ready` to the parent (as the reply to call 0), then answers the parent's
 * calls with `handlers`; exits when the parent disconnects (so a dead parent leaves no child).
 */
export function serveParent(ready: unknown, handlers: Record<string, Handler>, onExit: () => Promise<void> = async () => {}): void {
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error('this file runs as a child process of bench/run.ts');
  send({ id: 0, ok: true, value: ready } satisfies Reply);
  process.on('message', (message: Call) => {
    const handler = handlers[message.type];
    Promise.resolve()
      .then(() => {
        if (handler === undefined) throw new Error(`unknown call ${message.type}`);
        return handler(message.payload);
      })
      .then(
        (value) => send({ id: message.id, ok: true, value } satisfies Reply),
        (error: unknown) => send({ id: message.id, ok: false, error: String(error) } satisfies Reply),
      );
  });
  process.on('disconnect', () => {
    void onExit().finally(() => process.exit(0));
  });
}

/** Which CPU to pin a child to with `taskset`, or none. */
export type Pin = number | null;

const running = new Set<Child>();

/** A child process of the benchmark that answers calls over IPC. */
export class Child {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly exited: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly process: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => process.once('exit', () => resolve()));
    process.on('message', (reply: Reply) => {
      const waiter = this.pending.get(reply.id);
      if (waiter === undefined) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.value);
      else waiter.reject(new Error(`${name}: ${reply.error}`));
    });
    // A failed send (the child went away) rejects that call; the exit handler rejects the rest.
    process.on('error', () => {});
    process.once('exit', (code, signal) => {
      running.delete(this);
      for (const waiter of this.pending.values()) waiter.reject(new Error(`${name} exited (${signal ?? code})`));
      this.pending.clear();
    });
  }

  /**
   * Starts `bench/<file>` (its compiled `.js` when this runs compiled, else the `.ts` under tsx),
   * pinned to `pin` when given, and resolves with the child and what it reported as ready;
   * rejects if it is not ready within `timeoutMs`.
   */
  static async start<R>(
    name: string,
    file: string,
    options: { args?: string[]; env?: Record<string, string>; pin: Pin; timeoutMs?: number },
  ): Promise<{ child: Child; ready: R }> {
    const script = fileURLToPath(new URL(COMPILED ? file.replace(/\.ts$/, '.js') : file, import.meta.url));
    const node = [process.execPath, ...(COMPILED ? [] : ['--import', 'tsx']), script, ...(options.args ?? [])];
    const [command, ...args] = options.pin === null ? node : ['taskset', '-c', String(options.pin), ...node];
    const proc = spawn(command!, args, {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, ...options.env },
    });
    const child = new Child(name, proc);
    running.add(child);
    const ready = child.wait<R>(0, options.timeoutMs ?? 30_000, 'start');
    return { child, ready: await ready };
  }

  /** Calls `type` in the child and resolves with its answer (rejects after `timeoutMs`). */
  call<T>(type: string, payload: Record<string, unknown> = {}, timeoutMs = 30_000): Promise<T> {
    if (!this.process.connected) return Promise.reject(new Error(`${this.name} is not running`));
    const id = this.nextId++;
    const answer = this.wait<T>(id, timeoutMs, type);
    this.process.send({ id, type, payload } satisfies Call, (error) => {
      if (error) this.pending.get(id)?.reject(error);
    });
    return answer;
  }

  /** Disconnects (the child exits by itself), then SIGKILLs it if it is still there after 3 s. */
  async stop(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    if (this.process.connected) this.process.disconnect();
    else this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 3_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** SIGKILLs the child now. */
  kill(): void {
    this.process.kill('SIGKILL');
  }

  private wait<T>(id: number, timeoutMs: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: no answer to ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  }
}

/** Stops every child still running. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => child.stop()));
}

/** Kills every child still running at once (for `process.on('exit')`, which cannot wait). */
export function killAllNow(): void {
  for (const child of running) child.kill();
}

/**
 * On SIGINT or SIGTERM, and once `deadlineMs` have passed, runs `stop` and exits (130, 143, and 1
 * past the deadline, saying that `what` did not finish in time). Returns what cancels the deadline.
 */
export function stopOnSignalsAndDeadline(stop: () => Promise<void>, deadlineMs: number, what: string): () => void {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      console.error(`${signal}: stopping the benchmark's processes`);
      void stop().finally(() => process.exit(code));
    });
  }
  const deadline = setTimeout(() => {
    console.error(`${what} did not finish within ${deadlineMs / 1000} s`);
    void stop().finally(() => process.exit(1));
  }, deadlineMs);
  return () => clearTimeout(deadline);
}
