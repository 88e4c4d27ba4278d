// The real-size accounts under viewneo's throttle: used by `npm run bench` (its last section) and
// by `npm run bench:throttled` (alone, with a longer give-up). A sandbox as strict as viewneo (60
// calls a minute per token, 20 ms per call) and each peer over it; per peer and account, on a
// fresh rate window: Q3, sent again (as a user would reload) every 2 s until an answer is complete
// or the give-up time has passed. The accounts: carol (the media list 15 a page, 10 pages) and
// dave (4 a page, 16 pages: only a plan that learns the page count before betting fits).
import { setTimeout as sleep } from 'node:timers/promises';
import { CAROL, DAVE } from '../src/sandbox/data.js';
import { startSandbox } from '../src/sandbox/server.js';
import { startApollo } from './peers/apollo.js';
import { benchConfig, serveGateway } from './peers/gateway.js';
import { startNaive } from './peers/naive.js';
import { startRestFloor } from './peers/rest-floor.js';
import { tailcall } from './peers/tailcall.js';
import type { PeerSettings, StartPeer } from './peers/types.js';
import { QUERIES } from './queries.js';

/** One peer's row. */
export interface ThrottledRow {
  readonly peer: string;
  /** The sandbox account asked for. */
  readonly account: string;
  /** Errors in the first answer (a non-200 answer counts as one). */
  readonly firstTryErrors: number;
  readonly attempts: number;
  /** From the first request to the first complete answer; null when none came in time. */
  readonly msToComplete: number | null;
  /** Calls viewneo received, and how many of them it refused with 429. */
  readonly upstreamCalls: number;
  readonly upstream429s: number;
}

const Q3 = QUERIES.find((q) => q.name === 'Q3')!;
const PEERS: [string, StartPeer][] = [
  // As production runs it: the per-token budget of 60 a minute, the default cache TTL.
  ['gateway', async (settings) => (await serveGateway(benchConfig(settings, { UPSTREAM_RATE_PER_MINUTE: '60' }))).port],
  ['rest-floor', startRestFloor],
  ['naive', startNaive],
  ['apollo', startApollo],
  ['tailcall', tailcall.start],
];

const ACCOUNTS = [CAROL, DAVE];

async function ask(port: number, token: string): Promise<number> {
  const answer = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: Q3.text }),
  });
  const body = (await answer.json().catch(() => null)) as { data?: unknown; errors?: unknown[] } | null;
  if (answer.status !== 200 || body === null) return Math.max(1, body?.errors?.length ?? 1);
  return body.errors?.length ?? (body.data ? 0 : 1);
}

/** Each peer's row, every peer given at most `giveUpMs`; `onRow` is told each as it is measured. */
export async function measureThrottled(giveUpMs: number, onRow: (row: ThrottledRow) => void = () => {}): Promise<ThrottledRow[]> {
  const sandbox = await startSandbox({ latencyMs: 20 });
  const rows: ThrottledRow[] = [];
  try {
    for (const [peer, start] of PEERS) {
      const settings: PeerSettings = { sandboxUrl: sandbox.url, cacheTtlMs: 10_000 };
      const port = await start(settings);
      for (const account of ACCOUNTS) {
        sandbox.reset();
        const began = Date.now();
        let attempts = 0;
        let firstTryErrors = -1;
        let msToComplete: number | null = null;
        while (Date.now() - began < giveUpMs) {
          const errors = await ask(port, account.token);
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
          account: account.name,
          firstTryErrors,
          attempts,
          msToComplete,
          upstreamCalls: sandbox.requests.length,
          upstream429s: sandbox.rateLimited(),
        });
        onRow(rows.at(-1)!);
      }
    }
  } finally {
    await tailcall.stop?.();
    await sandbox.close();
  }
  return rows;
}

/** The rows as a Markdown table, with what they measured. */
export function throttledMarkdown(rows: readonly ThrottledRow[], giveUpMs: number): string[] {
  return [
    `Q3 for the real-size accounts (20 of their 40 playlists, 120 entries, their media files; carol's media list 15 a page, dave's 4 a page) over a sandbox that allows 60 calls a minute per token, 20 ms per call; the query is sent again every 2 s until an answer is complete, for at most ${giveUpMs / 1000} s per peer and account.`,
    '',
    '| peer | account | errors at the first try | attempts | time to a complete answer | upstream calls | 429s from viewneo |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.peer} | ${r.account} | ${r.firstTryErrors} | ${r.attempts} | ${r.msToComplete === null ? `none in ${giveUpMs / 1000} s` : `${r.msToComplete} ms`} | ${r.upstreamCalls} | ${r.upstream429s} |`,
    ),
  ];
}
