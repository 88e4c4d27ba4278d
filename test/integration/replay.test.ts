import { setTimeout as sleep } from 'node:timers/promises';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import { ALICE, BOB, type Harness, startHarness, startLiftedSandbox, useHarness } from '../support/harness.js';

const QUERY = JSON.stringify({ query: '{ playlist(id: 1001) { name } }' });

async function replays(h: Harness): Promise<number> {
  const text = await h.gateway.metrics.registry.metrics();
  return Number(/gateway_cache_events_total\{event="result_replay"\} (\d+)/.exec(text)?.[1] ?? 0);
}

const post = (h: Harness, token: string, headers: Record<string, string> = {}, body = QUERY) =>
  fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers }, body });

describe('the fast path of repeated identical requests', () => {
  const h = useHarness({ CACHE_TTL_MS: '60000', CORS_ORIGINS: 'https://app.example.com', HTTP_CACHE_MAX_AGE: 'true' });

  it('answers a repeated request from the result cache before GraphQL runs, with the same bytes and headers', async () => {
    const first = await post(h, ALICE);
    const firstText = await first.text();
    const second = await post(h, ALICE);
    const before = await replays(h);
    const third = await post(h, ALICE, { 'x-request-id': 'replayed-1' });
    expect(await replays(h)).toBe(before + 1);
    expect(await third.text()).toBe(firstText);
    await second.arrayBuffer();
    expect(third.headers.get('content-type')).toBe(second.headers.get('content-type'));
    expect(third.headers.get('cache-control')).toBe('no-store');
    expect(third.headers.get('x-request-id')).toBe('replayed-1');
  });

  it("never answers another token's request, even an identical one", async () => {
    for (let i = 0; i < 3; i++) await (await post(h, ALICE)).arrayBuffer();
    const bob = await post(h, BOB);
    expect((await bob.json()).data.playlist.name).toBe('Bob lobby');
  });

  it('stops at a write of the token: the next answer is the new one', async () => {
    const body = JSON.stringify({ query: '{ playlist(id: 1007) { name } }' });
    for (let i = 0; i < 3; i++) await (await post(h, ALICE, {}, body)).arrayBuffer();
    await h.gql('mutation { updatePlaylist(id: "1007", input: { name: "Renamed under replay" }) { name } }');
    const after = await post(h, ALICE, {}, body);
    expect((await after.json()).data.playlist.name).toBe('Renamed under replay');
  });

  it('replays the CORS headers of the same origin only', async () => {
    const origin = { origin: 'https://app.example.com' };
    for (let i = 0; i < 2; i++) await (await post(h, ALICE, origin)).arrayBuffer();
    const before = await replays(h);
    const replayed = await post(h, ALICE, origin);
    expect(await replays(h)).toBe(before + 1);
    expect(replayed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    await replayed.arrayBuffer();
    // Another origin is another request: Yoga answers it, with its own CORS decision.
    const other = await post(h, ALICE, { origin: 'https://evil.example.com' });
    expect(await replays(h)).toBe(before + 1);
    expect(other.headers.get('access-control-allow-origin')).not.toBe('https://evil.example.com');
  });

  it('gives a GET its max-age from the time the result has left', async () => {
    const get = () =>
      fetch(`${h.url}?query=${encodeURIComponent('{ playlist(id: 1002) { name } }')}`, { headers: { authorization: `Bearer ${ALICE}` } });
    for (let i = 0; i < 2; i++) await (await get()).arrayBuffer();
    const before = await replays(h);
    const replayed = await get();
    expect(await replays(h)).toBe(before + 1);
    expect(replayed.headers.get('cache-control')).toMatch(/^private, max-age=([1-5]\d|60)$/);
    expect(replayed.headers.get('etag')).toMatch(/^W\//);
  });
});

/** An access token for alice from the sandbox's own token endpoint (its lifetime is the sandbox's). */
async function issuedToken(sandbox: Sandbox): Promise<string> {
  const { clientId, clientSecret, redirectUri } = sandbox.oauthClient;
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code: sandbox.issueAuthorizationCode('alice'),
    redirect_uri: redirectUri,
    client_id: clientId,
    client_secret: clientSecret,
  });
  const answer = await fetch(`${sandbox.url}/oauth/token`, { method: 'POST', body: form });
  return ((await answer.json()) as { access_token: string }).access_token;
}

describe('the fast path and token expiry', () => {
  it('stops replaying at the instant the token expires: the answer is then UNAUTHENTICATED, with no upstream call', async () => {
    const sandbox = await startLiftedSandbox({ accessTokenTtlSeconds: 2 });
    const h = await startHarness({ CACHE_TTL_MS: '60000' }, { sandbox });
    try {
      const token = await issuedToken(sandbox);
      const expiresAt = decodeJwt(token).exp! * 1000;
      for (let i = 0; i < 2; i++) expect((await (await post(h, token)).json()).data.playlist.name).toBeTypeOf('string');
      const before = await replays(h);
      expect((await (await post(h, token)).json()).data.playlist.name).toBeTypeOf('string');
      // Replayed while the token lives: the test would prove nothing otherwise.
      expect(await replays(h)).toBe(before + 1);
      await sleep(Math.max(0, expiresAt - Date.now()) + 50);
      sandbox.resetRequests();
      const after = await (await post(h, token)).json();
      expect(after.data?.playlist ?? null).toBeNull();
      expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(after.errors?.[0]?.message).toMatch(/expired/);
      expect(await replays(h)).toBe(before + 1);
      expect(sandbox.requests).toHaveLength(0);
    } finally {
      await h.close();
      await sandbox.close();
    }
  });
});
