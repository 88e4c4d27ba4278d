// `npm run demo`: the gateway on an embedded viewneo sandbox, for trying it without a viewneo account.
import { loadConfigOrExit } from './config.js';
import { createGateway } from './gateway.js';
import { serveUntilSignalled } from './http/serve.js';
import { createLogger } from './logger.js';
import { startSandbox } from './sandbox/server.js';

const sandbox = await startSandbox({ port: Number(process.env.SANDBOX_PORT ?? 4010) });
const config = loadConfigOrExit({
  HOST: '127.0.0.1',
  GATEWAY_SECRET: 'demo-only-secret-not-for-production-use!',
  ...process.env,
  VIEWNEO_BASE_URL: sandbox.url,
  VIEWNEO_CLIENT_ID: sandbox.oauthClient.clientId,
  VIEWNEO_CLIENT_SECRET: sandbox.oauthClient.clientSecret,
});

const logger = createLogger(config.logLevel);
const gateway = createGateway(config, { logger });
const port = await serveUntilSignalled(gateway, config, logger, () => sandbox.close());

const shown = config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host;
const [alice, bob, carol, dave, erin] = sandbox.accounts;
console.log(`
viewneo gateway demo
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
