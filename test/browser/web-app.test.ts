import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REFRESH_COOKIE } from '../../src/auth/refresh-cookie.js';
import { APP_PATH, serveApp } from '../../src/http/app-files.js';
import type { Sandbox, SandboxOptions } from '../../src/sandbox/server.js';
import { CHROMIUM_ARGS, chromiumPath, screenshotPath } from '../support/chromium.js';
import { editInCms } from '../support/cms.js';
import { ALICE, type Harness, startHarness, startLiftedSandbox } from '../support/harness.js';

const TIME_ZONE = 'Europe/Berlin';
const WAIT = { timeout: 10_000 };
const CONFIG = fileURLToPath(new URL('../../examples/web/vite.config.ts', import.meta.url));

/** The example app built into a temporary folder (the work tree's examples/web/dist stays as it is). */
async function buildApp(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'web-app-'));
  await build({ configFile: CONFIG, build: { outDir, emptyOutDir: true }, logLevel: 'error' });
  return outDir;
}

/** What the app and the test share: the sandbox, the gateway serving the app, a Chromium profile and its page. */
interface Running {
  sandbox: Sandbox;
  harness: Harness;
  /** The GraphQL endpoint the page uses (the harness's, or the https one in front of it). */
  graphqlUrl: string;
  appUrl: string;
  browser: BrowserContext;
  page: Page;
  /** Every bearer token the page sent. */
  tokens: Set<string>;
  /** Every GraphQL operation the page posted: its name and variables. */
  operations: { operationName: string; variables: Record<string, unknown> }[];
  close(): Promise<void>;
}

/** A self-signed certificate for 127.0.0.1, made with openssl. */
function certificate(dir: string): { key: Buffer; cert: Buffer } {
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'].concat([
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ]),
    { stdio: 'ignore' },
  );
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

/**
 * Starts a sandbox, a gateway serving the app at /app/ (over https too when `https`: the page
 * then uses that origin) and Chromium.
 */
async function start(appDir: string, env: Record<string, string>, sandboxOptions: SandboxOptions = {}, https = false): Promise<Running> {
  const sandbox = await startLiftedSandbox(sandboxOptions);
  const harness = await startHarness(
    { REFRESH_TOKEN_COOKIE: 'true', ...env },
    { sandbox, serve: (gateway) => serveApp(appDir, gateway.listener) },
  );
  const tls = https ? mkdtempSync(join(tmpdir(), 'web-app-tls-')) : null;
  const secure = tls ? createHttpsServer(certificate(tls), serveApp(appDir, harness.gateway.listener)) : null;
  if (secure) await new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', resolve));
  const graphqlUrl = secure ? `https://127.0.0.1:${(secure.address() as AddressInfo).port}/graphql` : harness.url;
  const appUrl = new URL(APP_PATH, graphqlUrl).toString();
  sandbox.setRedirectUri(appUrl);
  const profile = mkdtempSync(join(tmpdir(), 'web-app-profile-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1200, height: 820 },
    timezoneId: TIME_ZONE,
    // The test's own self-signed certificate.
    ignoreHTTPSErrors: https,
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  const tokens = new Set<string>();
  const operations: Running['operations'] = [];
  browser.on('request', (request) => {
    const authorization = request.headers().authorization;
    if (authorization?.startsWith('Bearer ')) tokens.add(authorization.slice('Bearer '.length));
    const body = request.postData();
    if (request.url() === graphqlUrl && body !== null) operations.push(JSON.parse(body));
  });
  return {
    sandbox,
    harness,
    graphqlUrl,
    appUrl,
    browser,
    page,
    tokens,
    operations,
    async close() {
      await browser.close();
      secure?.closeAllConnections();
      await new Promise((resolve) => (secure ? secure.close(resolve) : resolve(undefined)));
      await harness.close();
      await sandbox.close();
      rmSync(profile, { recursive: true, force: true });
      if (tls) rmSync(tls, { recursive: true, force: true });
    },
  };
}

/** Signs in through the sandbox's consent page as `account`, answering `decision`. */
async function signIn(page: Page, decision: 'Allow' | 'Deny', account = 'alice'): Promise<void> {
  await page.getByRole('button', { name: 'Sign in with viewneo' }).click();
  await page.getByRole('heading', { name: 'Sign in to viewneo' }).waitFor(WAIT);
  await page.getByLabel('Account').selectOption(account);
  await page.getByRole('button', { name: decision }).click();
}

/** Waits until the app has started (signed in or not) after a navigation. */
async function ready(page: Page): Promise<void> {
  await page.locator('body[data-ready="true"]').waitFor(WAIT);
}

const refreshCookie = async (r: Running) => (await r.browser.cookies(r.graphqlUrl)).find((c) => c.name === REFRESH_COOKIE);
const tokenGrants = (r: Running, grant: string) =>
  r.sandbox.requests.filter((q) => q.pathname === '/oauth/token' && (q.body as { grant_type?: string }).grant_type === grant).length;
const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;

/** Trades `cookie` (name=value) for new tokens outside the browser, as a thief holding a copy would. */
async function refreshWith(r: Running, cookie: string) {
  const answer = await r.harness.post({ query: 'mutation { refreshToken { accessToken } }' }, { cookie });
  return (await answer.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
}

describe('the example web app in Chromium', () => {
  let appDir: string;
  let r: Running;
  let page: Page;
  let other: Server;

  beforeAll(async () => {
    chromiumPath();
    appDir = await buildApp();
    // CACHE_TTL_MS=0: each Reload reads viewneo, so an injected failure is met. CORS allows one
    // other origin, not the one the test attacks from.
    r = await start(appDir, {
      LIVE_POLL_INTERVAL_MS: '300',
      CACHE_TTL_MS: '0',
      UPSTREAM_RETRIES: '0',
      CORS_ORIGINS: 'https://app.example.com',
    });
    page = r.page;
    other = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>other</title>'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await r?.close();
    other?.close();
    if (appDir) rmSync(appDir, { recursive: true, force: true });
  });

  it('signs in through the consent page and lists the playlists with their entries and total duration', async () => {
    await page.goto(r.appUrl);
    await ready(page);
    expect(await page.locator('#message').textContent()).toBe('');
    await signIn(page, 'Allow');
    await page.locator('#playlists li').nth(19).waitFor(WAIT);

    const expected = await r.harness.gql('{ playlists(first: 50) { edges { node { name totalDuration entries { id } } } } }');
    const lines = expected.data.playlists.edges.map(
      ({ node }: { node: { name: string; totalDuration: number; entries: unknown[] } }) =>
        `${node.name} — ${node.entries.length} entries, ${clock(node.totalDuration)}`,
    );
    expect(await page.locator('#playlists li').allTextContents()).toEqual(lines);
    // The code and state left the address bar; the first playlist is open with its entries.
    expect(page.url()).toBe(r.appUrl);
    await page.getByRole('heading', { name: 'Alice playlist 01' }).waitFor(WAIT);
    expect(await page.locator('#entries li').count()).toBe(11);

    const cookie = await refreshCookie(r);
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/graphql' });
    expect(await page.evaluate(() => document.cookie)).not.toContain(REFRESH_COOKIE);
  });

  it('stays signed in across a reload by trading the refresh cookie for a new access token', async () => {
    const before = await refreshCookie(r);
    const seen = new Set(r.tokens);
    const refreshes = tokenGrants(r, 'refresh_token');
    await page.reload();
    await page.getByRole('heading', { name: 'Alice playlist 01' }).waitFor(WAIT);
    expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
    expect(tokenGrants(r, 'refresh_token')).toBe(refreshes + 1);
    // The cookie rotated, and the page reads with an access token it did not have before the reload.
    expect((await refreshCookie(r))?.value).not.toBe(before?.value);
    expect([...r.tokens].filter((t) => !seen.has(t))).toHaveLength(1);
  });

  it('renames with ifUnmodifiedSince: an edit made in the CMS meanwhile shows live, the rename is refused, and retrying applies it', async () => {
    const { updatedAt } = (await r.harness.gql('{ playlist(id: 1001) { updatedAt } }')).data.playlist;
    await page.getByLabel('Name', { exact: true }).fill('Lobby screens');
    await editInCms(r.sandbox, ALICE, 'PUT', '/playlist/1001', { name: 'Renamed in the CMS' });
    // The other editor's change arrives without a reload; what the user typed stays.
    await page.getByRole('heading', { name: 'Renamed in the CMS' }).waitFor(WAIT);
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Lobby screens');

    await page.getByRole('button', { name: 'Rename', exact: true }).click();
    const conflict = page.getByRole('alert');
    await conflict.waitFor(WAIT);
    expect(await conflict.textContent()).toContain('Another editor changed this playlist');
    expect(await conflict.textContent()).toContain('“Renamed in the CMS”');
    expect(await conflict.textContent()).toContain('renaming it to “Lobby screens”');
    expect(((await editInCms(r.sandbox, ALICE, 'GET', '/playlist/1001')) as { name: string }).name).toBe('Renamed in the CMS');
    expect(r.operations.filter((o) => o.operationName === 'RenamePlaylist').map((o) => o.variables.since)).toEqual([updatedAt]);

    await page.getByRole('button', { name: 'Make my change again' }).click();
    await page.getByRole('heading', { name: 'Lobby screens' }).waitFor(WAIT);
    // The live event of the rename may redraw the heading before the mutation's answer is shown.
    await page.locator('#message', { hasText: 'Renamed to “Lobby screens”.' }).waitFor(WAIT);
    expect(await conflict.isVisible()).toBe(false);
    expect(((await editInCms(r.sandbox, ALICE, 'GET', '/playlist/1001')) as { name: string }).name).toBe('Lobby screens');
  });

  it('moves an entry down with ifUnmodifiedSince and viewneo plays them in the new order', async () => {
    const names = await page.locator('#entries li span').allTextContents();
    const first = names[0]!.replace(/ \(\d+:\d+\)$/, '');
    await page.getByRole('button', { name: `Move ${first} down` }).click();
    await page.locator('#message', { hasText: `Moved “${first}” down.` }).waitFor(WAIT);
    expect(await page.locator('#entries li span').allTextContents()).toEqual([names[1], names[0], ...names.slice(2)]);
    const reorder = r.operations.filter((o) => o.operationName === 'ReorderEntries');
    expect(reorder).toHaveLength(1);
    expect(reorder[0]!.variables.since).toEqual(expect.any(String));
    const stored = (await editInCms(r.sandbox, ALICE, 'GET', '/playlist/1001/playlistentry')) as { id: number; index: number }[];
    const read = (
      await r.harness.gql('{ playlist(id: 1001) { entries { viewneoId content { ... on MediaFile { name } ... on Playlist { name } } } } }')
    ).data.playlist.entries;
    expect(stored.length).toBe(read.length);
    expect(read[1].content.name).toBe(first);
  });

  it('refuses a move over an entry changed in the CMS meanwhile, shows their version, and moves on retry', async () => {
    const shown: { viewneoId: number; updatedAt: string }[] = (
      await r.harness.gql('{ playlist(id: 1001) { entries { viewneoId updatedAt } } }')
    ).data.playlist.entries;
    // viewneo's timestamps have whole seconds: the move before wrote in some second, and a change in
    // that same second could not be told apart. The CMS's change comes in a later one.
    const newest = Math.max(...shown.map((e) => Date.parse(e.updatedAt)));
    await vi.waitFor(() => expect(Date.now()).toBeGreaterThanOrEqual(newest + 1_000), { timeout: 2_000, interval: 50 });
    const names = await page.locator('#entries li span').allTextContents();
    const first = names[0]!.replace(/ \(\d+:\d+\)$/, '');
    const indexWrites = () => r.sandbox.requests.filter((q) => q.method === 'PUT' && 'index' in (q.body as object)).length;
    const before = indexWrites();
    // viewneo answers entry lists slowly from now on, so the change below cannot reach the page
    // live before the user's click (the write guard's read sees it).
    r.sandbox.injectFault({ kind: 'latency', ms: 1_500, method: 'GET', path: '/api/v1.0/playlist/1001/playlistentry' });
    try {
      await editInCms(r.sandbox, ALICE, 'PUT', `/playlist/1001/playlistentry/${shown[2]!.viewneoId}`, { duration: 77 });
      await page.getByRole('button', { name: `Move ${first} down` }).click();
      // The message is read too, so that a failure says what the page said instead.
      const said = async () => `${await page.locator('#message').textContent()} | ${await page.locator('#conflict-text').textContent()}`;
      await vi.waitFor(async () => expect(await said()).toContain(`Your change (moving “${first}” down) was not saved.`), WAIT);
      expect(await page.getByRole('alert').isVisible()).toBe(true);
      await page.locator('#entries li span', { hasText: '(1:17)' }).waitFor(WAIT);
      expect(indexWrites()).toBe(before);
    } finally {
      r.sandbox.clearFaults();
    }
    await page.getByRole('button', { name: 'Make my change again' }).click();
    await page.locator('#message', { hasText: `Moved “${first}” down.` }).waitFor(WAIT);
    expect(indexWrites()).toBeGreaterThan(before);
    expect((await page.locator('#entries li span').allTextContents())[1]).toMatch(new RegExp(`^${first} `));
  });

  it('shows a change made in the CMS, in the entries and in what plays now, without a reload', async () => {
    const now = (
      await r.harness.gql(
        `{ playlist(id: 1001) { playingNow(timeZone: "${TIME_ZONE}") { entries { viewneoId content { ... on MediaFile { name } } } } } }`,
      )
    ).data.playlist.playingNow.entries;
    expect(now.length).toBeGreaterThan(1);
    const [stopped, still] = now;
    const playingNow = page.locator('#playing-now');
    await playingNow.filter({ hasText: stopped.content.name }).waitFor(WAIT);
    const total = await page.locator('#total').textContent();

    // Another editor stops one entry and lengthens another.
    await editInCms(r.sandbox, ALICE, 'PUT', `/playlist/1001/playlistentry/${stopped.viewneoId}`, { play_rule: 2 });
    await editInCms(r.sandbox, ALICE, 'PUT', `/playlist/1001/playlistentry/${still.viewneoId}`, { duration: 600 });
    await vi.waitFor(async () => expect(await playingNow.textContent()).not.toContain(stopped.content.name), WAIT);
    expect(await playingNow.textContent()).toContain(still.content.name);
    await vi.waitFor(async () => expect(await page.locator('#total').textContent()).not.toBe(total), WAIT);
    await page.locator('#entries li span', { hasText: `${still.content.name} (10:00)` }).waitFor(WAIT);

    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.screenshot({ path: screenshotPath('web-app.png'), animations: 'disabled', caret: 'hide' });
  });

  it("says when viewneo fails and when viewneo's rate limit is reached, and recovers once it may try again", async () => {
    const message = page.locator('#message');
    const says = (text: string, timeout = WAIT.timeout) =>
      vi.waitFor(async () => expect(await message.textContent()).toBe(text), { timeout });
    r.sandbox.injectFault({ kind: 'status', status: 500, method: 'GET', path: '/api/v1.0/playlist', times: 1 });
    await page.getByRole('button', { name: 'Reload' }).click();
    await says('viewneo is not answering properly right now. Nothing was lost: try again in a moment.');

    // The gateway then holds the token's calls back for Retry-After: a short one keeps the test quick.
    r.sandbox.injectFault({
      kind: 'status',
      status: 429,
      method: 'GET',
      path: '/api/v1.0/playlist',
      headers: { 'Retry-After': '2' },
      times: 1,
    });
    await page.getByRole('button', { name: 'Reload' }).click();
    await says("viewneo's rate limit for your account is reached. Try again in 2 s.");

    await vi.waitFor(
      async () => {
        // Each try answers within a moment: while the gateway still holds the token back, the message comes again.
        await page.getByRole('button', { name: 'Reload' }).click();
        await says('', 1_500);
      },
      { timeout: 10_000, interval: 500 },
    );
    expect(await page.locator('#playlists li').count()).toBe(20);
  });

  it('never keeps a token in localStorage or sessionStorage', async () => {
    expect(r.tokens.size).toBeGreaterThan(1);
    const stored = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }));
    for (const token of r.tokens) expect(stored).not.toContain(token);
    expect(stored).not.toMatch(/eyJ|refresh/i);
  });

  it('lets no page of another origin outside CORS_ORIGINS use the refresh cookie', async () => {
    const attacker = await r.browser.newPage();
    try {
      await attacker.goto(`http://127.0.0.1:${(other.address() as AddressInfo).port}/`);
      const grants = tokenGrants(r, 'refresh_token');
      const outcome = await attacker.evaluate(async (url) => {
        const body = JSON.stringify({ query: 'mutation { refreshToken { accessToken } }' });
        const tried: Record<string, string> = {};
        // A JSON POST needs a CORS preflight, which the gateway does not grant to this origin.
        try {
          const answer = await fetch(url, {
            method: 'POST',
            credentials: 'include',
            headers: { 'content-type': 'application/json' },
            body,
          });
          tried.json = await answer.text();
        } catch (error) {
          tried.json = `blocked: ${(error as Error).name}`;
        }
        // A "simple" request goes without a preflight: CSRF prevention refuses it before it runs.
        const simple = await fetch(url, {
          method: 'POST',
          mode: 'no-cors',
          credentials: 'include',
          headers: { 'content-type': 'text/plain' },
          body,
        });
        tried.simple = simple.type;
        return tried;
      }, r.harness.url);
      expect(outcome).toEqual({ json: 'blocked: TypeError', simple: 'opaque' });
      expect(tokenGrants(r, 'refresh_token')).toBe(grants);
    } finally {
      await attacker.close();
    }
    // The cookie was not spent: the app still renews its session with it.
    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).waitFor(WAIT);
    await page.locator('#playlists li').nth(19).waitFor(WAIT);
  });

  it('signs out: the cookie is cleared, a copy of it is refused, and a reload shows the sign-in', async () => {
    const kept = await refreshCookie(r);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#message', { hasText: 'You are signed out.' }).waitFor(WAIT);
    expect(await page.getByRole('button', { name: 'Sign in with viewneo' }).isVisible()).toBe(true);
    expect(await page.locator('#app').isVisible()).toBe(false);
    expect(await refreshCookie(r)).toBeUndefined();
    const replay = await refreshWith(r, `${REFRESH_COOKIE}=${kept!.value}`);
    expect(replay.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    await page.reload();
    await ready(page);
    expect(await page.getByRole('button', { name: 'Sign in with viewneo' }).isVisible()).toBe(true);
    expect(await page.locator('#message').textContent()).toBe('');
  });

  it('says so when the user denies access on the consent page', async () => {
    const exchanges = tokenGrants(r, 'authorization_code');
    await signIn(page, 'Deny');
    await page.locator('#message', { hasText: 'You denied access in viewneo' }).waitFor(WAIT);
    expect(page.url()).toBe(r.appUrl);
    expect(await page.getByRole('button', { name: 'Sign in with viewneo' }).isVisible()).toBe(true);
    expect(tokenGrants(r, 'authorization_code')).toBe(exchanges);
  });

  it('says the session expired when its refresh cookie was used elsewhere', async () => {
    await signIn(page, 'Allow');
    await page.locator('#playlists li').nth(19).waitFor(WAIT);
    const cookie = await refreshCookie(r);
    expect((await refreshWith(r, `${REFRESH_COOKIE}=${cookie!.value}`)).errors).toBeUndefined();
    await page.reload();
    await page.locator('#message', { hasText: 'Your session has expired. Sign in again to continue.' }).waitFor(WAIT);
    expect(await page.getByRole('button', { name: 'Sign in with viewneo' }).isVisible()).toBe(true);
  });
});

describe('the example web app over https with short-lived access tokens', () => {
  let appDir: string;
  let r: Running;

  beforeAll(async () => {
    chromiumPath();
    appDir = await buildApp();
    r = await start(appDir, {}, { accessTokenTtlSeconds: 4 }, true);
  });

  afterAll(async () => {
    await r?.close();
    if (appDir) rmSync(appDir, { recursive: true, force: true });
  });

  it('renews the access token before it expires and goes on reading with the new one', async () => {
    await r.page.goto(r.appUrl);
    await ready(r.page);
    await signIn(r.page, 'Allow');
    await r.page.locator('#playlists li').nth(19).waitFor(WAIT);
    expect(r.page.url()).toMatch(/^https:/);
    expect(await refreshCookie(r)).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/graphql' });
    const first = [...r.tokens];
    expect(first).toHaveLength(1);
    // Renewed at 80 % of its 4 s, without any action of the user.
    await vi.waitFor(() => expect(tokenGrants(r, 'refresh_token')).toBeGreaterThanOrEqual(1), WAIT);
    await r.page.getByRole('button', { name: 'Reload' }).click();
    await vi.waitFor(() => expect(r.tokens.size).toBeGreaterThan(1), WAIT);
    const renewed = [...r.tokens].at(-1)!;
    expect(renewed).not.toBe(first[0]);
    expect(await r.page.locator('#message').textContent()).toBe('');
    expect(await r.page.locator('#playlists li').count()).toBe(20);
  });
});
