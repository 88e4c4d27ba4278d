// `npm run bench:throttled`: the real-size account under viewneo's throttle, for every peer that
// runs in-process. A sandbox as strict as viewneo (60 calls a minute per token, 20 ms per call)
// and each peer over it; per peer, on a fresh rate window: Q3 for the real-size account, sent
// again (as a user would reload) until an answer is complete or 150 s have passed. Writes
// bench/results/throttled.json and .md (or bench/results/quick/ with --quick, which gives each
// peer 20 s) and prints the table.
import { mkdir, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { CAROL } from '../src/sandbox/data.js';
import { startSandbox } from '../src/sandbox/server.js';
import { REPO_ROOT } from './paths.js';
import { startApollo } from './peers/apollo.js';
import { benchConfig, serveGateway } from './peers/gateway.js';
import { startNaive } from './peers/naive.js';
import { startRestFloor } from './peers/rest-floor.js';
import type { PeerSettings, StartPeer } from './peers/types.js';
import { QUERIES } from './queries.js';

/** One peer's row. */
interface ThrottledRow {
  readonly peer: string;
  /** Errors in the first answer (a non-200 answer counts as one). */
  readonly firstTryErrors: number;
  readonly attempts: number;
  /** From the first request to the first complete answer; null when none came in time. */
  readonly msToComplete: number | null;
  /** Calls viewneo received, and how many of them it refused with 429. */
  readonly upstreamCalls: number;
  readonly upstream429s: number;
}

const quick = process.argv.includes('--quick');
const GIVE_UP_MS = quick ? 20_000 : 150_000;
const Q3 = QUERIES.find((q) => q.name === 'Q3')!;
const PEERS: [string, StartPeer][] = [
  // As production runs it: the per-token budget of 60 a minute, the default cache TTL.
  ['gateway', async (settings) => (await serveGateway(benchConfig(settings, { UPSTREAM_RATE_PER_MINUTE: '60' }))).port],
  ['rest-floor', startRestFloor],
  ['naive', startNaive],
  ['apollo', startApollo],
];

async function ask(port: number): Promise<number> {
  const answer = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${CAROL.token}` },
    body: JSON.stringify({ query: Q3.text }),
  });
  const body = (await answer.json().catch(() => null)) as { data?: unknown; errors?: unknown[] } | null;
  if (answer.status !== 200 || body === null) return Math.max(1, body?.errors?.length ?? 1);
  return body.errors?.length ?? (body.data ? 0 : 1);
}

const sandbox = await startSandbox({ latencyMs: 20 });
const rows: ThrottledRow[] = [];
try {
  for (const [peer, start] of PEERS) {
    const settings: PeerSettings = { sandboxUrl: sandbox.url, cacheTtlMs: 10_000 };
    const port = await start(settings);
    sandbox.reset();
    const began = Date.now();
    let attempts = 0;
    let firstTryErrors = -1;
    let msToComplete: number | null = null;
    while (Date.now() - began < GIVE_UP_MS) {
      const errors = await ask(port);
      attempts++;
      if (firstTryErrors < 0) firstTryErrors = errors;
      if (errors === 0) {
        msToComplete = Date.now() - began;
        break;
      }
      await sleep(2_000);
    }
    rows.push({
      peer,
      firstTryErrors,
      attempts,
      msToComplete,
      upstreamCalls: sandbox.requests.length,
      upstream429s: sandbox.rateLimited(),
    });
    console.log(JSON.stringify(rows.at(-1)));
  }
} finally {
  await sandbox.close();
}

const header = [
  `# Real-size account under viewneo's throttle${quick ? ' (quick)' : ''}`,
  '',
  `Q3 for the real-size account (20 of its 40 playlists, 120 entries, their media files) over a sandbox that allows 60 calls a minute per token, 20 ms per call; the query is sent again every 2 s until an answer is complete, for at most ${GIVE_UP_MS / 1000} s. ${new Date().toISOString()}.`,
  '',
  '| peer | errors at the first try | attempts | time to a complete answer | upstream calls | 429s from viewneo |',
  '| --- | --- | --- | --- | --- | --- |',
];
const table = rows.map(
  (r) =>
    `| ${r.peer} | ${r.firstTryErrors} | ${r.attempts} | ${r.msToComplete === null ? `none in ${GIVE_UP_MS / 1000} s` : `${r.msToComplete} ms`} | ${r.upstreamCalls} | ${r.upstream429s} |`,
);
const dir = new URL(quick ? 'bench/results/quick/' : 'bench/results/', REPO_ROOT);
await mkdir(dir, { recursive: true });
await writeFile(
  new URL('throttled.json', dir),
  `${JSON.stringify({ date: new Date().toISOString(), giveUpMs: GIVE_UP_MS, rows }, null, 2)}\n`,
);
await writeFile(new URL('throttled.md', dir), `${[...header, ...table].join('\n')}\n`);
console.log([...header, ...table].join('\n'));
process.exit(0);
