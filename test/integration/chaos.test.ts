import { setTimeout as sleep } from 'node:timers/promises';
import { fetch as undiciFetch } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { hashToken } from '../../src/auth/token-hash.js';
import { ALICE as ALICE_ACCOUNT, BOB as BOB_ACCOUNT } from '../../src/sandbox/data.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import type { UpstreamFetch } from '../../src/viewneo/transport/http.js';
import { ALICE, BOB, type GraphQLAnswer, type Harness, type HarnessOptions, startHarness, startLiftedSandbox } from '../support/harness.js';
import { MODES } from '../support/redis-deployments.js';
import { metric, useReplicaGroup } from '../support/replicas.js';

const PLAYLISTS = '/api/v1.0/playlist';
const ONE = 'query($id: ID!) { playlist(id: $id) { name companyId } }';
const READ =
  'query($id: ID!) { playlist(id: $id) { name companyId entries { index duration content { __typename ... on MediaFile { name } ' +
  '... on Playlist { name } } } } playlists(first: 3) { totalCount edges { node { name companyId } } } }';
const NAMES = 'query($search: String) { playlists(first: 100, search: $search) { totalCount edges { node { name } } } }';
const CREATE = 'mutation($name: String!) { createPlaylist(input: { name: $name }) { name companyId } }';
const RENAME = 'mutation($id: ID!, $name: String!) { updatePlaylist(id: $id, input: { name: $name }) { name companyId } }';

const TOKENS = [ALICE, BOB] as const;
type Token = (typeof TOKENS)[number];
const OWNERS = new Map([
  [ALICE, { prefix: 'Alice ', companyId: ALICE_ACCOUNT.companyId }],
  [BOB, { prefix: 'Bob ', companyId: BOB_ACCOUNT.companyId }],
]);

/** What the token's data looks like in the sandbox: every name starts with `prefix`, every company id is `companyId`. */
function owner(token: Token): { prefix: string; companyId: number } {
  const found = OWNERS.get(token);
  if (found === undefined) throw new Error(`no sandbox account has the token ${token}`);
  return found;
}

// The load reads these (both tokens have them, with other content); the scenarios rename 1003 only.
const LOAD_IDS = ['1001', '1002'] as const;
const RENAMED = '1003';

const codes = (answer: GraphQLAnswer) => answer.errors?.map((e) => e.extensions?.code);

/** Fails unless every `name` in `data` starts with the token's prefix and every `companyId` is the token's. */
function expectOwnedBy(token: Token, data: unknown): void {
  const { prefix, companyId } = owner(token);
  const walk = (value: unknown): void => {
    // Arrays too: their entries are keyed by index.
    if (typeof value !== 'object' || value === null) return;
    for (const [key, field] of Object.entries(value)) {
      if (key === 'name') expect(field, `a name in an answer to ${token}`).toMatch(new RegExp(`^${prefix}`));
      else if (key === 'companyId') expect(field, `a company id in an answer to ${token}`).toBe(companyId);
      else walk(field);
    }
  };
  walk(data);
}

/** The token's playlist names as viewneo (the sandbox) holds them, read past every gateway. */
async function upstreamNames(sandbox: Sandbox, token: Token): Promise<string[]> {
  const response = await fetch(`${sandbox.url}${PLAYLISTS}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  return ((await response.json()) as { name: string }[]).map((p) => p.name);
}

/** One request of a load: what was asked (a read of `id`, or a create of `created`), when, and the answer or why there was none. */
interface Outcome {
  readonly token: Token;
  readonly replica: number;
  readonly id?: string;
  readonly created?: string;
  readonly startedAt: number;
  readonly answer?: GraphQLAnswer;
  readonly failure?: unknown;
}

/** A running load; `stop()` ends it and answers every outcome. */
interface Load {
  stop(): Promise<Outcome[]>;
}

/** Sends one request and records its outcome; never rejects. */
async function attempt(h: Harness, replica: number, token: Token, request: { id: string } | { created: string }): Promise<Outcome> {
  const startedAt = Date.now();
  const base = { token, replica, startedAt, ...request };
  try {
    const answer = 'id' in request ? await h.gql(READ, { id: request.id }, token) : await h.gql(CREATE, { name: request.created }, token);
    return { ...base, answer };
  } catch (failure) {
    return { ...base, failure };
  }
}

/**
 * Keeps one sequential worker per replica and token (of `writers`: all) busy with reads of
 * {@link LOAD_IDS}, and every fourth request a create of a playlist with a unique name that
 * starts with `label`, until stopped.
 */
function startLoad(replicas: readonly Harness[], label: string, writers: readonly Token[] = TOKENS): Load {
  let running = true;
  const outcomes: Outcome[] = [];
  const workers = replicas.flatMap((h, replica) =>
    TOKENS.map(async (token) => {
      for (let i = 0; running; i++) {
        const request =
          i % 4 === 3 && writers.includes(token)
            ? { created: `${owner(token).prefix}${label} ${replica}-${i}` }
            : { id: LOAD_IDS[i % LOAD_IDS.length]! };
        outcomes.push(await attempt(h, replica, token, request));
        // Leaves the two shared cores some room for the servers.
        await sleep(5);
      }
    }),
  );
  return {
    async stop() {
      running = false;
      await Promise.all(workers);
      return outcomes;
    },
  };
}

/** One create per replica and token, all at once. */
function createEverywhere(replicas: readonly Harness[], label: string): Promise<Outcome[]> {
  return Promise.all(
    replicas.flatMap((h, replica) =>
      TOKENS.map((token) => attempt(h, replica, token, { created: `${owner(token).prefix}${label} ${replica}` })),
    ),
  );
}

/** Each token's {@link LOAD_IDS} playlists as `READ` answers them before any chaos, by `"<token> <id>"`. */
type Baseline = Map<string, unknown>;

async function readBaseline(h: Harness): Promise<Baseline> {
  const baseline: Baseline = new Map();
  for (const token of TOKENS) {
    for (const id of LOAD_IDS) {
      const answer = await h.gql(READ, { id }, token);
      expect(answer.errors).toBeUndefined();
      expectOwnedBy(token, answer.data);
      baseline.set(`${token} ${id}`, answer.data.playlist);
    }
  }
  return baseline;
}

/**
 * What every chaos scenario checks over the outcomes of its requests: each answer holds only its
 * own token's data, each read answered without an error answered its playlist as in `baseline`,
 * viewneo got exactly one write request per create asked for (beyond `postsBefore`), and holds
 * each asked-for playlist exactly once.
 */
async function expectApartAndOnce(sandbox: Sandbox, outcomes: readonly Outcome[], baseline: Baseline, postsBefore = 0): Promise<void> {
  for (const { token, id, answer } of outcomes) {
    if (answer === undefined) continue;
    expectOwnedBy(token, answer.data);
    if (id !== undefined && answer.errors === undefined) expect(answer.data.playlist).toEqual(baseline.get(`${token} ${id}`));
  }
  const creates = outcomes.filter((o) => o.created !== undefined);
  expect(sandbox.countRequests({ method: 'POST', path: PLAYLISTS }) - postsBefore).toBe(creates.length);
  for (const token of TOKENS) {
    const asked = creates.filter((o) => o.token === token).map((o) => o.created);
    const held = (await upstreamNames(sandbox, token)).filter((name) => asked.includes(name));
    expect(held.sort()).toEqual(asked.sort());
  }
}

/** Fails unless every request was answered, and answered without an error. */
function expectAllAnswered(outcomes: readonly Outcome[]): void {
  expect(outcomes.filter((o) => o.failure !== undefined).map((o) => String(o.failure))).toEqual([]);
  expect(outcomes.flatMap((o) => o.answer?.errors ?? [])).toEqual([]);
}

/** Fails unless requests of every replica and token started between `from` and `to`. */
function expectLoadDuring(outcomes: readonly Outcome[], from: number, to: number, replicas: number): void {
  const during = outcomes.filter((o) => o.startedAt >= from && o.startedAt < to);
  expect(new Set(during.map((o) => `${o.replica} ${o.token}`)).size).toBe(replicas * TOKENS.length);
}

/**
 * Fails unless each replica sees, for both tokens, a rename made through each other one while it
 * had the old name cached, within `timeout` ms: by an invalidation, when that is shorter than the
 * replicas' cache lifetime.
 */
async function expectFollowing(group: readonly Harness[], label: string, timeout = 3_000): Promise<void> {
  for (const [w, writer] of group.entries()) {
    for (const reader of group) {
      if (reader === writer) continue;
      for (const token of TOKENS) {
        expectOwnedBy(token, (await reader.gql(ONE, { id: RENAMED }, token)).data);
        const name = `${owner(token).prefix}${label} ${w}`;
        expect((await writer.gql(RENAME, { id: RENAMED, name }, token)).errors).toBeUndefined();
        await vi.waitFor(async () => expect((await reader.gql(ONE, { id: RENAMED }, token)).data.playlist.name).toBe(name), {
          timeout,
          interval: 25,
        });
      }
    }
  }
}

/**
 * An upstream HTTP client (undici's fetch on loopback, as the scaling tests use) whose calls in
 * flight, and every later one, fail at once after `kill()`: a replica's upstream connections
 * dying with it.
 */
function killableFetch(): { fetch: UpstreamFetch; kill(): void } {
  const killed = new AbortController();
  return {
    fetch: async (url, { timeoutMs, ...init }) => {
      const response = await undiciFetch(url, { ...init, signal: AbortSignal.any([killed.signal, AbortSignal.timeout(timeoutMs)]) });
      return {
        status: response.status,
        headers: response.headers,
        text: () => response.text(),
        cancel: async () => response.body?.cancel(),
      };
    },
    kill: () => killed.abort(new Error('the replica died')),
  };
}

describe.each(MODES)('chaos: Redis (%s) failing under load of two tokens on two replicas', (mode) => {
  const replicas = useReplicaGroup({ REDIS_TIMEOUT_MS: '250', CACHE_TTL_MS: '60000' }, mode);
  const { group } = replicas;

  it("keeps every token's answers apart and applies each write once while Redis is frozen, and shares again once it runs", async () => {
    const a = await group.start();
    const b = await group.start();
    await group.ready();
    const baseline = await readBaseline(a);
    expect((await b.gql(ONE, { id: RENAMED }, ALICE)).data.playlist.name).toBe('Alice playlist 03');

    const load = startLoad([a, b], 'frozen');
    await sleep(300);
    const frozenAt = Date.now();
    replicas.redis.freeze();
    let writes: Outcome[];
    let thawedAt: number;
    try {
      await sleep(500);
      writes = await createEverywhere([a, b], 'created while Redis was frozen');
      // B has the old name cached: only A's invalidation, once Redis runs, can tell it.
      expect((await a.gql(RENAME, { id: RENAMED, name: 'Alice renamed while Redis was frozen' }, ALICE)).errors).toBeUndefined();
      await sleep(500);
    } finally {
      replicas.redis.thaw();
      thawedAt = Date.now();
    }
    await sleep(500);
    const outcomes = [...(await load.stop()), ...writes];

    // Redis is an optimisation, never a dependency: nothing failed.
    expectAllAnswered(outcomes);
    expectLoadDuring(outcomes, frozenAt, thawedAt, 2);
    for (const h of [a, b]) expect(await metric(h, 'gateway_redis_errors_total', '{operation="cache_read"}')).toBeGreaterThan(0);
    await expectApartAndOnce(replicas.sandbox, outcomes, baseline);

    await group.ready();
    await vi.waitFor(
      async () => expect((await b.gql(ONE, { id: RENAMED }, ALICE)).data.playlist.name).toBe('Alice renamed while Redis was frozen'),
      { timeout: 3_000, interval: 25 },
    );
    await expectFollowing([a, b], 'renamed after the thaw');
  }, 30_000);

  it("keeps every token's answers apart and applies each write once while Redis is killed, and shares again once it is back on its port", async () => {
    const a = await group.start();
    const b = await group.start();
    await group.ready();
    const baseline = await readBaseline(a);
    expect((await b.gql(ONE, { id: RENAMED }, BOB)).data.playlist.name).toBe('Bob entrance');

    const load = startLoad([a, b], 'killed');
    await sleep(300);
    const killedAt = Date.now();
    await replicas.redis.kill();
    await sleep(500);
    const writes = await createEverywhere([a, b], 'created while Redis was down');
    expect((await a.gql(RENAME, { id: RENAMED, name: 'Bob renamed while Redis was down' }, BOB)).errors).toBeUndefined();
    // A cluster client notices at its next slot refresh (every second) that no node answers.
    await vi.waitFor(
      async () => {
        for (const h of [a, b]) expect(await metric(h, 'gateway_redis_up')).toBe(0);
      },
      { timeout: 5_000 },
    );
    await sleep(500);
    await replicas.restartRedis();
    const restartedAt = Date.now();
    await group.ready();
    await sleep(300);
    const outcomes = [...(await load.stop()), ...writes];

    expectAllAnswered(outcomes);
    expectLoadDuring(outcomes, killedAt, restartedAt, 2);
    for (const h of [a, b]) expect(await metric(h, 'gateway_redis_errors_total', '{operation="cache_read"}')).toBeGreaterThan(0);
    await expectApartAndOnce(replicas.sandbox, outcomes, baseline);

    await vi.waitFor(
      async () => expect((await b.gql(ONE, { id: RENAMED }, BOB)).data.playlist.name).toBe('Bob renamed while Redis was down'),
      {
        timeout: 3_000,
        interval: 25,
      },
    );
    await expectFollowing([a, b], 'renamed after the restart');
  }, 30_000);
});

describe.each(['cluster', 'sentinel'] as const)('chaos: a Redis master (%s) dying under load of two tokens on two replicas', (mode) => {
  const replicas = useReplicaGroup({ REDIS_TIMEOUT_MS: '250', CACHE_TTL_MS: '60000' }, mode);
  const { group } = replicas;

  it("keeps every token's answers apart, applies each write once and serves no answer older than it while the replica takes over, and shares again without a restart", async () => {
    const a = await group.start();
    const b = await group.start();
    await group.ready();
    const baseline = await readBaseline(a);
    expect((await b.gql(ONE, { id: RENAMED }, ALICE)).data.playlist.name).toBe('Alice playlist 03');
    const sharedBefore = await metric(b, 'gateway_cache_events_total', '{event="shared_hit"}');

    const load = startLoad([a, b], 'failover');
    await sleep(300);
    const killedAt = Date.now();
    // Alice's keys are on the master that dies (on a cluster, Bob's most likely on another).
    const promoted = replicas.redis.failover(`vg:{${hashToken(ALICE)}}:`);
    await sleep(300);
    const writes = await createEverywhere([a, b], 'created during the failover');
    const renamed = 'Alice renamed during the failover';
    expect((await a.gql(RENAME, { id: RENAMED, name: renamed }, ALICE)).errors).toBeUndefined();
    // The writer never serves what it read before its own write.
    expect((await a.gql(ONE, { id: RENAMED }, ALICE)).data.playlist.name).toBe(renamed);
    await promoted;
    const promotedAt = Date.now();
    await group.ready();
    await sleep(300);
    const outcomes = [...(await load.stop()), ...writes];

    expectAllAnswered(outcomes);
    expectLoadDuring(outcomes, killedAt, promotedAt, 2);
    await expectApartAndOnce(replicas.sandbox, outcomes, baseline);

    // The rename's invalidation, sent again to the promoted replica, reaches B; from then on only the new name is served.
    await vi.waitFor(async () => expect((await b.gql(ONE, { id: RENAMED }, ALICE)).data.playlist.name).toBe(renamed), {
      timeout: 3_000,
      interval: 25,
    });
    for (const h of [a, b, await group.start()]) expect((await h.gql(ONE, { id: RENAMED }, ALICE)).data.playlist.name).toBe(renamed);
    const admin = group.admin();
    try {
      expect((await admin.get(`vg:{${hashToken(ALICE)}}:cache:playlist:${RENAMED}`)) ?? '').not.toContain('Alice playlist 03');
    } finally {
      admin.disconnect();
    }
    // Shared again, through the promoted replica: a read by one replica serves the other.
    await group.ready();
    expect((await a.gql(ONE, { id: '1004' }, ALICE)).data.playlist.name).toBe('Alice playlist 04');
    expect((await b.gql(ONE, { id: '1004' }, ALICE)).data.playlist.name).toBe('Alice playlist 04');
    expect(await metric(b, 'gateway_cache_events_total', '{event="shared_hit"}')).toBeGreaterThan(sharedBefore);
    await expectFollowing([a, b], 'renamed after the failover');
  }, 40_000);
});

describe('chaos: the sentinel a replica asks first stopping as the master dies', () => {
  const replicas = useReplicaGroup({ REDIS_TIMEOUT_MS: '100', CACHE_TTL_MS: '60000' }, 'sentinel');
  const { group } = replicas;

  it('finds the promoted master through the other sentinels and shares again, while the first one still does not answer', async () => {
    const a = await group.start();
    await group.ready();
    const first = replicas.redis.sentinels[0]!;
    first.freeze();
    try {
      // While A reconnects it waits on the frozen sentinel; the others announce the new master meanwhile.
      await replicas.redis.failover('');
      await group.ready();
      const b = await group.start();
      await group.ready();
      expect((await a.gql(ONE, { id: '1004' }, ALICE)).data.playlist.name).toBe('Alice playlist 04');
      const sharedBefore = await metric(b, 'gateway_cache_events_total', '{event="shared_hit"}');
      expect((await b.gql(ONE, { id: '1004' }, ALICE)).data.playlist.name).toBe('Alice playlist 04');
      expect(await metric(b, 'gateway_cache_events_total', '{event="shared_hit"}')).toBe(sharedBefore + 1);
    } finally {
      first.thaw();
    }
  }, 40_000);
});

describe('chaos: a write while the Sentinel-watched master is gone and the first sentinel does not answer', () => {
  // A deployment of its own: the one above has no replica left to promote.
  const replicas = useReplicaGroup({ REDIS_TIMEOUT_MS: '100', CACHE_TTL_MS: '60000' }, 'sentinel');
  const { group } = replicas;

  it('sends the write on to the promoted master, so the other replica drops what it held', async () => {
    const a = await group.start();
    const b = await group.start();
    await group.ready();
    expect((await b.gql(ONE, { id: RENAMED }, ALICE)).data.playlist.name).toBe('Alice playlist 03');
    const first = replicas.redis.sentinels[0]!;
    first.freeze();
    try {
      const promoted = replicas.redis.failover('');
      await sleep(300);
      const renamed = 'Alice renamed while the master was gone';
      expect((await a.gql(RENAME, { id: RENAMED, name: renamed }, ALICE)).errors).toBeUndefined();
      await promoted;
      await group.ready();
      await vi.waitFor(async () => expect((await b.gql(ONE, { id: RENAMED }, ALICE)).data.playlist.name).toBe(renamed), {
        timeout: 5_000,
        interval: 50,
      });
    } finally {
      first.thaw();
    }
  }, 40_000);
});

describe('chaos: viewneo cutting its answers off mid-body', () => {
  let sandbox: Sandbox;
  let h: Harness;
  beforeAll(async () => {
    sandbox = await startLiftedSandbox();
    h = await startHarness({}, { sandbox });
  });
  afterEach(() => sandbox.reset());
  afterAll(async () => {
    await h?.close();
    await sandbox?.close();
  });

  it('fails a read whose answer was cut off with UPSTREAM_ERROR, or answers it whole after a retry', async () => {
    sandbox.injectFault({ kind: 'cut', method: 'GET', path: `${PLAYLISTS}/1004`, times: 1 });
    const answer = await h.gql(ONE, { id: '1004' }, ALICE);
    const reads = sandbox.countRequests({ method: 'GET', path: `${PLAYLISTS}/1004` });
    if (answer.errors === undefined) {
      expect(answer.data.playlist).toEqual({ name: 'Alice playlist 04', companyId: ALICE_ACCOUNT.companyId });
      expect(reads).toBe(2);
    } else {
      expect(codes(answer)).toEqual(['UPSTREAM_ERROR']);
      expect(answer.data).toEqual({ playlist: null });
      expect(reads).toBe(1);
    }
    // The failure was not cached.
    expect((await h.gql(ONE, { id: '1004' }, ALICE)).data.playlist.name).toBe('Alice playlist 04');
  });

  it("keeps every token's answers apart and sends each create once while a third of the answers are cut off, and recovers once the cuts stop", async () => {
    // Without caches every read goes to viewneo and meets the cuts.
    const uncached = await startHarness({ CACHE_TTL_MS: '0', RESULT_CACHE_MAX_ENTRIES: '0' }, { sandbox });
    try {
      const baseline = await readBaseline(uncached);
      sandbox.resetRequests();
      sandbox.injectFault({ kind: 'cut', rate: 0.3 });
      const load = startLoad([uncached], 'cut');
      await sleep(1_500);
      const outcomes = await load.stop();
      sandbox.clearFaults();

      expect(outcomes.filter((o) => o.failure !== undefined)).toEqual([]);
      const failed = outcomes.filter((o) => o.answer?.errors !== undefined);
      expect(failed.length).toBeGreaterThan(0);
      expect(outcomes.length - failed.length).toBeGreaterThan(0);
      expect(new Set(failed.flatMap((o) => codes(o.answer!)))).toEqual(new Set(['UPSTREAM_ERROR']));
      // Among them creates whose answer was cut off: applied by viewneo, so never to be sent again.
      expect(failed.some((o) => o.created !== undefined)).toBe(true);
      await expectApartAndOnce(sandbox, outcomes, baseline);

      for (const token of TOKENS) {
        const answer = await uncached.gql(READ, { id: '1002' }, token);
        expect(answer.errors).toBeUndefined();
        expect(answer.data.playlist).toEqual(baseline.get(`${token} 1002`));
        expect((await uncached.gql(CREATE, { name: `${owner(token).prefix}after the cuts` }, token)).errors).toBeUndefined();
      }
    } finally {
      await uncached.close();
    }
  }, 20_000);

  it('never sends again a create whose answer was cut off, and creates again once the cuts stop', async () => {
    sandbox.injectFault({ kind: 'cut', method: 'POST', path: PLAYLISTS, times: 1 });
    const cut = await h.gql(CREATE, { name: 'Alice playlist cut off' }, ALICE);
    expect(codes(cut)).toEqual(['UPSTREAM_ERROR']);
    expect(cut.data).toBeNull();
    expect(sandbox.countRequests({ method: 'POST', path: PLAYLISTS })).toBe(1);
    expect((await upstreamNames(sandbox, ALICE)).filter((n) => n === 'Alice playlist cut off')).toHaveLength(1);

    const next = await h.gql(CREATE, { name: 'Alice playlist after the cut' }, ALICE);
    expect(next.data.createPlaylist).toEqual({ name: 'Alice playlist after the cut', companyId: ALICE_ACCOUNT.companyId });
    expect(sandbox.countRequests({ method: 'POST', path: PLAYLISTS })).toBe(2);
  });

  it("never sends again a rename whose answer was cut off, and leaves the other token's playlist of that id alone", async () => {
    sandbox.injectFault({ kind: 'cut', method: 'PUT', path: `${PLAYLISTS}/1003`, times: 1 });
    const cut = await h.gql(RENAME, { id: '1003', name: 'Bob renamed, answer cut off' }, BOB);
    expect(codes(cut)).toEqual(['UPSTREAM_ERROR']);
    expect(sandbox.countRequests({ method: 'PUT', path: `${PLAYLISTS}/1003` })).toBe(1);
    expect(await upstreamNames(sandbox, BOB)).toContain('Bob renamed, answer cut off');
    expect((await h.gql(ONE, { id: '1003' }, ALICE)).data.playlist.name).toBe('Alice playlist 03');
  });

  it('never sends again a create whose connection was reset before the answer', async () => {
    sandbox.injectFault({ kind: 'reset', method: 'POST', path: PLAYLISTS, times: 1 });
    const reset = await h.gql(CREATE, { name: 'Bob reset' }, BOB);
    expect(codes(reset)).toEqual(['UPSTREAM_ERROR']);
    expect(sandbox.countRequests({ method: 'POST', path: PLAYLISTS })).toBe(1);
    // The sandbox drops a reset request before carrying it out.
    expect(await upstreamNames(sandbox, BOB)).not.toContain('Bob reset');
  });

  // viewneo applied the write whose answer broke off: cached reads that said otherwise would invite
  // the caller to repeat it.
  it('shows what viewneo holds after a write whose answer was cut off', async () => {
    expect((await h.gql(ONE, { id: '1002' }, BOB)).data.playlist.name).toBe('Bob cafeteria');
    expect((await h.gql(NAMES, {}, BOB)).data.playlists.totalCount).toBe(3);
    sandbox.injectFault({ kind: 'cut', method: 'PUT', path: `${PLAYLISTS}/1002`, times: 1 });
    sandbox.injectFault({ kind: 'cut', method: 'POST', path: PLAYLISTS, times: 1 });
    expect(codes(await h.gql(RENAME, { id: '1002', name: 'Bob renamed, answer cut off' }, BOB))).toEqual(['UPSTREAM_ERROR']);
    expect(codes(await h.gql(CREATE, { name: 'Bob created, answer cut off' }, BOB))).toEqual(['UPSTREAM_ERROR']);

    expect((await h.gql(ONE, { id: '1002' }, BOB)).data.playlist.name).toBe('Bob renamed, answer cut off');
    expect((await h.gql(NAMES, {}, BOB)).data.playlists.totalCount).toBe(4);
  });
});

describe('chaos: a replica dying mid-request', () => {
  const replicas = useReplicaGroup({ REDIS_TIMEOUT_MS: '250', CACHE_TTL_MS: '60000' });
  const { group } = replicas;

  const settle = (p: Promise<GraphQLAnswer>) =>
    p.then(
      (answer) => ({ answer }),
      (failure: unknown) => ({ failure }),
    );

  /**
   * Starts replicas A and B, has A send viewneo a create for Alice and a read for Bob that
   * viewneo takes 2 s over, and answers once viewneo has both. B has both tokens' lists cached.
   */
  async function inFlightOnA(options: HarnessOptions = {}, bEnv: Record<string, string> = {}) {
    const a = await group.start({}, options);
    const b = await group.start(bEnv);
    await group.ready();
    const baseline = await readBaseline(b);
    for (const token of TOKENS) expectOwnedBy(token, (await b.gql(NAMES, {}, token)).data);
    replicas.sandbox.injectFault({ kind: 'latency', ms: 2_000, method: 'POST', path: PLAYLISTS, times: 1 });
    replicas.sandbox.injectFault({ kind: 'latency', ms: 2_000, method: 'GET', path: `${PLAYLISTS}/1003`, token: BOB, times: 1 });
    const writing = settle(a.gql(CREATE, { name: 'Alice playlist sent to a dying replica' }, ALICE));
    const reading = settle(a.gql(ONE, { id: '1003' }, BOB));
    await vi.waitFor(() => {
      expect(replicas.sandbox.countRequests({ method: 'POST', path: PLAYLISTS })).toBe(1);
      expect(replicas.sandbox.countRequests({ method: 'GET', path: `${PLAYLISTS}/1003` })).toBe(1);
    });
    return { a, b, baseline, writing, reading };
  }

  /** Fails unless B answers both tokens' lists as viewneo holds them within `timeout` ms, and its Redis is up. */
  async function expectTrueOn(b: Harness, timeout: number): Promise<void> {
    for (const token of TOKENS) {
      const upstream = await upstreamNames(replicas.sandbox, token);
      const sent = upstream.filter((name) => name.includes('sent to a dying replica'));
      await vi.waitFor(
        async () => {
          expect((await b.gql(NAMES, {}, token)).data.playlists.totalCount).toBe(upstream.length);
          const found = await b.gql(NAMES, { search: 'sent to a dying replica' }, token);
          expect(found.data.playlists.edges.map((e: any) => e.node.name)).toEqual(sent);
        },
        { timeout, interval: 50 },
      );
      const read = await b.gql(READ, { id: '1003' }, token);
      expect(read.errors).toBeUndefined();
      expectOwnedBy(token, read.data);
    }
    expect(await metric(b, 'gateway_redis_up')).toBe(1);
  }

  it('keeps the other replica serving both tokens when one closes all its connections mid-request, and applies its write once', async () => {
    const { a, b, baseline, writing, reading } = await inFlightOnA();
    // Only Bob writes beside it: that Alice's list on B shows A's create can then only come from A's invalidation.
    const load = startLoad([b], 'beside the dying replica', [BOB]);
    await group.close(a);
    const [written, read] = await Promise.all([writing, reading]);
    await sleep(300);
    const outcomes = await load.stop();

    // A's callers got no answer: A closed their connections before viewneo answered.
    expect(written).toHaveProperty('failure');
    expect(read).toHaveProperty('failure');
    expectAllAnswered(outcomes);
    expect(outcomes.length).toBeGreaterThan(2);
    await expectApartAndOnce(replicas.sandbox, outcomes, baseline, 1);
    // A finished its call to viewneo while closing: the write is applied, once, and B was told.
    expect((await upstreamNames(replicas.sandbox, ALICE)).filter((n) => n === 'Alice playlist sent to a dying replica')).toHaveLength(1);
    await expectTrueOn(b, 3_000);

    const c = await group.start();
    await group.ready();
    await expectFollowing([b, c], 'renamed after a replica closed');
  }, 30_000);

  it('keeps the other replica serving both tokens when one dies with its upstream calls mid-request, and applies its write at most once', async () => {
    const upstream = killableFetch();
    // Nothing can tell B of a write whose writer died before it could: B's cached reads live 2 s here.
    const { a, b, baseline, writing, reading } = await inFlightOnA({ fetch: upstream.fetch }, { CACHE_TTL_MS: '2000' });
    const load = startLoad([b], 'beside the dead replica', [BOB]);
    upstream.kill();
    await group.close(a);
    const [written, read] = await Promise.all([writing, reading]);
    await sleep(2_500);
    const outcomes = await load.stop();

    // A's callers got no answer, or an error: never a success A could not know of.
    for (const settled of [written, read]) {
      if ('answer' in settled) expect(codes(settled.answer)).toEqual(['UPSTREAM_ERROR']);
    }
    expectAllAnswered(outcomes);
    expect(outcomes.length).toBeGreaterThan(2);
    await expectApartAndOnce(replicas.sandbox, outcomes, baseline, 1);
    // viewneo got the create whole before A died: applied at most once, and never sent again.
    const sent = (await upstreamNames(replicas.sandbox, ALICE)).filter((n) => n === 'Alice playlist sent to a dying replica');
    expect(sent.length).toBeLessThanOrEqual(1);
    await expectTrueOn(b, 5_000);

    const c = await group.start();
    await group.ready();
    // Well within B's 2 s cache lifetime.
    await expectFollowing([b, c], 'renamed after a replica died', 1_000);
  }, 30_000);
});
