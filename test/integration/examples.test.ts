import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { generate } from '@graphql-codegen/cli';
import type { Types } from '@graphql-codegen/plugin-helpers';
import { describe, expect, it } from 'vitest';
import codegenConfig from '../../examples/codegen.js';
import { ALICE, useHarness } from '../support/harness.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

/** Runs an example with tsx, as its header says to, and answers its exit code and output. */
async function runExample(
  file: string,
  env: Record<string, string>,
  timeout = 30_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', file], {
      cwd: root,
      env: { PATH: process.env.PATH, ...env },
      timeout,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('examples', () => {
  it('type-check with tsc -p examples', async () => {
    const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
    const result = await run(process.execPath, [tsc, '-p', 'examples'], { cwd: root, timeout: 110_000 }).catch(
      (error: { stdout?: string }) => ({ failed: error.stdout ?? String(error) }),
    );
    expect(result).not.toHaveProperty('failed');
  }, 120_000);

  it('ship the typed client that codegen makes from schema.graphql and their documents', async () => {
    const outputs = (await generate({ ...codegenConfig, silent: true }, false)) as Types.FileOutput[];
    expect(outputs.length).toBeGreaterThan(0);
    const outDir = dirname(outputs[0]!.filename);
    const stale = 'examples/client/gql is stale: run `npx graphql-codegen --config examples/codegen.ts`';
    expect(readdirSync(outDir).sort(), stale).toEqual(outputs.map((o) => basename(o.filename)).sort());
    for (const { filename, content } of outputs) expect(readFileSync(filename, 'utf8'), `${stale} (${basename(filename)})`).toBe(content);
  }, 60_000);

  describe('against a gateway over the sandbox', () => {
    const harness = useHarness();

    it('runs the OAuth flow: consent redirect, exchangeCode with state, playlists, refreshToken', async () => {
      const { code, stdout, stderr } = await runExample('examples/oauth-flow.ts', { GATEWAY_URL: harness.url });
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toMatch(/^2\. redirected to http:\/\/localhost:4000\/callback with a code and the same state$/m);
      expect(stdout).toMatch(/^3\. exchangeCode: a Bearer token/m);
      expect(stdout).toMatch(/^4\. playlists \(20 in all\):\n\s+Alice playlist 01\n/m);
      expect(stdout).toMatch(/^5\. refreshToken: a new access token and a new refresh token; it reads 20 playlists$/m);
      expect(harness.sandbox.countRequests({ method: 'POST', path: '/oauth/token' })).toBe(2);
    });

    it('lists every playlist page by page with the fetch client', async () => {
      const { code, stdout } = await runExample('examples/client/playlists.ts', { GATEWAY_URL: harness.url, VIEWNEO_TOKEN: ALICE });
      expect(code).toBe(0);
      expect(stdout).toMatch(/^20 playlists$/m);
      expect(stdout).toContain('Alice playlist 01');
      expect(stdout).toContain('Alice playlist 20');
    });

    it('reports a rejected token in one line and exits 1', async () => {
      const { code, stderr } = await runExample('examples/client/playlists.ts', { GATEWAY_URL: harness.url, VIEWNEO_TOKEN: 'not-a-token' });
      expect(code).toBe(1);
      expect(stderr.trim()).toMatch(/^Listing the playlists failed: UNAUTHENTICATED: .+$/);
    });

    it('edits a playlist: adds, moves, changes without overwriting a change it has not seen, removes', async () => {
      const { code, stdout, stderr } = await runExample('examples/client/editing.ts', { GATEWAY_URL: harness.url, VIEWNEO_TOKEN: ALICE });
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout.trim().split('\n')).toEqual([
        '1. Alice playlist 03: 10 entries',
        '2. added Alice image 06 at index 10',
        '3. moved it to the front: first',
        '4. duration 12 s',
        expect.stringMatching(/^5\. refused a stale write: CONFLICT, it changed at \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
        '6. removed it again',
      ]);
      expect(harness.sandbox.countRequests({ method: 'DELETE' })).toBe(1);
    });

    it('reads playlists with Apollo Client', async () => {
      const { code, stdout } = await runExample('examples/apollo-client.ts', { GATEWAY_URL: harness.url, VIEWNEO_TOKEN: ALICE });
      expect(code).toBe(0);
      expect(stdout).toContain('20 playlists; the first 3:');
      expect(stdout).toContain('Alice playlist 03');
    });
  });

  describe('against a gateway that is also a subgraph (FEDERATION=true)', () => {
    const harness = useHarness({ FEDERATION: 'true' });

    it('composes it with a stores subgraph and queries across both through Hive Gateway', async () => {
      // Hive Gateway's runtime takes seconds to load on a busy machine.
      const env = { GATEWAY_URL: harness.url, VIEWNEO_TOKEN: ALICE };
      const { code, stdout, stderr } = await runExample('examples/supergraph/main.ts', env, 90_000);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout.trim().split('\n')).toEqual([
        'stores → playlists:',
        expect.stringMatching(/^ {2}Berlin Mitte: Alice playlist 01 \(\d+ entries\)$/),
        expect.stringMatching(/^ {2}Hamburg Hafen: Alice playlist 02 \(\d+ entries\)$/),
        expect.stringMatching(/^ {2}München Ost: Alice playlist 01 \(\d+ entries\)$/),
        'playlists → stores:',
        '  Alice playlist 01: Berlin Mitte, München Ost',
        '  Alice playlist 02: Hamburg Hafen',
      ]);
      expect(new Set(harness.sandbox.requests.map((r) => r.headers.authorization))).toEqual(new Set([`Bearer ${ALICE}`]));
    }, 100_000);
  });
});
