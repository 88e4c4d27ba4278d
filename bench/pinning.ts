import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import type { Pin } from './ipc.js';

/** Where the benchmark's processes run: the peer's CPU, the helpers' CPU, and that said in words for the report. */
export interface Pinning {
  readonly peer: Pin;
  readonly helpers: Pin;
  readonly description: string;
}

/** With two or more CPUs and taskset: peers on CPU 0, sandbox, generator and redis-server on CPU 1. */
export function pinning(): Pinning {
  const usable = cpus().length >= 2 && spawnSync('taskset', ['-c', '1', 'true']).status === 0;
  return usable
    ? {
        peer: 0,
        helpers: 1,
        description:
          'peer pinned to CPU 0 (gateway-redis-2: replica 1 on CPU 0, replica 2 on CPU 1); sandbox, load generator and redis-server pinned to CPU 1 (taskset)',
      }
    : { peer: null, helpers: null, description: 'not pinned (taskset or a second CPU unavailable)' };
}
