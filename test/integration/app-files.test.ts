import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveApp } from '../../src/http/app-files.js';

describe('serving the example web app at /app/', () => {
  let dir: string;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'app-files-'));
    dir = join(root, 'dist');
    mkdirSync(join(dir, 'assets'), { recursive: true });
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
    // Beside the build, not in it: never served.
    writeFileSync(join(root, 'secret.html'), 'secret');
    server = createServer(serveApp(dir, (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('gateway')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(join(dir, '..'), { recursive: true, force: true });
  });

  it('serves the page (read again each time) and content-named assets (kept for good)', async () => {
    const page = await fetch(`${base}/app/`);
    expect([page.status, page.headers.get('content-type'), page.headers.get('cache-control'), await page.text()]).toEqual([
      200,
      'text/html; charset=utf-8',
      'no-cache',
      '<!doctype html><title>app</title>',
    ]);
    const script = await fetch(`${base}/app/assets/index-abc.js`);
    expect([script.status, script.headers.get('content-type'), script.headers.get('cache-control')]).toEqual([
      200,
      'text/javascript; charset=utf-8',
      'public, max-age=31536000, immutable',
    ]);
  });

  it('redirects /app to /app/ and hands every other path to the gateway', async () => {
    const bare = await fetch(`${base}/app`, { redirect: 'manual' });
    expect([bare.status, bare.headers.get('location')]).toEqual([308, '/app/']);
    expect(await (await fetch(`${base}/graphql?query={__typename}`)).text()).toBe('gateway');
  });

  it('answers 404 for files outside the build, unknown files and malformed paths, and 405 for writes', async () => {
    for (const path of ['/app/..%2fsecret.html', '/app/..%5csecret.html', '/app/missing.js', '/app/%E0%A4%A', '/app/index.ts']) {
      expect((await fetch(`${base}${path}`)).status, path).toBe(404);
    }
    // Dot segments are resolved by the URL before routing: this one is no longer below /app/.
    expect(await (await fetch(`${base}/app/%2e%2e/secret.html`)).text()).toBe('gateway');
    expect((await fetch(`${base}/app/`, { method: 'POST', body: 'x' })).status).toBe(405);
  });
});
