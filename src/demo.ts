// `npm run demo`: the gateway on an embedded viewneo sandbox, for trying it without a viewneo account.
import { fileURLToPath } from 'node:url';
import { loadConfigOrExit } from './config.js';
import { createGateway } from './gateway.js';
import { APP_PATH, serveApp } from './http/app-files.js';
import { serveUntilSignalled } from './http/serve.js';
import { createLogger } from './logger.js';
import { SANDBOX_OAUTH_CLIENT } from './sandbox/oauth.js';
import { startSandbox } from './sandbox/server.js';

const sandboxPort = Number(process.env.SANDBOX_PORT ?? 4010);
const config = loadConfigOrExit({
  HOST: '127.0.0.1',
  GATEWAY_SECRET: 'demo-only-secret-not-for-production-use!',
  // The example web app keeps its session in token-handler mode.
  REFRESH_TOKEN_COOKIE: 'true',
  ...process.env,
  VIEWNEO_BASE_URL: `http://127.0.0.1:${sandboxPort}`,
  VIEWNEO_CLIENT_ID: SANDBOX_OAUTH_CLIENT.clientId,
  VIEWNEO_CLIENT_SECRET: SANDBOX_OAUTH_CLIENT.clientSecret,
});
const shown = config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host;
// The sandbox's OAuth client sends the browser back to the example app (the page must be opened at this URL).
const appUrl = `http://${shown}:${config.port}${APP_PATH}`;
const sandbox = await startSandbox({ port: sandboxPort, redirectUri: appUrl });

const logger = createLogger(config.logLevel);
const gateway = createGateway(config, { logger });
const appDir = fileURLToPath(new URL('../examples/web/dist/', import.meta.url));
const port = await serveUntilSignalled(gateway, config, logger, () => sandbox.close(), serveApp(appDir, gateway.listener));

const [alice, bob, carol, dave, erin] = sandbox.accounts;
console.log(`
viewneo gateway demo
  Example web app: ${appUrl}  (sign in with viewneo: the sandbox's consent page)
  GraphiQL:        http://${shown}:${port}/graphql
  viewneo sandbox: ${sandbox.url}

Open GraphiQL, then paste this into its Headers tab (bottom left):
  { "Authorization": "Bearer ${alice?.token}" }
A second account with the same ids but other data: Bearer ${bob?.token}
An account of real size (40 playlists, 240 entries, 150 media files): Bearer ${carol?.token}
The same size with its media list 4 a page (16 pages): Bearer ${dave?.token}
An account on a larger plan (viewneo announces 5,000 calls a minute): Bearer ${erin?.token}
Like viewneo, the sandbox allows each token 60 calls a minute unless its plan says otherwise;
answers carry extensions.upstreamBudget.

Or from a shell:
  curl -s http://${shown}:${port}/graphql -H 'content-type: application/json' \\
    -H 'authorization: Bearer ${alice?.token}' \\
    -d '{"query":"{ playlists(first: 3) { totalCount edges { node { name totalDuration } } } }"}'

Ctrl+C stops both.
`);
