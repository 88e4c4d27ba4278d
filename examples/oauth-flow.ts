// The OAuth2 authorization-code flow through the gateway, server side and without a browser,
// against the viewneo sandbox (whose consent page's form is submitted as a user who allows it):
//   1. authorizationUrl → viewneo's consent URL and a signed state
//   2. follow the consent URL; viewneo redirects to the redirect URI with code and state
//   3. exchangeCode(code, redirectUri, state) → access and refresh tokens
//   4. playlists with the access token
//   5. refreshToken → new tokens, which read the playlists again
//
// Run: npx tsx examples/oauth-flow.ts
//   Without GATEWAY_URL it starts a sandbox and a gateway on free loopback ports. With
//   GATEWAY_URL (e.g. http://localhost:4000/graphql from `npm run demo`) it uses that gateway,
//   which must be configured with the sandbox's OAuth client. REDIRECT_URI defaults to the one
//   the sandbox registers. In a real web app step 2 is the user's browser, and step 3 runs in
//   the handler of the redirect URI.
import { AuthorizationUrlQuery, ExchangeCodeMutation, PlaylistsQuery, RefreshTokenMutation } from './client/documents.js';
import { describeError, request } from './client/request.js';

const redirectUri = process.env.REDIRECT_URI || 'http://localhost:4000/callback';

const running = process.env.GATEWAY_URL ? { url: process.env.GATEWAY_URL, stop: async () => {} } : await startSandboxAndGateway();
const gatewayUrl = running.url;
console.log(`gateway: ${gatewayUrl}`);

try {
  const { authorizationUrl } = await request(gatewayUrl, AuthorizationUrlQuery, { redirectUri });
  console.log(`1. authorizationUrl: ${authorizationUrl.url}`);

  // A browser shows viewneo's login and consent page; here its form is submitted as a user who
  // allows it would (the sandbox's form: its hidden fields, the account and the decision).
  const page = await fetch(authorizationUrl.url);
  if (page.status !== 200) throw new Error(`the consent page answered ${page.status}: ${await page.text()}`);
  const form = new URLSearchParams(new URL(authorizationUrl.url).searchParams);
  form.set('decision', 'allow');
  const consent = await fetch(new URL('/oauth/authorize', authorizationUrl.url), { method: 'POST', body: form, redirect: 'manual' });
  const location = consent.headers.get('location');
  if (consent.status < 300 || consent.status > 399 || location === null) {
    throw new Error(`the consent page answered ${consent.status} instead of a redirect: ${await consent.text()}`);
  }
  const callback = new URL(location);
  const code = callback.searchParams.get('code');
  const state = callback.searchParams.get('state');
  if (callback.searchParams.has('error')) throw new Error(`viewneo refused: ${callback.searchParams.get('error')}`);
  if (code === null || state !== authorizationUrl.state) throw new Error(`unexpected callback ${callback.origin}${callback.pathname}`);
  console.log(`2. redirected to ${callback.origin}${callback.pathname} with a code and the same state`);

  const { exchangeCode: tokens } = await request(gatewayUrl, ExchangeCodeMutation, { code, redirectUri, state });
  console.log(`3. exchangeCode: a ${tokens.tokenType} token valid for ${tokens.expiresIn} s (until ${tokens.expiresAt})`);

  const { playlists } = await request(gatewayUrl, PlaylistsQuery, { first: 5 }, tokens.accessToken);
  console.log(`4. playlists (${playlists.totalCount} in all):`);
  for (const { node } of playlists.edges) console.log(`     ${node.name}`);

  if (tokens.refreshToken === null) throw new Error('viewneo sent no refresh token');
  const { refreshToken: refreshed } = await request(gatewayUrl, RefreshTokenMutation, { refreshToken: tokens.refreshToken });
  const again = await request(gatewayUrl, PlaylistsQuery, { first: 1 }, refreshed.accessToken);
  const rotated = refreshed.refreshToken !== null && refreshed.refreshToken !== tokens.refreshToken;
  console.log(
    `5. refreshToken: a new access token${rotated ? ' and a new refresh token' : ''}; it reads ${again.playlists.totalCount} playlists`,
  );
  console.log('OAuth flow complete');
} catch (error) {
  console.error(`OAuth flow failed: ${describeError(error)}`);
  process.exitCode = 1;
} finally {
  await running.stop();
}

/** A sandbox and a gateway over it with the sandbox's OAuth client, on free loopback ports. */
async function startSandboxAndGateway(): Promise<{ url: string; stop: () => Promise<void> }> {
  const { startSandbox } = await import('../src/sandbox/server.js');
  const { loadConfig } = await import('../src/config.js');
  const { createGateway } = await import('../src/gateway.js');
  const { listen } = await import('../src/http/serve.js');
  const sandbox = await startSandbox();
  const config = loadConfig({
    VIEWNEO_BASE_URL: sandbox.url,
    VIEWNEO_CLIENT_ID: sandbox.oauthClient.clientId,
    VIEWNEO_CLIENT_SECRET: sandbox.oauthClient.clientSecret,
    GATEWAY_SECRET: 'example-only-secret-of-at-least-32-characters',
    LOG_LEVEL: 'warn',
  });
  const { server, port } = await listen(createGateway(config), 0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sandbox.close();
    },
  };
}
