import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { hashToken } from '../../src/auth/token-hash.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { ALICE, BOB, type Harness, startHarness, startLiftedSandbox, useHarness } from '../support/harness.js';
import { type RedisServer, startRedis } from '../support/redis.js';

const CHANGED = 'subscription($id: ID!) { playlistChanged(id: $id) { viewneoId name entries { viewneoId duration } } }';
const POLL_MS = 300;

type Result = { data?: any; errors?: readonly { message: string; extensions?: Record<string, unknown> }[] };

/** A subscription's results as they come, over SSE or WebSocket, and a way to stop it. */
interface Feed {
  readonly results: Result[];
  /** Resolves when the stream ends, with the error it ended with, if any. */
  readonly ended: Promise<unknown>;
  stop(): void;
}

function sse(h: Harness, query: string, variables: Record<string, unknown>, token: string | null = ALICE): Feed {
  const client = createSseClient({ url: h.url, headers: token ? { authorization: `Bearer ${token}` } : {}, retryAttempts: 0 });
  return feed(
    (sink) => client.subscribe({ query, variables }, sink),
    () => client.dispose(),
  );
}

function ws(h: Harness, query: string, variables: Record<string, unknown>, token: string | null = ALICE): Feed {
  const client = createWsClient({
    url: h.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: token ? { Authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
  });
  return feed(
    (sink) => client.subscribe({ query, variables }, sink),
    () => void client.dispose(),
  );
}

function feed(
  subscribe: (sink: { next(r: Result): void; error(e: unknown): void; complete(): void }) => () => void,
  dispose: () => void,
): Feed {
  const results: Result[] = [];
  let stopSubscription = () => {};
  const ended = new Promise<unknown>((resolve) => {
    stopSubscription = subscribe({ next: (r) => results.push(r), error: (e) => resolve(e ?? 'error'), complete: () => resolve(null) });
  });
  return {
    results,
    ended,
    stop() {
      stopSubscription();
      dispose();
    },
  };
}

async function metric(h: Harness, name: string): Promise<number> {
  const line = (await h.gateway.metrics.registry.metrics()).split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? 0 : Number(line.split(' ')[1]);
}

const rename = (h: Harness, name: string, token = ALICE) =>
  h.gql('mutation($name: String!) { updatePlaylist(id: 1001, input: { name: $name }) { name } }', { name }, token);

/** A change made in the CMS, behind the gateway's back: straight to the sandbox's REST API, as Alice. */
async function inCms(sandbox: Sandbox, method: 'PUT' | 'POST', path: string, body: unknown): Promise<void> {
  const response = await fetch(`${sandbox.url}/api/v1.0${path}`, {
    method,
    headers: { authorization: `Bearer ${ALICE}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(method === 'POST' ? 201 : 200);
}

const renameInCms = (sandbox: Sandbox, name: string) => inCms(sandbox, 'PUT', '/playlist/1001', { name });
const addEntryInCms = (sandbox: Sandbox) => inCms(sandbox, 'POST', '/playlist/1001/playlistentry', { media_file_id: 2049 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('live updates over SSE and WebSocket', () => {
  const h = useHarness({ LIVE_POLL_INTERVAL_MS: String(POLL_MS), MAX_SUBSCRIPTIONS_PER_TOKEN: '25' });
  const feeds: Feed[] = [];
  const open = (f: Feed) => {
    feeds.push(f);
    return f;
  };
  afterEach(async () => {
    for (const f of feeds.splice(0)) f.stop();
    await vi.waitFor(async () => expect(await metric(h, 'gateway_subscriptions_active')).toBe(0));
    h.sandbox.reset();
  });

  /** Waits until the feed's subscription is open on the gateway (its first read is its baseline). */
  const subscribed = async (count = 1) => vi.waitFor(async () => expect(await metric(h, 'gateway_subscriptions_active')).toBe(count));

  for (const [protocol, open$] of [
    ['SSE', sse],
    ['WebSocket', ws],
  ] as const) {
    it(`pushes a write through the gateway to a ${protocol} subscriber at once`, async () => {
      const f = open(open$(h, CHANGED, { id: '1001' }));
      await subscribed();
      await rename(h, `Renamed over ${protocol}`);
      await vi.waitFor(() => expect(f.results.at(-1)?.data?.playlistChanged.name).toBe(`Renamed over ${protocol}`), {
        timeout: 1000,
        interval: 10,
      });
      expect(f.results[0]?.data.playlistChanged.entries.length).toBeGreaterThan(0);
    });
  }

  it('pushes a change made elsewhere (directly in viewneo) within the poll interval', async () => {
    const f = open(sse(h, CHANGED, { id: '1001' }));
    await subscribed();
    // After the poller's first poll, change the playlist behind the gateway's back.
    await sleep(POLL_MS * 1.5);
    const direct = await fetch(`${h.sandbox.url}/api/v1.0/playlist/1001`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ALICE}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Changed in the CMS' }),
    });
    expect(direct.status).toBe(200);
    await vi.waitFor(() => expect(f.results.at(-1)?.data?.playlistChanged.name).toBe('Changed in the CMS'), {
      timeout: POLL_MS * 3,
      interval: 10,
    });
    // And a read right after answers the change: the cache was dropped when the poll saw it.
    expect((await h.gql('{ playlist(id: 1001) { name } }')).data.playlist.name).toBe('Changed in the CMS');
  });

  it('sends no event when nothing changed for three intervals', async () => {
    // A playlist no other test here changes: the gateway's cache holds nothing stale of it.
    const f = open(sse(h, 'subscription { playlistChanged(id: 1002) { name entries { duration } } }', {}));
    await subscribed();
    const [polls, events] = [await metric(h, 'gateway_live_polls_total'), await metric(h, 'gateway_live_events_total')];
    h.sandbox.resetRequests();
    await sleep(POLL_MS * 3.5);
    const polled = (await metric(h, 'gateway_live_polls_total')) - polls;
    expect(polled).toBeGreaterThanOrEqual(3);
    expect(f.results).toEqual([]);
    expect(await metric(h, 'gateway_live_events_total')).toBe(events);
    // Only the polls' own reads: no poll dropped the cached copies for the subscriber to read them again.
    expect(h.sandbox.requests.length).toBeLessThanOrEqual(2 * (polled + 1));
    expect(h.sandbox.requests.every((r) => /^\/api\/v1\.0\/playlist\/1002(\/playlistentry)?$/.test(r.pathname))).toBe(true);
  });

  it('costs one poll per interval for twenty subscribers of one token, and stops with the last of them', async () => {
    for (let i = 0; i < 20; i++) open(i % 2 === 0 ? sse(h, CHANGED, { id: '1001' }) : ws(h, CHANGED, { id: '1001' }));
    await subscribed(20);
    expect(await metric(h, 'gateway_live_pollers')).toBe(1);
    const before = await metric(h, 'gateway_live_polls_total');
    h.sandbox.resetRequests();
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, POLL_MS * 5));
    const polls = (await metric(h, 'gateway_live_polls_total')) - before;
    const intervals = (Date.now() - started) / POLL_MS;
    expect(polls).toBeGreaterThan(0);
    expect(polls).toBeLessThanOrEqual(Math.ceil(intervals) + 1);
    // Each poll reads the playlist and its entries: two calls, whatever the number of subscribers.
    expect(h.sandbox.countRequests({ path: /^\/api\/v1\.0\/playlist\/1001(\/playlistentry)?$/ })).toBeLessThanOrEqual(
      2 * (Math.ceil(intervals) + 1),
    );
    for (const f of feeds.splice(0)) f.stop();
    await vi.waitFor(async () => expect(await metric(h, 'gateway_live_pollers')).toBe(0));
  });

  it("never shows a subscriber another token's changes", async () => {
    const bob = open(sse(h, CHANGED, { id: '1001' }, BOB));
    const alice = open(sse(h, CHANGED, { id: '1001' }, ALICE));
    await subscribed(2);
    await rename(h, 'Alice only');
    await vi.waitFor(() => expect(alice.results).toHaveLength(1), { timeout: 1000, interval: 10 });
    await new Promise((resolve) => setTimeout(resolve, POLL_MS * 3));
    expect(bob.results).toEqual([]);
  });

  it('emits what plays now at once, then at a schedule boundary a few seconds ahead', async () => {
    const soon = new Date(Date.now() + 3_000);
    const clock = (d: Date) => d.toISOString().slice(11, 19);
    const added = await h.gql(
      'mutation($s: ScheduleInput!) { addPlaylistEntry(playlistId: 1003, input: { mediaFileId: 2049, schedule: $s }) { viewneoId } }',
      { s: { playRule: 'SCHEDULE', startTime: clock(soon), endTime: clock(new Date(soon.getTime() + 3_600_000)) } },
    );
    expect(added.errors).toBeUndefined();
    const id = added.data.addPlaylistEntry.viewneoId;
    const f = open(
      sse(h, 'subscription { playingNow(playlistId: 1003, timeZone: "UTC") { localTime nextChangeAt entries { viewneoId } } }', {}),
    );
    await vi.waitFor(() => expect(f.results).toHaveLength(1), { timeout: 1000, interval: 10 });
    const first = f.results[0]!.data.playingNow;
    expect(first.entries.map((e: { viewneoId: number }) => e.viewneoId)).not.toContain(id);
    expect(first.nextChangeAt).toBe(`${soon.toISOString().slice(0, 10)}T${clock(soon)}`);
    const reads = h.sandbox.requests.length;
    await vi.waitFor(() => expect(f.results).toHaveLength(2), { timeout: 6_000, interval: 20 });
    expect(f.results[1]!.data.playingNow.entries.map((e: { viewneoId: number }) => e.viewneoId)).toContain(id);
    // The boundary came from the gateway's own clock: no upstream call (polls aside) was needed for it.
    expect(h.sandbox.requests.slice(reads).every((r) => /\/playlist\/1003(\/playlistentry)?$/.test(r.pathname))).toBe(true);
  }, 15_000);

  it('refuses a time zone that is not an IANA name, and a subscription without a token', async () => {
    const zone = open(sse(h, 'subscription { playingNow(playlistId: 1003, timeZone: "Moon/Base") { localTime } }', {}));
    await zone.ended;
    expect(zone.results[0]?.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'timeZone' });
    const anonymous = open(ws(h, CHANGED, { id: '1001' }, null));
    await anonymous.ended;
    expect(anonymous.results[0]?.errors?.[0]?.extensions?.code ?? JSON.stringify(await anonymous.ended)).toMatch(/UNAUTHENTICATED/);
  });

  it('bounds the subscriptions of one token with a clear error', async () => {
    for (let i = 0; i < 25; i++) open(sse(h, CHANGED, { id: '1001' }));
    await subscribed(25);
    const extra = open(sse(h, CHANGED, { id: '1001' }));
    await extra.ended;
    expect(extra.results[0]?.errors?.[0]?.extensions).toMatchObject({ code: 'TOO_MANY_SUBSCRIPTIONS', limit: 25 });
    // Another token is not held back by it.
    const bob = open(sse(h, CHANGED, { id: '1001' }, BOB));
    await subscribed(26);
    expect(bob.results).toEqual([]);
  });

  it('keeps a subscription open through failing reads of viewneo and still pushes the change', async () => {
    const f = open(sse(h, CHANGED, { id: '1001' }));
    await subscribed();
    // The event's read after the write, and its retries, meet 503s: the change must not be lost.
    h.sandbox.injectFault({ path: '/api/v1.0/playlist/1001', method: 'GET', kind: 'status', status: 503, times: 8 });
    await rename(h, 'Renamed while viewneo fails');
    await vi.waitFor(() => expect(f.results.at(-1)?.data?.playlistChanged.name).toBe('Renamed while viewneo fails'), {
      timeout: POLL_MS * 10,
      interval: 10,
    });
    expect(f.results.every((r) => r.errors === undefined)).toBe(true);
    expect(h.sandbox.countRequests({ method: 'GET', path: '/api/v1.0/playlist/1001' })).toBeGreaterThan(4);
    expect(await metric(h, 'gateway_subscriptions_active')).toBe(1);
  });

  it('ends the subscriptions of a token viewneo starts refusing with UNAUTHENTICATED', async () => {
    const f = open(ws(h, CHANGED, { id: '1001' }));
    await subscribed();
    h.sandbox.injectFault({ path: '/api/v1.0/playlist/1001', kind: 'status', status: 401 });
    const ended = await f.ended;
    const code = f.results.at(-1)?.errors?.[0]?.extensions?.code ?? JSON.stringify(ended);
    expect(code).toMatch(/UNAUTHENTICATED/);
  });
});

describe('live updates of changes made in the CMS soon after what the subscriber was given', () => {
  const INTERVAL_MS = 1000;
  let h: Harness;
  const feeds: Feed[] = [];
  const open = (f: Feed) => {
    feeds.push(f);
    return f;
  };
  // A harness each: no test's subscriber starts from what another left in the gateway's cache.
  beforeEach(async () => {
    h = await startHarness({ LIVE_POLL_INTERVAL_MS: String(INTERVAL_MS) });
  });
  afterEach(async () => {
    for (const f of feeds.splice(0)) f.stop();
    await h.close();
  });
  const polls = () => metric(h, 'gateway_live_polls_total');
  const named = (f: Feed, name: string, timeout: number) =>
    vi.waitFor(() => expect(f.results.at(-1)?.data?.playlistChanged.name).toBe(name), { timeout, interval: 10 });

  for (const [protocol, open$] of [
    ['SSE', sse],
    ['WebSocket', ws],
  ] as const) {
    it(`reaches a ${protocol} subscriber within an interval with a change made 100 ms after it subscribed, before any poll`, async () => {
      const f = open(open$(h, CHANGED, { id: '1001' }));
      await vi.waitFor(async () => expect(await metric(h, 'gateway_subscriptions_active')).toBe(1));
      await sleep(100);
      await renameInCms(h.sandbox, `Changed in the CMS, ${protocol}`);
      await addEntryInCms(h.sandbox);
      // The poller's first poll is still to come: what it reads is not the subscriber's baseline.
      expect(await polls()).toBe(0);
      await named(f, `Changed in the CMS, ${protocol}`, 2 * INTERVAL_MS);
      expect(f.results).toHaveLength(1);
      // The 11 seeded entries and the one added.
      expect(f.results[0]!.data.playlistChanged.entries).toHaveLength(12);
    });

    it(`reaches a ${protocol} subscriber within an interval with a change made in the CMS right after a write through the gateway`, async () => {
      const f = open(open$(h, CHANGED, { id: '1001' }));
      await vi.waitFor(async () => expect(await metric(h, 'gateway_subscriptions_active')).toBe(1));
      // Right after a poll: the next one comes a whole interval after the write and the CMS change.
      await vi.waitFor(async () => expect(await polls()).toBe(1), { timeout: 2 * INTERVAL_MS, interval: 5 });
      await rename(h, `Written over ${protocol}`);
      await named(f, `Written over ${protocol}`, INTERVAL_MS / 2);
      await sleep(100);
      await addEntryInCms(h.sandbox);
      await vi.waitFor(() => expect(f.results).toHaveLength(2), { timeout: 2 * INTERVAL_MS, interval: 10 });
      const [written, added] = f.results.map((r) => r.data.playlistChanged);
      expect(added).toMatchObject({ name: `Written over ${protocol}` });
      expect(added.entries).toHaveLength(written.entries.length + 1);
    });
  }
});

describe('live updates of a token low on budget', () => {
  it('polls on, less often, while the token has less than half its budget left', async () => {
    const INTERVAL_MS = 200;
    const h = await startHarness({ UPSTREAM_RATE_PER_MINUTE: '40', LIVE_POLL_INTERVAL_MS: String(INTERVAL_MS), CACHE_TTL_MS: '0' });
    let f: Feed | undefined;
    try {
      // The user's own reads leave 12 of 40 calls; the subscription's first read takes 2 more: a quarter is left.
      let remaining = 40;
      while (remaining > 12) remaining = (await h.gql('{ playlist(id: 1002) { name } }')).extensions?.upstreamBudget.remaining;
      expect(remaining).toBe(12);
      f = sse(h, 'subscription { playlistChanged(id: 1002) { name } }', {});
      await vi.waitFor(async () => expect(await metric(h, 'gateway_subscriptions_active')).toBe(1));
      await sleep(10 * INTERVAL_MS);
      // Every 2 intervals at a quarter left, then 2.5, 3.3, 5…: about 3 polls where a full budget makes 10.
      const polls = await metric(h, 'gateway_live_polls_total');
      expect(polls).toBeGreaterThanOrEqual(2);
      expect(polls).toBeLessThanOrEqual(5);
    } finally {
      f?.stop();
      await h.close();
    }
  });
});

describe('live updates across replicas sharing Redis', () => {
  let redis: RedisServer;
  let admin: Redis;
  let sandbox: Sandbox;
  const started: Harness[] = [];
  beforeAll(async () => {
    redis = await startRedis();
    admin = new Redis(redis.url);
    sandbox = await startLiftedSandbox();
  });
  afterAll(async () => {
    admin.disconnect();
    await Promise.all(started.map((h) => h.close()));
    await sandbox.close();
    await redis.stop();
  });
  const replica = async (env: Record<string, string> = {}) => {
    const h = await startHarness(
      { REDIS_URL: redis.url, REDIS_TIMEOUT_MS: '1000', LIVE_POLL_INTERVAL_MS: String(POLL_MS), ...env },
      { sandbox },
    );
    started.push(h);
    await vi.waitFor(async () => expect(await metric(h, 'gateway_redis_up')).toBe(1));
    return h;
  };

  it('pushes a write made on another replica to a subscriber at once, and polls a playlist on one replica only', async () => {
    const [a, b] = [await replica(), await replica()];
    const onA = sse(a, CHANGED, { id: '1001' });
    const onB = sse(b, CHANGED, { id: '1001' });
    try {
      await vi.waitFor(async () =>
        expect((await metric(a, 'gateway_subscriptions_active')) + (await metric(b, 'gateway_subscriptions_active'))).toBe(2),
      );
      // Let the invalidation subscribers settle before the write.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await rename(b, 'Written on replica B');
      await vi.waitFor(() => expect(onA.results.at(-1)?.data?.playlistChanged.name).toBe('Written on replica B'), {
        timeout: 1000,
        interval: 10,
      });
      const polls = async () => (await metric(a, 'gateway_live_polls_total')) + (await metric(b, 'gateway_live_polls_total'));
      const before = await polls();
      const began = Date.now();
      await new Promise((resolve) => setTimeout(resolve, POLL_MS * 5));
      const intervals = (Date.now() - began) / POLL_MS;
      // One replica holds the playlist's lease: one poll per interval for both.
      expect((await polls()) - before).toBeLessThanOrEqual(Math.ceil(intervals) + 1);
    } finally {
      onA.stop();
      onB.stop();
    }
  });

  for (const [protocol, open$, playlistId] of [
    ['SSE', sse, 1004],
    ['WebSocket', ws, 1005],
  ] as const) {
    it(`reaches a ${protocol} subscriber on the replica that does not poll within an interval, when only it is behind`, async () => {
      const INTERVAL_MS = 1000;
      // Reads cached briefly: a subscriber that comes a while after another reads viewneo afresh.
      const CACHE_MS = 200;
      const env = { LIVE_POLL_INTERVAL_MS: String(INTERVAL_MS), CACHE_TTL_MS: String(CACHE_MS) };
      const [a, b] = [await replica(env), await replica(env)];
      const query = `subscription { playlistChanged(id: ${playlistId}) { name } }`;
      const active = (h: Harness, count: number) =>
        vi.waitFor(async () => expect(await metric(h, 'gateway_subscriptions_active')).toBe(count));
      const feeds = [open$(a, query, {})];
      try {
        // A polls the playlist: it holds the lease for two intervals past each poll.
        await vi.waitFor(async () => expect(await metric(a, 'gateway_live_polls_total')).toBe(1), {
          timeout: 4 * INTERVAL_MS,
          interval: 5,
        });
        const onB = open$(b, query, {});
        feeds.push(onB);
        await active(b, 1);
        const subscribedOnB = Date.now();
        await sleep(100);
        await inCms(sandbox, 'PUT', `/playlist/${playlistId}`, { name: `Changed in the CMS, ${protocol}` });
        // A's subscriber starts again after the change: A's new poller has no last poll, and the
        // only subscriber it knows of is up to date. B's, behind, is in the baselines A reads from Redis.
        feeds[0]!.stop();
        await active(a, 0);
        await sleep(subscribedOnB + CACHE_MS + 50 - Date.now());
        feeds.push(open$(a, query, {}));
        await active(a, 1);
        await vi.waitFor(() => expect(onB.results.at(-1)?.data?.playlistChanged.name).toBe(`Changed in the CMS, ${protocol}`), {
          timeout: 2 * INTERVAL_MS,
          interval: 10,
        });
        expect(feeds[2]!.results).toEqual([]);
        expect(await metric(b, 'gateway_live_polls_total')).toBe(0);
        // The baselines are kept under the token's hash, never the token, and go with the last subscriber.
        const key = `vg:{${hashToken(ALICE)}}:live:${playlistId}`;
        expect(await admin.keys('vg:{*}:live:*')).toContain(key);
        expect(JSON.stringify(await admin.hgetall(key))).not.toContain(ALICE);
        for (const f of feeds) f.stop();
        await vi.waitFor(async () => expect(await admin.exists(key)).toBe(0));
      } finally {
        for (const f of feeds) f.stop();
      }
    });
  }
});

describe('the start-up log', () => {
  const warned = (h: Harness) => h.logs.filter((line) => line.includes('calls a minute per subscribed playlist'));

  it('warns when the poll interval alone spends more than a quarter of the per-token budget per subscribed playlist', async () => {
    const h = await startHarness({ LIVE_POLL_INTERVAL_MS: '1000', UPSTREAM_RATE_PER_MINUTE: '60' });
    try {
      const [line, ...more] = warned(h);
      expect(more).toEqual([]);
      expect(JSON.parse(line!)).toMatchObject({
        level: 40,
        msg: expect.stringContaining(
          'LIVE_POLL_INTERVAL_MS=1000 spends 120 calls a minute per subscribed playlist, more than a quarter of UPSTREAM_RATE_PER_MINUTE=60',
        ),
      });
    } finally {
      await h.close();
    }
  });

  it('says nothing of polls that keep within a quarter, or when no budget is kept', async () => {
    for (const env of [
      { LIVE_POLL_INTERVAL_MS: '8000', UPSTREAM_RATE_PER_MINUTE: '60' },
      { LIVE_POLL_INTERVAL_MS: '1000', UPSTREAM_RATE_PER_MINUTE: '0' },
    ]) {
      const h = await startHarness(env);
      try {
        expect(warned(h)).toEqual([]);
      } finally {
        await h.close();
      }
    }
  });
});

describe('shutdown', () => {
  it('ends open subscriptions cleanly', async () => {
    const h = await startHarness({ LIVE_POLL_INTERVAL_MS: String(POLL_MS) });
    try {
      const f = sse(h, CHANGED, { id: '1001' });
      await vi.waitFor(async () => expect(await metric(h, 'gateway_subscriptions_active')).toBe(1));
      h.gateway.endSubscriptions();
      expect(await f.ended).toBeNull();
      expect(f.results).toEqual([]);
      const refused = sse(h, CHANGED, { id: '1001' });
      await refused.ended;
      expect(refused.results[0]?.errors?.[0]?.message).toMatch(/shutting down/);
    } finally {
      await h.close();
    }
  });
});
