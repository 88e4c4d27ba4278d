import type { Config } from '../config.js';
import { gatewayError } from '../errors.js';
import { requireHttpUrl } from '../input.js';
import type { ViewneoClient } from '../viewneo/client.js';
import type { TokenGrant } from '../viewneo/inputs.js';
import type { SpentIds } from './spent-ids.js';
import { STATE_TTL_SECONDS, signState, verifyState } from './state.js';

/** The tokens an OAuth grant produced, as the GraphQL `AuthPayload` exposes them. */
export interface AuthPayload extends TokenGrant {
  /** ISO-8601 instant at which the access token expires. */
  readonly expiresAt: string;
}

/** What the OAuth flow needs: the configured client, the upstream client, spent states. */
export interface OAuthDeps {
  readonly config: Pick<Config, 'oauthClient' | 'gatewaySecret'>;
  readonly client: Pick<ViewneoClient, 'authorizationUrl' | 'requestToken'>;
  readonly spentIds: SpentIds;
}

function requireClient(config: OAuthDeps['config']) {
  if (config.oauthClient === null) {
    throw gatewayError(
      'NOT_CONFIGURED',
      'The gateway has no viewneo OAuth client: set VIEWNEO_CLIENT_ID and VIEWNEO_CLIENT_SECRET to use the auth operations',
    );
  }
  return config.oauthClient;
}

/** The viewneo consent URL to send a browser to, with a fresh signed `state`. */
export async function authorizationRequest({ config, client }: OAuthDeps, redirectUri: string) {
  const { id } = requireClient(config);
  requireHttpUrl(redirectUri, 'redirectUri');
  const state = await signState(config.gatewaySecret, redirectUri);
  return { url: client.authorizationUrl({ clientId: id, redirectUri, state }), state };
}

/** Trades an authorization code for tokens; first verifies and spends `state` when one is given. */
export async function exchangeCode(
  { config, client, spentIds }: OAuthDeps,
  args: { code: string; redirectUri: string; state?: string | null },
): Promise<AuthPayload> {
  const { id, secret } = requireClient(config);
  requireHttpUrl(args.redirectUri, 'redirectUri');
  if (args.state != null) {
    const stateId = await verifyState(config.gatewaySecret, args.state, args.redirectUri);
    if (!(await spentIds.spend(`state:${stateId}`, STATE_TTL_SECONDS * 1000))) {
      throw gatewayError('BAD_USER_INPUT', 'The OAuth state was already used: start the sign-in again', { argument: 'state' });
    }
  }
  const grant = await client.requestToken({
    grant_type: 'authorization_code',
    client_id: id,
    client_secret: secret,
    redirect_uri: args.redirectUri,
    code: args.code,
  });
  return withExpiry(grant);
}

/** Trades a refresh token for new tokens. */
export async function refreshToken({ config, client }: OAuthDeps, refresh: string): Promise<AuthPayload> {
  const { id, secret } = requireClient(config);
  const grant = await client.requestToken({
    grant_type: 'refresh_token',
    refresh_token: refresh,
    client_id: id,
    client_secret: secret,
  });
  return withExpiry(grant);
}

function withExpiry(grant: TokenGrant): AuthPayload {
  return { ...grant, expiresAt: new Date(Date.now() + grant.expiresIn * 1000).toISOString() };
}
