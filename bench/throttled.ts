// `npm run bench:throttled`: the real-size account under viewneo's throttle (throttle-row.ts) alone,
// each peer given up to 150 s (`npm run bench` gives it 30). Writes bench/results/throttled.json
// and .md (or bench/results/quick/ with --quick, which gives each peer 20 s) and prints the table.
import { mkdir, writeFile } from 'node:fs/promises';
import { REPO_ROOT } from './paths.js';
import { measureThrottled, throttledMarkdown } from './throttle-row.js';

const quick = process.argv.includes('--quick');
const GIVE_UP_MS = quick ? 20_000 : 150_000;

const rows = await measureThrottled(GIVE_UP_MS, (row) => console.log(JSON.stringify(row)));
const lines = [
  `# Real-size account under viewneo's throttle${quick ? ' (quick)' : ''}`,
  '',
  `${new Date().toISOString()}.`,
  '',
  ...throttledMarkdown(rows, GIVE_UP_MS),
];
const dir = new URL(quick ? 'bench/results/quick/' : 'bench/results/', REPO_ROOT);
await mkdir(dir, { recursive: true });
await writeFile(
  new URL('throttled.json', dir),
  `${JSON.stringify({ date: new Date().toISOString(), giveUpMs: GIVE_UP_MS, rows }, null, 2)}\n`,
);
await writeFile(new URL('throttled.md', dir), `${lines.join('\n')}\n`);
console.log(lines.join('\n'));
process.exit(0);
