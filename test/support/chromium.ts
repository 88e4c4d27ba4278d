import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** The flags the browser tests start Chromium with: headless, no sandbox (containers), nothing fetched on its own. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium, or an error that says how to get it: a browser test never skips silently. */
export function chromiumPath(): string {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  throw new Error(
    `Chromium is not installed at ${CHROMIUM}. Install it with ` +
      '`apt-get update && apt-get install -y chromium` (Debian), or set CHROMIUM_PATH to a Chromium binary.',
  );
}

/**
 * Where a test writes the picture `name` (e.g. "graphiql.png"): docs/ only on request
 * (UPDATE_SCREENSHOTS=1), so that a run on another Chromium or font set does not dirty the work
 * tree; a temporary folder otherwise.
 */
export function screenshotPath(name: string): string {
  return process.env.UPDATE_SCREENSHOTS
    ? fileURLToPath(new URL(`../../docs/${name}`, import.meta.url))
    : join(mkdtempSync(join(tmpdir(), 'screenshot-')), name);
}
