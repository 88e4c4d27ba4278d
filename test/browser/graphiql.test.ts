import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHROMIUM_ARGS, chromiumPath, screenshotPath } from '../support/chromium.js';
import { ALICE, type Harness, startHarness } from '../support/harness.js';

const SCREENSHOT = screenshotPath('graphiql.png');

/** The text a Monaco editor shows (Monaco renders spaces as no-break spaces). */
async function editorText(page: Page, selector: string): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator, not a DOM node; innerText keeps Monaco's line breaks.
  return (await page.locator(`${selector} .view-lines`).innerText()).replace(/\u00a0/g, ' ');
}

describe('GraphiQL at /graphql in Chromium', () => {
  let harness: Harness;
  let profile: string;
  let browser: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    const executablePath = chromiumPath();
    harness = await startHarness();
    profile = mkdtempSync(join(tmpdir(), 'graphiql-profile-'));
    // Playwright takes the profile directory here rather than as --user-data-dir.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 900 },
    });
    page = browser.pages()[0] ?? (await browser.newPage());
  });

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('loads without any request off the gateway, prefilled with the example query and a header template', async () => {
    const origin = new URL(harness.url).origin;
    const elsewhere: string[] = [];
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:')) elsewhere.push(url);
    });
    await page.goto(harness.url);
    await page.locator('.graphiql-query-editor .monaco-editor').waitFor();
    expect(await page.title()).toBe('viewneo gateway');
    expect(await editorText(page, '.graphiql-query-editor')).toContain('query Playlists {');

    await page.getByRole('button', { name: 'Headers', exact: true }).click();
    expect(await editorText(page, '.graphiql-editor-tool .graphiql-editor:not(.hidden)')).toContain(
      '"Authorization": "Bearer <your viewneo token>"',
    );
    expect(elsewhere).toEqual([]);
  });

  it('runs the example query with the token typed into the headers editor and shows the playlists', async () => {
    const headers = '.graphiql-editor-tool .graphiql-editor:not(.hidden)';
    await page.locator(`${headers} .monaco-editor`).click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    // One line: Monaco re-indents pasted newlines and would then auto-close the outer brace twice.
    await page.keyboard.insertText(`{ "Authorization": "Bearer ${ALICE}" }`);
    expect(await editorText(page, headers)).toBe(`{ "Authorization": "Bearer ${ALICE}" }`);
    await page.getByRole('button', { name: /^Prettify query/ }).click();

    harness.sandbox.resetRequests();
    await page.getByRole('button', { name: /^Execute query/ }).click();
    await page.locator('.result-window .view-lines', { hasText: 'Alice playlist 01' }).waitFor();

    const result = await editorText(page, '.result-window');
    expect(result).toContain('"totalCount": 20');
    expect(result).toContain('"name": "Alice playlist 01"');
    expect(result).not.toContain('"errors"');
    expect(harness.sandbox.requests.length).toBeGreaterThan(0);
    expect(harness.sandbox.requests.every((r) => r.headers.authorization === `Bearer ${ALICE}`)).toBe(true);

    // No focus, animation or fading scrollbar: the same page gives the same picture each run.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.screenshot({
      path: SCREENSHOT,
      animations: 'disabled',
      caret: 'hide',
      style: '.monaco-editor .scrollbar { visibility: hidden !important; }',
    });
    expect(existsSync(SCREENSHOT)).toBe(true);
  });

  it('runs a subscription and shows the event a write through the gateway pushes', async () => {
    // The token typed in by the test before stays in the headers editor.
    await page.locator('.graphiql-query-editor .monaco-editor').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    // Named as the example query: GraphiQL keeps sending the operation name of the document it ran before.
    await page.keyboard.insertText('subscription Playlists { playlistChanged(id: 1002) { name } }');
    await page.getByRole('button', { name: /^Execute query/ }).click();
    // The subscription is open once the gateway counts it.
    await vi.waitFor(
      async () =>
        expect(await harness.gateway.metrics.registry.getSingleMetric('gateway_subscriptions_active')?.get()).toMatchObject({
          values: [{ value: 1 }],
        }),
      { timeout: 5_000, interval: 50 },
    );
    const renamed = await harness.gql('mutation { updatePlaylist(id: 1002, input: { name: "Live in GraphiQL" }) { name } }');
    expect(renamed.errors).toBeUndefined();
    await page.locator('.result-window .view-lines', { hasText: 'Live in GraphiQL' }).waitFor({ timeout: 5_000 });
    expect(await editorText(page, '.result-window')).toContain('"name": "Live in GraphiQL"');
  });
});
