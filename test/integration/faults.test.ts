import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import { ALICE, BOB, type GraphQLAnswer, type Harness, startHarness, startLiftedSandbox } from '../support/harness.js';

const ONE = '{ playlist(id: 1001) { name } }';
const codes = (answer: GraphQLAnswer) => answer.errors?.map((e) => e.extensions?.code);

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const started = Date.now();
  const value = await run();
  return [value, Date.now() - started];
}

describe('upstream faults', () => {
  let sandbox: Sandbox;
  const harnesses: Harness[] = [];
  const gateway = async (env: Record<string, string> = {}) => {
    const h = await startHarness({ CACHE_TTL_MS: '0', ...env }, { sandbox });
    harnesses.push(h);
    return h;
  };
  beforeAll(async () => {
    sandbox = await startLiftedSandbox();
  });
  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((h) => h.close()));
    sandbox.reset();
  });
  afterAll(() => sandbox.close());

  it('logs one warning per call that failed for good, and each attempt a retry followed at debug', async () => {
    const h = await gateway({ UPSTREAM_RETRIES: '2' });
    sandbox.injectFault({ path: '/api/v1.0/playlist/1001', kind: 'reset' });
    expect(codes(await h.gql(ONE))).toEqual(['UPSTREAM_ERROR']);
    const lines = h.logs.filter((line) => line.includes('/api/v1.0/playlist/1001'));
    expect(lines.filter((line) => line.includes('"msg":"viewneo attempt failed"'))).toHaveLength(3);
    const warnings = lines.filter((line) => line.includes('"msg":"viewneo call failed"'));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0]!)).toMatchObject({ level: 40, attempts: 3, method: 'GET' });
  });

  it('answers slow but timely upstream calls', async () => {
    const h = await gateway({ UPSTREAM_TIMEOUT_MS: '2000' });
    sandbox.injectFault({ kind: 'latency', ms: 300 });
    expect((await h.gql(ONE)).data.playlist.name).toBe('Alice playlist 01');
  });

  it('ends a hanging call at the upstream timeout', async () => {
    const h = await gateway({ UPSTREAM_TIMEOUT_MS: '300' });
    sandbox.injectFault({ kind: 'hang' });
    const [answer, ms] = await timed(() => h.gql(ONE));
    expect(codes(answer)).toEqual(['UPSTREAM_TIMEOUT']);
    expect(ms).toBeLessThan(2_000);
  });

  it('keeps upstream calls and retries within the GraphQL request deadline', async () => {
    const h = await gateway({ UPSTREAM_TIMEOUT_MS: '10000', REQUEST_TIMEOUT_MS: '300' });
    sandbox.injectFault({ kind: 'hang' });
    const [answer, ms] = await timed(() => h.gql(ONE));
    expect(codes(answer)).toEqual(['UPSTREAM_TIMEOUT']);
    expect(ms).toBeLessThan(2_000);
    expect(sandbox.requests).toHaveLength(1);
  });

  it('does not start a retry that Retry-After puts past the cap', async () => {
    const h = await gateway();
    sandbox.injectFault({ kind: 'status', status: 503, headers: { 'Retry-After': '120' }, times: 1 });
    const answer = await h.gql(ONE);
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', upstreamStatus: 503 });
    expect(sandbox.requests).toHaveLength(1);
  });

  it('waits out a short Retry-After of a 429 and then succeeds', async () => {
    const h = await gateway();
    sandbox.injectFault({ kind: 'status', status: 429, headers: { 'Retry-After': '1' }, times: 1 });
    const [answer, ms] = await timed(() => h.gql(ONE));
    expect(answer.errors).toBeUndefined();
    expect(sandbox.requests).toHaveLength(2);
    expect(ms).toBeGreaterThanOrEqual(900);
  });

  it('pauses a throttled token: its next read fails fast without calling viewneo', async () => {
    const h = await gateway();
    sandbox.injectFault({ kind: 'status', status: 429, headers: { 'Retry-After': '30' }, times: 1 });
    expect((await h.gql(ONE)).errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: 30, limitSource: 'VIEWNEO' });
    const next = await h.gql('{ playlist(id: 1002) { name } }');
    expect(next.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(sandbox.requests).toHaveLength(1);
    // Another token is not paused.
    expect((await h.gql(ONE, {}, 'sandbox-bob-token')).errors).toBeUndefined();
  });

  it('bounds the upstream calls one token has in flight', async () => {
    const h = await gateway({ UPSTREAM_CONCURRENCY_PER_TOKEN: '2' });
    sandbox.injectFault({ kind: 'latency', ms: 400 });
    // The four playlists come from one read of the list; their four entries reads then wait for slots.
    const pending = h.gql(
      '{ a: playlist(id: 1001) { entries { index } } b: playlist(id: 1002) { entries { index } } ' +
        'c: playlist(id: 1003) { entries { index } } d: playlist(id: 1004) { entries { index } } }',
    );
    const entryReads = () => sandbox.countRequests({ path: /^\/api\/v1\.0\/playlist\/\d+\/playlistentry$/ });
    await vi.waitFor(() => expect(entryReads()).toBe(2), { timeout: 800, interval: 10 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(entryReads()).toBe(2);
    expect((await pending).errors).toBeUndefined();
    expect(entryReads()).toBe(4);
    expect(sandbox.requests).toHaveLength(1 + 4);
  });

  it('answers at least 99% of read-only queries while 20% of upstream reads fail with 503', async () => {
    const h = await gateway();
    sandbox.injectFault({ kind: 'status', status: 503, rate: 0.2 });
    let ok = 0;
    const queries = 200;
    for (let i = 0; i < queries / 10; i++) {
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, j) => h.gql(`{ playlist(id: ${1001 + ((i + j) % 20)}) { name entries { duration } } }`)),
      );
      ok += answers.filter((a) => a.errors === undefined).length;
    }
    expect(ok / queries).toBeGreaterThanOrEqual(0.99);
    expect(sandbox.countRequests()).toBeGreaterThan(2 * queries);
  });

  it('answers every read query while every other upstream read fails with 503', async () => {
    const h = await gateway();
    sandbox.injectFault({ kind: 'status', status: 503, every: 2 });
    const answers = [];
    for (let i = 0; i < 20; i++) answers.push(await h.gql(`{ playlist(id: ${1001 + i}) { name entries { duration } } }`));
    expect(answers.filter((a) => a.errors !== undefined)).toEqual([]);
    // Each read went out twice: the 503, then the retry that saved it.
    expect(sandbox.countRequests()).toBe(2 * 2 * 20);
  });

  it('retries no more than the retry budget allows while viewneo keeps failing', async () => {
    const h = await gateway({ UPSTREAM_RETRY_BUDGET_PERCENT: '20', UPSTREAM_RETRY_MIN_PER_SECOND: '0' });
    sandbox.injectFault({ kind: 'status', status: 503 });
    // Fewer calls than open the circuit: only the budget bounds the retries (3 each without it).
    for (let i = 0; i < 15; i++) expect(codes(await h.gql(ONE))).toEqual(['UPSTREAM_ERROR']);
    expect(sandbox.countRequests()).toBeGreaterThan(15);
    expect(sandbox.countRequests()).toBeLessThanOrEqual(15 + 3);
  });

  it("keeps one token's failures from pausing the other tokens' calls", async () => {
    const h = await gateway({ UPSTREAM_RETRIES: '1' });
    sandbox.injectFault({ kind: 'status', status: 503, token: BOB });
    const bob: GraphQLAnswer[] = [];
    const alice: GraphQLAnswer[] = [];
    for (let i = 0; i < 30; i++) {
      bob.push(await h.gql('{ playlist(id: 2001) { name } }', {}, BOB));
      alice.push(await h.gql(`{ playlist(id: ${1001 + (i % 20)}) { name } }`, {}, ALICE));
    }
    expect(alice.filter((a) => a.errors !== undefined)).toEqual([]);
    expect(bob.every((a) => codes(a)?.[0] === 'UPSTREAM_ERROR')).toBe(true);
    // Bob's own circuit opened: his later reads fail fast without calling viewneo.
    expect(bob.at(-1)?.errors?.[0]?.message).toMatch(/keeps failing for this token/);
    const bobCalls = sandbox.requests.filter((r) => r.headers.authorization === `Bearer ${BOB}`).length;
    expect(bobCalls).toBeLessThan(2 * 30);
  });
});

describe('a dead upstream', () => {
  it('fails fast once every call failed after its retries', async () => {
    const probe = await startLiftedSandbox();
    const port = Number(new URL(probe.url).port);
    await probe.close();
    const h = await startHarness({ VIEWNEO_BASE_URL: `http://127.0.0.1:${port}`, CACHE_TTL_MS: '0' });
    try {
      for (let i = 0; i < 20; i++) expect(codes(await h.gql(ONE))).toEqual(['UPSTREAM_ERROR']);
      const [open, ms] = await timed(() => h.gql(ONE));
      expect(open.errors?.[0]?.message).toMatch(/viewneo is failing; calls are paused/);
      expect(ms).toBeLessThan(200);
    } finally {
      await h.close();
    }
  });

  it('opens the circuit, fails fast, then probes and recovers when viewneo is back', async () => {
    const probe = await startLiftedSandbox();
    const port = Number(new URL(probe.url).port);
    await probe.close();
    const h = await startHarness({
      VIEWNEO_BASE_URL: `http://127.0.0.1:${port}`,
      CACHE_TTL_MS: '0',
      CIRCUIT_COOLDOWN_MS: '500',
      UPSTREAM_RETRIES: '0',
    });
    let revived: Sandbox | undefined;
    try {
      for (let i = 0; i < 25; i++) expect(codes(await h.gql(ONE))).toEqual(['UPSTREAM_ERROR']);
      const [open, ms] = await timed(() => h.gql(ONE));
      expect(open.errors?.[0]?.message).toMatch(/calls are paused/);
      expect(ms).toBeLessThan(200);

      revived = await startLiftedSandbox({ port });
      await new Promise((resolve) => setTimeout(resolve, 550));
      const recovered = await h.gql(ONE);
      expect(recovered.data.playlist.name).toBe('Alice playlist 01');
      expect((await h.gql(ONE)).errors).toBeUndefined();
    } finally {
      await h.close();
      await revived?.close();
    }
  });
});

describe('stale-if-error', () => {
  it('serves a recently expired read when viewneo fails, and says so in the extensions', async () => {
    let clock = 1_000_000;
    const h = await startHarness({ CACHE_TTL_MS: '1000', STALE_IF_ERROR_MS: '5000', UPSTREAM_RETRIES: '0' }, { now: () => clock });
    try {
      const fresh = await h.gql(ONE);
      clock += 3_000;
      h.sandbox.injectFault({ kind: 'status', status: 500 });
      const stale = await h.gql(ONE);
      expect(stale.data).toEqual(fresh.data);
      expect(stale.extensions?.staleReads).toEqual([{ resource: 'playlist:1001', ageMs: 2_000 }]);

      clock += 10_000;
      expect(codes(await h.gql(ONE))).toEqual(['UPSTREAM_ERROR']);
    } finally {
      await h.close();
    }
  });

  it('never serves stale data to a token viewneo now refuses', async () => {
    let clock = 1_000_000;
    const h = await startHarness({ CACHE_TTL_MS: '1000', STALE_IF_ERROR_MS: '5000' }, { now: () => clock });
    try {
      await h.gql(ONE);
      clock += 1_500;
      h.sandbox.injectFault({ kind: 'status', status: 401, body: '{"message":"Unauthenticated."}' });
      const answer = await h.gql(ONE);
      expect(codes(answer)).toEqual(['UNAUTHENTICATED']);
      expect(answer.data).toEqual({ playlist: null });
    } finally {
      await h.close();
    }
  });
});

describe('expired JWT access tokens', () => {
  it('are refused before any upstream call', async () => {
    const h = await startHarness();
    try {
      const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const expired = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ sub: '1', exp: Math.floor(Date.now() / 1000) - 60 })}.c2ln`;
      const answer = await h.gql(ONE, {}, expired);
      expect(answer.errors?.[0]).toMatchObject({ message: expect.stringMatching(/expired/), extensions: { code: 'UNAUTHENTICATED' } });
      expect(h.sandbox.requests).toHaveLength(0);
    } finally {
      await h.close();
    }
  });
});
