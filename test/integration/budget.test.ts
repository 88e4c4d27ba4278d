import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CAROL, DAVE, ERIN } from '../../src/sandbox/data.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { ALICE, BOB, type GraphQLAnswer, type Harness, startHarness } from '../support/harness.js';
import { MODES, type RedisDeployment, startDeployment } from '../support/redis-deployments.js';

/** The main dashboard of a signage app: every playlist with what each entry shows. */
const DASHBOARD = `{ playlists(first: 100) { totalCount edges { node { name entries { duration
  content { __typename ... on MediaFile { name kind } ... on Playlist { name } } } } } } }`;
/** Twenty playlists side by side: a field the budget cannot pay for fails alone (each `playlist` is nullable). */
const WALL = Array.from(
  { length: 20 },
  (_, i) => `p${i}: playlist(id: ${1001 + i}) { name entries { content { ... on MediaFile { name } ... on Playlist { name } } } }`,
).join('\n');
const STRICT = { UPSTREAM_RATE_PER_MINUTE: '60' };

const codes = (answer: GraphQLAnswer) => [...new Set(answer.errors?.map((e) => e.extensions?.code))];

async function metric(h: Harness, name: string): Promise<number> {
  const text = await h.gateway.metrics.registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? 0 : Number(line.split(' ')[1]);
}

/** Spends `calls` of the token's budget at the sandbox directly, as another client of the same user would. */
async function spendElsewhere(sandbox: Sandbox, token: string, calls: number): Promise<void> {
  for (let i = 0; i < calls; i++) {
    const answer = await fetch(`${sandbox.url}/api/v1.0/template`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    });
    expect(answer.status).toBe(200);
    await answer.arrayBuffer();
  }
}

describe('the upstream budget, against a sandbox as strict as viewneo (60 calls a minute per token)', () => {
  let sandbox: Sandbox;
  const harnesses: Harness[] = [];
  const start = async (env: Record<string, string> = {}) => {
    const h = await startHarness({ ...STRICT, ...env }, { sandbox });
    harnesses.push(h);
    return h;
  };
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((h) => h.close()));
    // Also opens fresh rate windows.
    sandbox.reset();
  });
  afterAll(() => sandbox.close());

  it("answers the real-size account's dashboard at the first try, within one minute's budget", async () => {
    const h = await start();
    const answer = await h.gql(DASHBOARD, {}, CAROL.token);
    expect(answer.errors).toBeUndefined();
    const playlists = answer.data.playlists.edges.map((e: { node: { entries: unknown[] } }) => e.node);
    expect(playlists).toHaveLength(40);
    expect(playlists.flatMap((p: { entries: unknown[] }) => p.entries).length).toBeGreaterThanOrEqual(240);
    const calls = sandbox.requests.length;
    // 1 list of playlists, 40 of entries, and the media list's 10 pages instead of 150 single reads.
    expect(calls).toBeLessThanOrEqual(60);
    expect(sandbox.countRequests({ path: /^\/api\/v1\.0\/mediafile\/\d+$/ })).toBeLessThan(15);
    expect(await metric(h, 'viewneo_throttled_total')).toBe(0);
    expect(sandbox.rateLimited()).toBe(0);
    expect(await metric(h, 'gateway_upstream_calls_saved_total')).toBeGreaterThan(100);
    expect(answer.extensions?.upstreamBudget).toEqual({
      limit: 60,
      limitSource: 'VIEWNEO',
      remaining: 60 - calls,
      resetAt: expect.any(String),
    });
    expect(Date.parse(answer.extensions?.upstreamBudget.resetAt) - Date.now()).toBeGreaterThan(50_000);
  });

  it('answers the dashboard of the account whose media list comes 4 a page at the first try, within 60 calls', async () => {
    // 1 list + 40 entries reads + 16 media pages = 57 is the cheapest plan; a bet on by-id reads does not fit.
    const h = await start();
    const answer = await h.gql(DASHBOARD, {}, DAVE.token);
    expect(answer.errors).toBeUndefined();
    const entries = answer.data.playlists.edges.flatMap((e: { node: { entries: unknown[] } }) => e.node.entries);
    expect(entries).toHaveLength(240);
    expect(entries.every((e: { content: { name?: string } }) => typeof e.content.name === 'string')).toBe(true);
    expect(sandbox.requests.length).toBeLessThanOrEqual(60);
    expect(sandbox.rateLimited()).toBe(0);
    expect(await metric(h, 'viewneo_throttled_total')).toBe(0);
    // And the repeat within the TTL is answered whole, from the cache.
    sandbox.resetRequests();
    const again = await h.gql(DASHBOARD, {}, DAVE.token);
    expect(again.data).toEqual(answer.data);
    expect(sandbox.requests).toHaveLength(0);
  });

  it('answers the same dashboard again within the cache TTL with no upstream call and no budget figures', async () => {
    const h = await start();
    const first = await h.gql(DASHBOARD, {}, CAROL.token);
    sandbox.resetRequests();
    const again = await h.gql(DASHBOARD, {}, CAROL.token);
    expect(again.data).toEqual(first.data);
    expect(sandbox.requests).toHaveLength(0);
    expect(again.extensions?.upstreamBudget).toBeUndefined();
  });

  it('answers the fields the budget cannot pay for before the deadline as RATE_LIMITED, and viewneo never answers 429', async () => {
    sandbox.setRateLimit({ perMinute: 10 });
    // viewneo's headers say 10 a minute: the gateway's own default of 60 gives way to them.
    const h = await start({ REQUEST_TIMEOUT_MS: '1500' });
    const answer = await h.gql(`{ ${WALL} }`, {}, ALICE);
    expect(codes(answer)).toEqual(['RATE_LIMITED']);
    expect(answer.errors?.every((e) => e.extensions?.retryAfter > 0)).toBe(true);
    // What the budget paid for is answered.
    const answered = Object.values(answer.data).filter((p) => p !== null);
    expect(answered.length).toBeGreaterThan(0);
    expect(answered.length).toBeLessThan(20);
    expect(sandbox.requests.length).toBeLessThanOrEqual(10);
    expect(await metric(h, 'viewneo_throttled_total')).toBe(0);
    expect(sandbox.rateLimited()).toBe(0);
    expect(answer.extensions?.upstreamBudget).toMatchObject({ limit: 10, remaining: 0 });
  });

  it('slows down, without a 429, when another client of the same user spent most of the budget', async () => {
    await spendElsewhere(sandbox, CAROL.token, 55);
    sandbox.resetRequests();
    const h = await start({ REQUEST_TIMEOUT_MS: '1500' });
    const answer = await h.gql(DASHBOARD, {}, CAROL.token);
    expect(codes(answer)).toEqual(['RATE_LIMITED']);
    // The first answer's X-RateLimit-Remaining said 4 were left: the gateway sent no more than 5 in all.
    expect(sandbox.requests.length).toBeLessThanOrEqual(5);
    expect(await metric(h, 'viewneo_throttled_total')).toBe(0);
    expect(sandbox.rateLimited()).toBe(0);
  });

  it("keeps each token's budget to itself", async () => {
    sandbox.setRateLimit({ perMinute: 10 });
    const h = await start({ REQUEST_TIMEOUT_MS: '1500' });
    expect(codes(await h.gql(DASHBOARD, {}, ALICE))).toEqual(['RATE_LIMITED']);
    const bob = await h.gql(DASHBOARD, {}, BOB);
    expect(bob.errors).toBeUndefined();
    expect(bob.data.playlists.totalCount).toBe(3);
  });

  it('keeps to the higher limit viewneo announces: 80 calls in a minute, none refused, and reports it', async () => {
    // erin's plan: viewneo announces 5,000 a minute; the gateway assumes 60 until it hears so.
    const h = await start({ CACHE_TTL_MS: '0', RESULT_CACHE_MAX_ENTRIES: '0', READ_AHEAD_MAX_ENTRIES: '0' });
    let last: GraphQLAnswer | undefined;
    while (sandbox.requests.length < 80) {
      last = await h.gql(`{ ${WALL} }`, {}, ERIN.token);
      expect(last.errors).toBeUndefined();
    }
    expect(sandbox.rateLimited()).toBe(0);
    expect(last?.extensions?.upstreamBudget).toMatchObject({ limit: 5000, limitSource: 'VIEWNEO' });
    expect(last?.extensions?.upstreamBudget.remaining).toBe(5000 - sandbox.requests.length);
  });

  it("keeps to the operator's cap below viewneo's announced limit, and says the refusal is the gateway's", async () => {
    const h = await start({ UPSTREAM_RATE_CAP: '10', REQUEST_TIMEOUT_MS: '1500' });
    const answer = await h.gql(`{ ${WALL} }`, {}, ERIN.token);
    expect(codes(answer)).toEqual(['RATE_LIMITED']);
    expect(sandbox.requests.length).toBeLessThanOrEqual(10);
    const refusal = answer.errors?.[0];
    expect(refusal?.extensions).toMatchObject({ limit: 10, limitSource: 'CAP', retryAfter: expect.any(Number) });
    expect(refusal?.message).toMatch(/^the gateway's cap of 10 calls a minute \(UPSTREAM_RATE_CAP; viewneo announces 5000\)/);
    expect(answer.extensions?.upstreamBudget).toMatchObject({ limit: 10, limitSource: 'CAP', remaining: 0 });
  });

  it("says a refusal under a lower announced limit is viewneo's, with the limit and when to retry", async () => {
    sandbox.setRateLimit({ perMinute: 10 });
    const h = await start({ REQUEST_TIMEOUT_MS: '1500' });
    const refusal = (await h.gql(`{ ${WALL} }`, {}, ALICE)).errors?.[0];
    expect(refusal?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 10, limitSource: 'VIEWNEO' });
    expect(refusal?.message).toMatch(
      /^viewneo's announced limit of 10 calls a minute for this token leaves no room before the deadline: retry after \d+ s$/,
    );
  });

  it('keeps to the assumed limit with an upstream that never announces one, and says it is assumed', async () => {
    const silent = await startSandbox({ rateLimitHeaders: false });
    try {
      const h = await startHarness({ UPSTREAM_RATE_PER_MINUTE: '5', REQUEST_TIMEOUT_MS: '1500' }, { sandbox: silent });
      harnesses.push(h);
      const answer = await h.gql(`{ ${WALL} }`, {}, ALICE);
      expect(silent.requests.length).toBe(5);
      expect(silent.requests.every((r) => r.pathname.startsWith('/api/v1.0/'))).toBe(true);
      const refusal = answer.errors?.[0];
      expect(refusal?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 5, limitSource: 'ASSUMED' });
      expect(refusal?.message).toContain("the gateway's assumed limit of 5 calls a minute (UPSTREAM_RATE_PER_MINUTE;");
      expect(answer.extensions?.upstreamBudget).toMatchObject({ limit: 5, limitSource: 'ASSUMED' });
    } finally {
      await Promise.all(harnesses.splice(0).map((h) => h.close()));
      await silent.close();
    }
  });

  it('counts every call of the token, writes included', async () => {
    sandbox.setRateLimit({ perMinute: 5 });
    const h = await start({ REQUEST_TIMEOUT_MS: '1500' });
    for (let i = 0; i < 5; i++) {
      const created = await h.gql(`mutation { createPlaylist(input: { name: "budget ${i}" }) { name } }`);
      expect(created.errors).toBeUndefined();
    }
    const refused = await h.gql('mutation { createPlaylist(input: { name: "one too many" }) { name } }');
    expect(codes(refused)).toEqual(['RATE_LIMITED']);
    expect(sandbox.countRequests({ method: 'POST' })).toBe(5);
  });
});

describe.each(MODES)('the upstream budget of replicas sharing Redis (%s)', (mode) => {
  let redis: RedisDeployment;
  let sandbox: Sandbox;
  beforeAll(async () => {
    redis = await startDeployment(mode);
    sandbox = await startSandbox();
  }, 30_000);
  afterAll(async () => {
    await sandbox.close();
    await redis.stop();
  });

  it('keeps two replicas under the limit together', async () => {
    sandbox.setRateLimit({ perMinute: 20 });
    const env = { ...STRICT, ...redis.env, REDIS_TIMEOUT_MS: '1000', REQUEST_TIMEOUT_MS: '1500', CACHE_TTL_MS: '0' };
    const [a, b] = await Promise.all([startHarness(env, { sandbox }), startHarness(env, { sandbox })]);
    try {
      await vi.waitFor(async () => expect((await metric(a!, 'gateway_redis_up')) + (await metric(b!, 'gateway_redis_up'))).toBe(2), {
        timeout: 5_000,
        interval: 20,
      });
      // Each replica alone would spend its whole budget of 20: together they get 20. The wall's
      // errors stay in their nullable fields, so each replica goes on asking until the budget is spent
      // (graphql-js ends an operation whose error nulls the whole answer at once).
      const answers = await Promise.all([a!.gql(`{ ${WALL} }`, {}, CAROL.token), b!.gql(`{ ${WALL} }`, {}, CAROL.token)]);
      for (const answer of answers) expect(codes(answer)).toEqual(['RATE_LIMITED']);
      expect(sandbox.requests.length).toBeLessThanOrEqual(20);
      expect(sandbox.requests.length).toBeGreaterThan(10);
      expect((await metric(a!, 'viewneo_throttled_total')) + (await metric(b!, 'viewneo_throttled_total'))).toBe(0);
      expect(sandbox.rateLimited()).toBe(0);
    } finally {
      await Promise.all([a!.close(), b!.close()]);
    }
  });

  it('lets a replica that has not heard viewneo yet keep to the higher limit another replica heard', async () => {
    sandbox.reset();
    const env = { ...STRICT, ...redis.env, REDIS_TIMEOUT_MS: '1000', REQUEST_TIMEOUT_MS: '1500', CACHE_TTL_MS: '0' };
    const quiet = { RESULT_CACHE_MAX_ENTRIES: '0', READ_AHEAD_MAX_ENTRIES: '0' };
    const [a, b] = await Promise.all([startHarness({ ...env, ...quiet }, { sandbox }), startHarness({ ...env, ...quiet }, { sandbox })]);
    try {
      await vi.waitFor(async () => expect((await metric(a!, 'gateway_redis_up')) + (await metric(b!, 'gateway_redis_up'))).toBe(2), {
        timeout: 5_000,
        interval: 20,
      });
      // Through A, more than the assumed 60 calls in the shared window.
      while (sandbox.requests.length < 70) expect((await a!.gql(`{ ${WALL} }`, {}, ERIN.token)).errors).toBeUndefined();
      const before = sandbox.requests.length;
      const throughB = await b!.gql(`{ ${WALL} }`, {}, ERIN.token);
      expect(throughB.errors).toBeUndefined();
      expect(sandbox.requests.length).toBeGreaterThan(before);
      expect(throughB.extensions?.upstreamBudget).toMatchObject({ limit: 5000, limitSource: 'VIEWNEO' });
      expect(sandbox.rateLimited()).toBe(0);
    } finally {
      await Promise.all([a!.close(), b!.close()]);
    }
  });
});
