import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cluster, Redis } from 'ioredis';
import { fetch } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { hashToken } from '../../src/auth/token-hash.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import type { UpstreamFetch } from '../../src/viewneo/transport/http.js';
import { ALICE, BOB, type GraphQLAnswer, type Harness, startLiftedSandbox } from '../support/harness.js';
import { MODES, type RedisDeployment, startDeployment } from '../support/redis-deployments.js';
import { INVALIDATIONS, metric, replicaGroup } from '../support/replicas.js';

const ONE = '{ playlist(id: 1001) { name } }';
const DEEP = '{ playlists(first: 3) { edges { node { name entries { duration } } } } playlist(id: 1001) { name } }';
const RENAME = 'mutation($name: String!) { updatePlaylist(id: "1001", input: { name: $name }) { name } }';
const REDIRECT = 'http://localhost:4000/callback';

const codes = (answer: GraphQLAnswer) => answer.errors?.map((e) => e.extensions?.code);

/** Signs alice in on `h` in token-handler mode and answers the refresh cookie it set (`name=value`). */
async function signInWithCookie(h: Harness, sandbox: Sandbox): Promise<string> {
  const exchanged = await h.post({
    query: `mutation($code: String!) { exchangeCode(code: $code, redirectUri: "${REDIRECT}", refreshTokenDelivery: COOKIE) { accessToken } }`,
    variables: { code: sandbox.issueAuthorizationCode('alice') },
  });
  return exchanged.headers.get('set-cookie')!.split(';')[0]!;
}

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await run();
  return [value, performance.now() - started];
}

// A Redis command slower than REDIS_TIMEOUT_MS is skipped by design; on a busy test machine the
// default 50 ms could make a test of sharing flaky, so those use a generous timeout.
const PATIENT = '1000';

describe.each(MODES)('gateway replicas sharing Redis (%s)', (mode) => {
  let redis: RedisDeployment;
  let sandbox: Sandbox;
  let admin: Redis | Cluster;
  const group = replicaGroup(
    () => redis,
    () => sandbox,
    { REDIS_TIMEOUT_MS: PATIENT },
  );
  beforeAll(async () => {
    redis = await startDeployment(mode);
    sandbox = await startLiftedSandbox();
    admin = group.admin();
  }, 30_000);
  afterEach(async () => {
    await group.closeAll();
    sandbox?.reset();
    await redis?.flush();
  });
  afterAll(async () => {
    admin?.disconnect();
    await sandbox?.close();
    await redis?.stop();
  });

  it('answers a read on one replica from what another replica read upstream', async () => {
    const a = await group.start();
    const b = await group.start();
    await group.ready();
    const first = await a.gql(DEEP);
    expect(first.errors).toBeUndefined();
    const upstream = sandbox.countRequests();
    expect(upstream).toBeGreaterThan(3);

    expect(await b.gql(DEEP)).toEqual(first);
    expect(sandbox.countRequests()).toBe(upstream);
    expect(await metric(b, 'gateway_cache_events_total', '{event="shared_hit"}')).toBeGreaterThan(0);
    expect(await metric(b, 'gateway_cache_events_total', '{event="miss"}')).toBe(0);

    // Keys name the token's hash, never the token; another token has keys of its own.
    const bob = await b.gql(ONE, {}, BOB);
    expect(bob.data.playlist.name).toMatch(/^Bob/);
    // One hash tag per token: all of a token's keys share a cluster slot.
    const keys = await redis.keys('vg:{*}:cache:*');
    expect(keys).toContain(`vg:{${hashToken(ALICE)}}:cache:playlist:1001`);
    expect(keys).toContain(`vg:{${hashToken(BOB)}}:cache:playlist:1001`);
    expect(keys.join(' ')).not.toMatch(/sandbox-(alice|bob)-token/);
  });

  it('keeps answers in Redis no longer than the cache lifetime, and a 404 only briefly', async () => {
    const a = await group.start({ CACHE_TTL_MS: '5000' });
    const b = await group.start({ CACHE_TTL_MS: '5000' });
    await group.ready();
    expect((await a.gql('{ playlist(id: 99999) { name } }')).data).toEqual({ playlist: null });
    expect((await b.gql('{ playlist(id: 99999) { name } }')).data).toEqual({ playlist: null });
    expect(sandbox.countRequests({ path: '/api/v1.0/playlist/99999' })).toBe(1);
    const notFound = await admin.pttl(`vg:{${hashToken(ALICE)}}:cache:playlist:99999`);
    expect(notFound).toBeGreaterThan(0);
    expect(notFound).toBeLessThanOrEqual(2_000);

    await a.gql(ONE);
    const found = await admin.pttl(`vg:{${hashToken(ALICE)}}:cache:playlist:1001`);
    expect(found).toBeGreaterThan(2_000);
    expect(found).toBeLessThanOrEqual(5_000);
  });

  it('keeps answers larger than REDIS_MAX_VALUE_BYTES out of Redis', async () => {
    const a = await group.start({ REDIS_MAX_VALUE_BYTES: '1000' });
    const b = await group.start({ REDIS_MAX_VALUE_BYTES: '1000' });
    await group.ready();
    const both = async (h: Harness) => Promise.all([h.gql('{ playlists { totalCount } }'), h.gql(ONE)]);
    await both(a);
    await both(b);
    // The list of 20 playlists (about 3.5 KB of JSON) is too large to share; one playlist is not.
    expect(sandbox.countRequests({ path: '/api/v1.0/playlist' })).toBe(2);
    expect(sandbox.countRequests({ path: '/api/v1.0/playlist/1001' })).toBe(1);
  });

  it('makes a write through one replica visible on another that had the old answer cached', async () => {
    const a = await group.start();
    const b = await group.start();
    await group.ready();
    expect((await b.gql(ONE)).data.playlist.name).toBe('Alice playlist 01');
    expect((await a.gql(ONE)).data.playlist.name).toBe('Alice playlist 01');
    expect(sandbox.countRequests({ method: 'GET', path: '/api/v1.0/playlist/1001' })).toBe(1);

    expect((await a.gql(RENAME, { name: 'Renamed on A' })).errors).toBeUndefined();
    expect((await b.gql(ONE)).data.playlist.name).toBe('Renamed on A');
    expect((await a.gql(ONE)).data.playlist.name).toBe('Renamed on A');
    expect(sandbox.countRequests({ method: 'GET', path: '/api/v1.0/playlist/1001' })).toBe(2);
  });

  it('makes every write of a series through one replica visible on the other as soon as the write answered', async () => {
    const a = await group.start();
    const b = await group.start();
    await group.ready();
    expect((await b.gql(ONE)).data.playlist.name).toBe('Alice playlist 01');
    // Each time B holds the previous name: it must have dropped it when A's write answers.
    for (let i = 1; i <= 50; i++) {
      expect((await a.gql(RENAME, { name: `Rename ${i}` })).errors).toBeUndefined();
      expect((await b.gql(ONE)).data.playlist.name).toBe(`Rename ${i}`);
    }
  });

  it('never lets a read that was in flight during a write store the old answer', async () => {
    let held: { reached: () => void; released: Promise<void> } | null = null;
    let release = () => {};
    const reached = new Promise<void>((resolve) => {
      held = { reached: resolve, released: new Promise<void>((done) => (release = done)) };
    });
    // B's first read of the playlist gets viewneo's answer, then waits before handing it on.
    const holdingFetch: UpstreamFetch = async (url, { timeoutMs, ...init }) => {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      const gate = held;
      if (gate !== null && url.endsWith('/playlist/1001') && init.method === 'GET') {
        held = null;
        gate.reached();
        await gate.released;
      }
      return {
        status: response.status,
        headers: response.headers,
        text: () => response.text(),
        cancel: async () => response.body?.cancel(),
      };
    };
    const a = await group.start();
    const b = await group.start({}, { fetch: holdingFetch });
    await group.ready();

    const reading = b.gql(ONE);
    await reached;
    expect((await a.gql(RENAME, { name: 'Renamed during a read' })).errors).toBeUndefined();
    // The invalidation reached B while its read was in flight: B read again, after the write.
    const answer = await Promise.race([reading, sleep(2_000).then(() => 'still waiting for the held read')]);
    expect(answer).toEqual({ data: { playlist: { name: 'Renamed during a read' } } });

    release();
    await vi.waitFor(async () => expect(await metric(b, 'viewneo_upstream_in_flight')).toBe(0));
    await sleep(100);
    const stored = await admin.get(`vg:{${hashToken(ALICE)}}:cache:playlist:1001`);
    expect(stored ?? '').not.toContain('Alice playlist 01');
    expect((await a.gql(ONE)).data.playlist.name).toBe('Renamed during a read');
  });

  it('refuses on one replica an OAuth state spent on another', async () => {
    const a = await group.start();
    const b = await group.start();
    await group.ready();
    const exchange =
      'mutation($code: String!, $state: String) { exchangeCode(code: $code, redirectUri: "' +
      REDIRECT +
      '", state: $state) { accessToken } }';
    const { state } = (await a.gql('query($r: String!) { authorizationUrl(redirectUri: $r) { state } }', { r: REDIRECT }, null)).data
      .authorizationUrl;
    expect((await a.gql(exchange, { code: sandbox.issueAuthorizationCode('alice'), state }, null)).errors).toBeUndefined();
    const replay = await b.gql(exchange, { code: sandbox.issueAuthorizationCode('alice'), state }, null);
    expect(replay.errors?.[0]).toMatchObject({ message: expect.stringMatching(/already used/), extensions: { code: 'BAD_USER_INPUT' } });
    expect(sandbox.countRequests({ path: '/oauth/token' })).toBe(1);
  });

  it('refuses on one replica a refresh cookie used on another, without calling viewneo', async () => {
    const a = await group.start({ REFRESH_TOKEN_COOKIE: 'true' });
    const b = await group.start({ REFRESH_TOKEN_COOKIE: 'true' });
    await group.ready();
    const call = async (h: Harness, query: string, variables: object = {}, cookie?: string) => {
      const response = await h.post({ query, variables }, cookie ? { cookie } : {});
      return { body: (await response.json()) as GraphQLAnswer, cookie: response.headers.get('set-cookie')?.split(';')[0] };
    };
    const REFRESH = 'mutation { refreshToken { accessToken } }';
    const exchanged = await call(
      a,
      `mutation($code: String!) { exchangeCode(code: $code, redirectUri: "${REDIRECT}", refreshTokenDelivery: COOKIE) { accessToken } }`,
      {
        code: sandbox.issueAuthorizationCode('alice'),
      },
    );
    const first = await call(a, REFRESH, {}, exchanged.cookie);
    expect(first.body.errors).toBeUndefined();
    sandbox.resetRequests();

    const replay = await call(b, REFRESH, {}, exchanged.cookie);
    expect(replay.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/already used/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(sandbox.countRequests({ path: '/oauth/token' })).toBe(0);
    // The cookie that replaced it works on any replica.
    expect((await call(b, REFRESH, {}, first.cookie)).body.errors).toBeUndefined();
  });

  it('signs out on one replica a refresh cookie that no replica trades afterwards, without calling viewneo', async () => {
    const a = await group.start({ REFRESH_TOKEN_COOKIE: 'true' });
    const b = await group.start({ REFRESH_TOKEN_COOKIE: 'true' });
    await group.ready();
    const cookie = await signInWithCookie(a, sandbox);
    const out = await b.post({ query: 'mutation { signOut }' }, { cookie });
    expect(((await out.json()) as GraphQLAnswer).data).toEqual({ signOut: true });
    expect(out.headers.get('set-cookie')).toBe('viewneo_refresh=; Max-Age=0; Path=/graphql; HttpOnly; Secure; SameSite=Strict');
    sandbox.resetRequests();
    // A copy of the cookie kept anywhere is refused on every replica, the one signed out on included.
    for (const h of [a, b]) {
      const replay = (await (await h.post({ query: 'mutation { refreshToken { accessToken } }' }, { cookie })).json()) as GraphQLAnswer;
      expect(replay.errors?.[0]).toMatchObject({ message: expect.stringMatching(/already used/), extensions: { code: 'BAD_USER_INPUT' } });
    }
    expect(sandbox.countRequests({ path: '/oauth/token' })).toBe(0);
  });

  it('gives a refresh cookie back when viewneo failed to refresh it', async () => {
    const a = await group.start({ REFRESH_TOKEN_COOKIE: 'true', UPSTREAM_RETRIES: '0' });
    const b = await group.start({ REFRESH_TOKEN_COOKIE: 'true' });
    await group.ready();
    const cookie = await signInWithCookie(a, sandbox);
    sandbox.injectFault({ path: '/oauth/token', kind: 'status', status: 503, times: 1 });
    const failed = (await (await a.post({ query: 'mutation { refreshToken { accessToken } }' }, { cookie })).json()) as GraphQLAnswer;
    expect(codes(failed)).toEqual(['UPSTREAM_ERROR']);
    const retried = (await (await b.post({ query: 'mutation { refreshToken { accessToken } }' }, { cookie })).json()) as GraphQLAnswer;
    expect(retried.errors).toBeUndefined();
  });

  it("keeps one token within its limit (here the operator cap below viewneo's 60) across all replicas", async () => {
    const env = { CACHE_TTL_MS: '0', UPSTREAM_RATE_PER_MINUTE: '60', UPSTREAM_RATE_CAP: '10' };
    const a = await group.start(env);
    const b = await group.start(env);
    // Without a cache there is nothing to invalidate, so nothing listens.
    await group.ready(0);
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? a : b).gql(ONE)));
    expect(sandbox.countRequests()).toBe(10);
    expect(answers.filter((x) => x.errors === undefined)).toHaveLength(10);
    const limited = answers.filter((x) => codes(x)?.[0] === 'RATE_LIMITED');
    expect(limited).toHaveLength(20);
    for (const x of limited) expect(x.errors?.[0]?.extensions?.retryAfter).toBeGreaterThanOrEqual(1);
    for (const x of limited) expect(x.errors?.[0]?.extensions?.retryAfter).toBeLessThanOrEqual(60);
    // Another token has its own budget.
    expect((await b.gql(ONE, {}, BOB)).errors).toBeUndefined();
  });

  it('closes its Redis connections when the gateway closes', async () => {
    await group.start();
    await group.ready();
    // One command and one subscriber connection; a cluster client holds one per node it uses.
    const clients = () => redis.clients('viewneo-gateway');
    if (mode === 'cluster') expect(await clients()).toBeGreaterThanOrEqual(2);
    else expect(await clients()).toBe(2);
    await group.closeAll();
    await vi.waitFor(async () => expect(await clients()).toBe(0));
  });
});

describe.each(MODES)('a replica whose Redis fails (%s)', (mode) => {
  let redis: RedisDeployment;
  let sandbox: Sandbox;
  const group = replicaGroup(
    () => redis,
    () => sandbox,
    { REDIS_TIMEOUT_MS: PATIENT },
  );
  beforeAll(async () => {
    redis = await startDeployment(mode);
    sandbox = await startLiftedSandbox();
  }, 30_000);
  afterAll(async () => {
    await group.closeAll();
    await sandbox?.close();
    await redis?.stop();
  });

  it('answers from upstream while Redis is stalled, within its short timeout', async () => {
    const a = await group.start({ REDIS_TIMEOUT_MS: '50', UPSTREAM_RATE_PER_MINUTE: '60' });
    await group.ready();
    redis.freeze();
    try {
      const [answer, ms] = await timed(() => a.gql('{ playlist(id: 1002) { name } }'));
      expect(answer.data.playlist.name).toBe('Alice playlist 02');
      expect(ms).toBeLessThan(1_000);
      expect(await metric(a, 'gateway_redis_errors_total', '{operation="cache_read"}')).toBeGreaterThan(0);
      expect(await metric(a, 'gateway_redis_errors_total', '{operation="rate_limit"}')).toBeGreaterThan(0);
    } finally {
      redis.thaw();
      await group.closeAll();
      sandbox.reset();
    }
  });

  it('serves while Redis is down, counts the failures, and shares again once Redis is back', async () => {
    // A Redis that is down fails every command at once, whatever REDIS_TIMEOUT_MS is.
    const a = await group.start();
    const b = await group.start();
    await group.ready();
    await a.gql(ONE);
    await redis.kill();

    // A cluster client notices at its next slot refresh (every second) that no node answers.
    await vi.waitFor(async () => expect(await metric(a, 'gateway_redis_up')).toBe(0), { timeout: 5_000 });
    for (const h of [a, b]) {
      const [answer, ms] = await timed(() => h.gql('{ playlist(id: 1003) { name } }'));
      expect(answer.data.playlist.name).toBe('Alice playlist 03');
      expect(ms).toBeLessThan(500);
    }
    // Without Redis each replica reads for itself.
    expect(sandbox.countRequests({ path: '/api/v1.0/playlist/1003' })).toBe(2);
    expect((await a.gql(RENAME, { name: 'Renamed while Redis was down' })).errors).toBeUndefined();
    expect(await metric(a, 'gateway_redis_errors_total', '{operation="cache_read"}')).toBeGreaterThan(0);
    expect(await metric(a, 'gateway_redis_errors_total', '{operation="invalidate"}')).toBe(1);

    await redis.restart();
    await group.ready();
    const admin = group.admin();
    try {
      // The invalidation that Redis missed was sent again once it was back.
      // Until enough replicas have it (REDIS_WAIT_REPLICAS): a cluster's replicas sync again after the restart.
      await vi.waitFor(
        async () => {
          expect(Number(await admin.get(`vg:{${hashToken(ALICE)}}:fence:playlist:1001`))).toBeGreaterThanOrEqual(1);
          for (const h of [a, b]) expect(await metric(h, 'gateway_redis_pending_invalidations')).toBe(0);
        },
        { timeout: 5_000 },
      );
    } finally {
      admin.disconnect();
    }
    sandbox.resetRequests();
    expect((await b.gql(ONE)).data.playlist.name).toBe('Renamed while Redis was down');
    expect((await a.gql(ONE)).data.playlist.name).toBe('Renamed while Redis was down');
    expect(sandbox.countRequests({ path: '/api/v1.0/playlist/1001' })).toBe(1);
    expect((await a.gql(RENAME, { name: 'Renamed after Redis came back' })).errors).toBeUndefined();
    expect((await b.gql(ONE)).data.playlist.name).toBe('Renamed after Redis came back');
  });
});

describe.each(MODES)('two gateway processes sharing Redis (%s)', (mode) => {
  let redis: RedisDeployment;
  let sandbox: Sandbox;
  const children: ChildProcess[] = [];

  async function startProcess(): Promise<string> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/http/server.ts'], {
      cwd: new URL('../..', import.meta.url),
      env: {
        PATH: process.env.PATH,
        PORT: '0',
        HOST: '127.0.0.1',
        VIEWNEO_BASE_URL: sandbox.url,
        ...redis.env,
        REDIS_TIMEOUT_MS: PATIENT,
        GATEWAY_SECRET: 'test-gateway-secret-of-at-least-32-chars',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const lines: string[] = [];
    let url: string | undefined;
    let connected = false;
    return new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        lines.push(line);
        const parsed = JSON.parse(line) as { url?: string; msg?: string };
        url ??= parsed.url;
        connected ||= parsed.msg?.startsWith('Redis connected') ?? false;
        if (url !== undefined && connected) resolve(url);
      });
      child.once('exit', () => reject(new Error(`gateway exited early: ${lines.join('\n')}`)));
    });
  }

  const gql = async (url: string, query: string, variables: object = {}) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ALICE}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLAnswer;
  };

  beforeAll(async () => {
    redis = await startDeployment(mode);
    sandbox = await startLiftedSandbox();
  }, 30_000);
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await sandbox?.close();
    await redis?.stop();
  });

  it('share cached reads and invalidations, and close their Redis connections on SIGTERM', async () => {
    const [one, two] = await Promise.all([startProcess(), startProcess()]);
    try {
      await vi.waitFor(async () => expect(await redis.subscribers(INVALIDATIONS)).toBe(2), {
        timeout: 5_000,
        interval: 20,
      });
      expect((await gql(one, ONE)).data.playlist.name).toBe('Alice playlist 01');
      expect((await gql(two, ONE)).data.playlist.name).toBe('Alice playlist 01');
      expect(sandbox.countRequests({ path: '/api/v1.0/playlist/1001' })).toBe(1);

      expect((await gql(two, RENAME, { name: 'Renamed in process two' })).errors).toBeUndefined();
      // Process one applies the announcement as soon as it arrives (far sooner than the 10 s lifetime).
      await vi.waitFor(async () => expect((await gql(one, ONE)).data.playlist.name).toBe('Renamed in process two'), {
        timeout: 1_000,
        interval: 10,
      });

      for (const child of children) child.kill('SIGTERM');
      const exits = await Promise.all(children.map(async (child) => child.exitCode ?? (await once(child, 'exit'))[0]));
      expect(exits).toEqual([0, 0]);
      await vi.waitFor(async () => expect(await redis.clients('viewneo-gateway')).toBe(0));
    } finally {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
