// `npm run bench:pipeline [-- --quick]`: the section of `npm run bench` that measures answers no
// whole-result cache holds (pipeline-rows.ts) alone, with wrk: starts the sandbox and the load
// process (pinned to CPU 1) and the peers (CPU 0), prints the table and stops every child, also
// on an error, SIGINT or SIGTERM. See bench/README.md.
import { Child, killAllNow, stopAll, stopOnSignalsAndDeadline } from './ipc.js';
import { pinning } from './pinning.js';
import { measurePipeline, pipelineMarkdown } from './pipeline-rows.js';
import type { SandboxReady } from './sandbox-process.js';

const quick = process.argv.includes('--quick');
const [warmupS, durationS] = quick ? [1, 2] : [2, 5];
const DEADLINE_MS = 5 * 60_000;

process.once('exit', killAllNow);
const cancelDeadline = stopOnSignalsAndDeadline(stopAll, DEADLINE_MS, 'bench:pipeline');

try {
  const pins = pinning();
  const [sandbox, load] = await Promise.all([
    Child.start<SandboxReady>('sandbox', 'sandbox-process.ts', { pin: pins.helpers }),
    Child.start<null>('load generator', 'load-process.ts', { pin: pins.helpers }),
  ]);
  const pipeline = await measurePipeline({
    sandboxUrl: sandbox.ready.url,
    token: sandbox.ready.aliceToken,
    otherToken: sandbox.ready.benchTokens[0]!,
    load: load.child,
    pins,
    warmupS,
    durationS,
    onRow: (row) =>
      console.log(
        `${row.row} ${row.peer}: ${row.rps} rps, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms${row.failing ? `, FAILING: ${row.failing}` : ''}`,
      ),
  });
  console.log(['', ...pipelineMarkdown(pipeline), ''].join('\n'));
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  cancelDeadline();
  await stopAll();
}
