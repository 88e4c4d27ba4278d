import { SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness, useHarness } from '../support/harness.js';

const REDIRECT = 'http://localhost:4000/callback';
const EXCHANGE = `mutation($code: String!, $redirectUri: String!, $state: String) {
  exchangeCode(code: $code, redirectUri: $redirectUri, state: $state) { tokenType accessToken refreshToken expiresIn expiresAt }
}`;
const REFRESH = `mutation($refreshToken: String!) {
  refreshToken(refreshToken: $refreshToken) { tokenType accessToken refreshToken expiresIn expiresAt }
}`;
const AUTHORIZE = 'query($redirectUri: String!) { authorizationUrl(redirectUri: $redirectUri) { url state } }';

describe('OAuth operations', () => {
  const h = useHarness();
  afterEach(() => h.sandbox.resetRequests());

  async function authorize(redirectUri = REDIRECT): Promise<{ url: string; state: string }> {
    const answer = await h.gql(AUTHORIZE, { redirectUri }, null);
    expect(answer.errors).toBeUndefined();
    return answer.data.authorizationUrl;
  }

  it('builds the viewneo consent URL with the client id, redirect URI and a state', async () => {
    const { url, state } = await authorize();
    const parsed = new URL(url);
    expect(`${parsed.origin}${parsed.pathname}`).toBe(`${h.sandbox.url}/oauth/authorize`);
    expect(Object.fromEntries(parsed.searchParams)).toEqual({
      client_id: 'sandbox-client',
      redirect_uri: REDIRECT,
      response_type: 'code',
      state,
    });
  });

  it('runs the whole flow: consent page, redirect, code exchange, data with the new token, refresh', async () => {
    const { url, state } = await authorize();
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<button type="submit" name="decision" value="allow">Allow</button>');
    // The form carries the authorization request's parameters; the user picks an account and allows.
    const form = new URLSearchParams(new URL(url).searchParams);
    form.set('account', 'alice');
    form.set('decision', 'allow');
    const consent = await fetch(new URL('/oauth/authorize', url), { method: 'POST', body: form, redirect: 'manual' });
    expect(consent.status).toBe(302);
    const callback = new URL(consent.headers.get('location')!);
    expect(callback.searchParams.get('state')).toBe(state);

    const exchanged = await h.gql(EXCHANGE, { code: callback.searchParams.get('code'), redirectUri: REDIRECT, state }, null);
    expect(exchanged.errors).toBeUndefined();
    const tokens = exchanged.data.exchangeCode;
    expect(tokens).toMatchObject({ tokenType: 'Bearer', expiresIn: 1296000 });
    expect(Date.parse(tokens.expiresAt) - Date.now()).toBeGreaterThan(1295990 * 1000);

    const tokenCall = h.sandbox.requests.find((r) => r.pathname === '/oauth/token');
    expect(tokenCall?.headers['content-type']).toBe('application/json');
    expect(tokenCall?.headers.authorization).toBeUndefined();
    expect(Object.entries(tokenCall?.body as object)).toEqual([
      ['grant_type', 'authorization_code'],
      ['client_id', 'sandbox-client'],
      ['client_secret', 'sandbox-secret'],
      ['redirect_uri', REDIRECT],
      ['code', callback.searchParams.get('code')],
    ]);

    const data = await h.gql('{ playlist(id: 1001) { name } }', {}, tokens.accessToken);
    expect(data.data.playlist.name).toBe('Alice playlist 01');

    h.sandbox.resetRequests();
    const refreshed = await h.gql(REFRESH, { refreshToken: tokens.refreshToken }, null);
    expect(refreshed.errors).toBeUndefined();
    expect(refreshed.data.refreshToken.refreshToken).not.toBe(tokens.refreshToken);
    expect(Object.entries(h.sandbox.requests[0]?.body as object)).toEqual([
      ['grant_type', 'refresh_token'],
      ['refresh_token', tokens.refreshToken],
      ['client_id', 'sandbox-client'],
      ['client_secret', 'sandbox-secret'],
    ]);

    // The old refresh token was rotated away.
    const replay = await h.gql(REFRESH, { refreshToken: tokens.refreshToken }, null);
    expect(replay.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', oauthError: 'invalid_request' });

    const logs = h.logs.join('');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of [tokens.accessToken, tokens.refreshToken, refreshed.data.refreshToken.accessToken, 'sandbox-secret']) {
      expect(logs).not.toContain(secret);
    }
  });

  it('answers BAD_USER_INPUT with the OAuth error for an unknown or reused code', async () => {
    const unknown = await h.gql(EXCHANGE, { code: 'nope', redirectUri: REDIRECT }, null);
    expect(unknown.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', oauthError: 'invalid_grant' });

    const code = h.sandbox.issueAuthorizationCode('bob');
    expect((await h.gql(EXCHANGE, { code, redirectUri: REDIRECT }, null)).errors).toBeUndefined();
    const reused = await h.gql(EXCHANGE, { code, redirectUri: REDIRECT }, null);
    expect(reused.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', oauthError: 'invalid_request' });
  });

  it('refuses a tampered state before calling viewneo', async () => {
    const { state } = await authorize();
    const [header, payload, signature] = state.split('.');
    const forged = `${header}.${payload}.${signature!.slice(0, -2)}${signature!.endsWith('AA') ? 'BB' : 'AA'}`;
    const answer = await h.gql(EXCHANGE, { code: h.sandbox.issueAuthorizationCode('alice'), redirectUri: REDIRECT, state: forged }, null);
    expect(answer.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'state' });
    expect(h.sandbox.countRequests({ path: '/oauth/token' })).toBe(0);
  });

  it('refuses a state issued for another redirect URI', async () => {
    const { state } = await authorize('https://attacker.example/callback');
    const answer = await h.gql(EXCHANGE, { code: 'c', redirectUri: REDIRECT, state }, null);
    expect(answer.errors?.[0]?.message).toMatch(/another redirect URI/);
    expect(h.sandbox.countRequests({ path: '/oauth/token' })).toBe(0);
  });

  it('refuses an expired state', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ redirect_uri: REDIRECT })
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience('viewneo-gateway:oauth-state')
      .setIssuedAt(now - 1200)
      .setExpirationTime(now - 600)
      .sign(h.config.gatewaySecret);
    const answer = await h.gql(EXCHANGE, { code: 'c', redirectUri: REDIRECT, state: expired }, null);
    expect(answer.errors?.[0]?.message).toMatch(/expired/);
  });

  it('refuses a redirect URI that is not an absolute http(s) URL', async () => {
    const answer = await h.gql(AUTHORIZE, { redirectUri: 'javascript:alert(1)' }, null);
    expect(answer.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'redirectUri' });
  });
});

describe('OAuth configuration', () => {
  it('answers NOT_CONFIGURED without a client id and secret, and the rest still works', async () => {
    const h = await startHarness({ VIEWNEO_CLIENT_ID: '', VIEWNEO_CLIENT_SECRET: '' });
    try {
      const answer = await h.gql(REFRESH, { refreshToken: 'x' }, null);
      expect(answer.errors?.[0]?.extensions?.code).toBe('NOT_CONFIGURED');
      expect(answer.errors?.[0]?.message).toMatch(/VIEWNEO_CLIENT_ID/);
      expect((await h.gql('{ playlist(id: 1001) { name } }')).data.playlist.name).toBe('Alice playlist 01');
    } finally {
      await h.close();
    }
  });

  it('reports a wrong client secret as UPSTREAM_ERROR without echoing it', async () => {
    const h = await startHarness({ VIEWNEO_CLIENT_SECRET: 'wrong-secret-value' });
    try {
      const answer = await h.gql(REFRESH, { refreshToken: 'x' }, null);
      expect(answer.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_ERROR', oauthError: 'invalid_client' });
      expect(JSON.stringify(answer)).not.toContain('wrong-secret-value');
    } finally {
      await h.close();
    }
  });
});

describe('OAuth state', () => {
  it('is single use: a replayed state is refused', async () => {
    const h = await startHarness();
    try {
      const { state } = (await h.gql(AUTHORIZE, { redirectUri: REDIRECT }, null)).data.authorizationUrl;
      const first = await h.gql(EXCHANGE, { code: h.sandbox.issueAuthorizationCode('alice'), redirectUri: REDIRECT, state }, null);
      expect(first.errors).toBeUndefined();
      const replay = await h.gql(EXCHANGE, { code: h.sandbox.issueAuthorizationCode('alice'), redirectUri: REDIRECT, state }, null);
      expect(replay.errors?.[0]).toMatchObject({ message: expect.stringMatching(/already used/), extensions: { code: 'BAD_USER_INPUT' } });
      expect(h.sandbox.countRequests({ path: '/oauth/token' })).toBe(1);
    } finally {
      await h.close();
    }
  });
});

describe('token-handler mode (refresh token in a cookie)', () => {
  const EXCHANGE_COOKIE = `mutation($code: String!) {
    exchangeCode(code: $code, redirectUri: "${REDIRECT}", refreshTokenDelivery: COOKIE) { accessToken refreshToken }
  }`;
  const REFRESH_FROM_COOKIE = 'mutation { refreshToken { accessToken refreshToken } }';

  async function post(h: Harness, query: string, variables: object = {}, cookie?: string) {
    const response = await h.post({ query, variables }, cookie ? { cookie } : {});
    return { body: (await response.json()) as any, setCookie: response.headers.get('set-cookie') };
  }

  it('keeps the refresh token in an encrypted HttpOnly cookie and rotates it on refresh', async () => {
    const h = await startHarness({ REFRESH_TOKEN_COOKIE: 'true' });
    try {
      const exchanged = await post(h, EXCHANGE_COOKIE, { code: h.sandbox.issueAuthorizationCode('alice') });
      expect(exchanged.body.errors).toBeUndefined();
      expect(exchanged.body.data.exchangeCode.refreshToken).toBeNull();
      expect(exchanged.setCookie).toMatch(/^viewneo_refresh=[\w.-]+; Max-Age=2592000; Path=\/graphql; HttpOnly; Secure; SameSite=Strict$/);
      const cookie = exchanged.setCookie!.split(';')[0]!;

      const refreshed = await post(h, REFRESH_FROM_COOKIE, {}, cookie);
      expect(refreshed.body.errors).toBeUndefined();
      expect(refreshed.body.data.refreshToken.accessToken).not.toBe(exchanged.body.data.exchangeCode.accessToken);
      const rotated = refreshed.setCookie!.split(';')[0]!;
      expect(rotated).not.toBe(cookie);
      // The refresh token viewneo issued never appears in clear in a cookie.
      const issued = (h.sandbox.requests.at(-1)!.body as { refresh_token: string }).refresh_token;
      expect(cookie).not.toContain(issued);

      // Each cookie is used once: the old one is refused before viewneo is asked.
      const calls = h.sandbox.countRequests({ path: '/oauth/token' });
      const replay = await post(h, REFRESH_FROM_COOKIE, {}, cookie);
      expect(replay.body.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/already used/),
        extensions: { code: 'BAD_USER_INPUT' },
      });
      expect(h.sandbox.countRequests({ path: '/oauth/token' })).toBe(calls);
      expect((await post(h, REFRESH_FROM_COOKIE, {}, rotated)).body.errors).toBeUndefined();
    } finally {
      await h.close();
    }
  });

  it('signs out by clearing the refresh cookie, which is refused afterwards; without one it still clears and answers false', async () => {
    const h = await startHarness({ REFRESH_TOKEN_COOKIE: 'true' });
    try {
      const exchanged = await post(h, EXCHANGE_COOKIE, { code: h.sandbox.issueAuthorizationCode('alice') });
      const cookie = exchanged.setCookie!.split(';')[0]!;
      const out = await post(h, 'mutation { signOut }', {}, cookie);
      expect(out.body).toEqual({ data: { signOut: true } });
      expect(out.setCookie).toBe('viewneo_refresh=; Max-Age=0; Path=/graphql; HttpOnly; Secure; SameSite=Strict');
      const calls = h.sandbox.countRequests({ path: '/oauth/token' });
      expect((await post(h, REFRESH_FROM_COOKIE, {}, cookie)).body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(h.sandbox.countRequests({ path: '/oauth/token' })).toBe(calls);
      const none = await post(h, 'mutation { signOut }');
      expect(none.body).toEqual({ data: { signOut: false } });
      expect(none.setCookie).toMatch(/^viewneo_refresh=; Max-Age=0;/);
    } finally {
      await h.close();
    }
  });

  it('refuses a forged cookie and a missing one as UNAUTHENTICATED', async () => {
    const h = await startHarness({ REFRESH_TOKEN_COOKIE: 'true' });
    try {
      expect((await post(h, REFRESH_FROM_COOKIE)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      const forged = await post(h, REFRESH_FROM_COOKIE, {}, 'viewneo_refresh=eyJhbGciOiJkaXIifQ..abc.def.ghi');
      expect(forged.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(h.sandbox.countRequests({ path: '/oauth/token' })).toBe(0);
    } finally {
      await h.close();
    }
  });

  it('is off unless REFRESH_TOKEN_COOKIE=true', async () => {
    const h = await startHarness();
    try {
      const answer = await post(h, EXCHANGE_COOKIE, { code: 'x' });
      expect(answer.body.errors?.[0]?.extensions?.code).toBe('NOT_CONFIGURED');
      expect(answer.setCookie).toBeNull();
    } finally {
      await h.close();
    }
  });
});
