import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import { startLiftedSandbox } from '../support/harness.js';

function startServer(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/http/server.ts'], {
    cwd: new URL('../..', import.meta.url),
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function output(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const [code] = await once(child, 'exit');
  return { code, stderr };
}

describe('src/http/server.ts', () => {
  it('refuses to start with invalid configuration and names each bad variable', async () => {
    const { code, stderr } = await output(startServer({ PORT: 'x', UPSTREAM_TIMEOUT_MS: '-5', LOG_LEVEL: 'loud' }));
    expect(code).toBe(1);
    expect(stderr).toMatch(/PORT must be/);
    expect(stderr).toMatch(/UPSTREAM_TIMEOUT_MS must be/);
    expect(stderr).toMatch(/LOG_LEVEL must be/);
  });

  describe('when running', () => {
    let sandbox: Sandbox;
    let child: ChildProcess;
    let url: string;
    const logs: string[] = [];

    beforeAll(async () => {
      sandbox = await startLiftedSandbox();
      child = startServer({ PORT: '0', HOST: '127.0.0.1', VIEWNEO_BASE_URL: sandbox.url, LOG_LEVEL: 'info' });
      const lines = createInterface({ input: child.stdout! });
      url = await new Promise<string>((resolve, reject) => {
        lines.on('line', (line) => {
          logs.push(line);
          const parsed = JSON.parse(line) as { url?: string };
          if (parsed.url) resolve(parsed.url);
        });
        child.once('exit', () => reject(new Error(`server exited early: ${logs.join('\n')}`)));
      });
    });
    afterAll(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await sandbox.close();
    });

    it('serves GraphQL with the caller token', async () => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sandbox-alice-token' },
        body: JSON.stringify({ query: '{ playlist(id: 1001) { name } }' }),
      });
      // Production defaults: a budget of 60 calls a minute per token, reported with the answer.
      expect(await response.json()).toEqual({
        data: { playlist: { name: 'Alice playlist 01' } },
        extensions: {
          upstreamBudget: { limit: 60, limitSource: 'VIEWNEO', remaining: expect.any(Number), resetAt: expect.any(String) },
        },
      });
    });

    it('serves GraphiQL to browsers', async () => {
      const response = await fetch(url, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<title>viewneo gateway</title>');
    });

    it('warns that GATEWAY_SECRET is unset without logging a secret', () => {
      expect(logs.some((l) => l.includes('GATEWAY_SECRET is not set'))).toBe(true);
    });

    it('finishes an in-flight request on SIGTERM, then exits 0', async () => {
      sandbox.setLatency(400);
      const inFlight = fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sandbox-alice-token' },
        body: JSON.stringify({ query: '{ playlist(id: 1002) { name } }' }),
      });
      await new Promise((resolve) => setTimeout(resolve, 150));
      child.kill('SIGTERM');
      const response = await inFlight;
      // Production defaults: a budget of 60 calls a minute per token, reported with the answer.
      expect(await response.json()).toEqual({
        data: { playlist: { name: 'Alice playlist 02' } },
        extensions: {
          upstreamBudget: { limit: 60, limitSource: 'VIEWNEO', remaining: expect.any(Number), resetAt: expect.any(String) },
        },
      });
      const code = child.exitCode ?? (await once(child, 'exit'))[0];
      expect(code).toBe(0);
    });
  });
});
