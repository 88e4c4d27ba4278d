import { spawnSync } from 'node:child_process';

/**
 * A command prefix that makes the kernel SIGKILL the program it starts when this process dies
 * (even by SIGKILL, which the harness sends to children that do not stop): `setpriv --pdeathsig`
 * (util-linux) sets the parent-death signal before exec'ing it. Empty when setpriv is missing.
 */
export const PDEATHSIG: readonly string[] =
  spawnSync('setpriv', ['--pdeathsig', 'SIGKILL', 'true']).status === 0 ? ['setpriv', '--pdeathsig', 'SIGKILL', '--'] : [];
