import { randomBytes, randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { consentPage } from './consent.js';
import { type Answer, isObject, methodNotAllowed, parseBody, routeNotFound } from './http.js';

/** An OAuth client: its credentials and its one registered redirect URI. */
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

/** The sandbox's only OAuth client, unless the redirect URI is overridden. */
export const SANDBOX_OAUTH_CLIENT: OAuthClient = {
  clientId: 'sandbox-client',
  clientSecret: 'sandbox-secret',
  redirectUri: 'http://localhost:4000/callback',
};

/** Lifetime of access tokens, in seconds (15 days, as viewneo answers in `expires_in`). */
const ACCESS_TOKEN_TTL_SECONDS = 1_296_000;

const CODE_TTL_MS = 10 * 60_000;
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

/**
 * The authorization server: `/oauth/authorize` with a login and consent page, and `/oauth/token` for the
 * authorization-code and refresh-token grants. Codes are single use and live 10 minutes; access
 * tokens are HS256 JWTs (sub = account name, iat, exp, jti) signed with a key made per instance;
 * refresh tokens are opaque and rotate. Errors follow Laravel Passport (league/oauth2-server 8).
 */
export class OAuthServer {
  private readonly key = new Uint8Array(randomBytes(32));
  private readonly codes = new Map<string, { account: string; redirectUri: string; expiresAt: number; used: boolean }>();
  private readonly refreshTokens = new Map<string, { account: string; revoked: boolean }>();

  constructor(
    readonly client: OAuthClient,
    private readonly accounts: readonly string[],
    private readonly accessTokenTtlSeconds = ACCESS_TOKEN_TTL_SECONDS,
  ) {}

  /** A fresh code for `account`, bound to `redirectUri` (default: the client's). Throws for an unknown account. */
  issueAuthorizationCode(account: string, redirectUri: string = this.client.redirectUri): string {
    if (!this.accounts.includes(account)) throw new Error(`Unknown sandbox account: ${account}`);
    const code = randomBytes(32).toString('hex');
    this.codes.set(code, { account, redirectUri, expiresAt: Date.now() + CODE_TTL_MS, used: false });
    return code;
  }

  /** The account an access token issued by this server acts for, or undefined if it is not valid. */
  async accountFor(accessToken: string): Promise<string | undefined> {
    try {
      const { payload } = await jwtVerify(accessToken, this.key, { algorithms: ['HS256'] });
      return payload.sub !== undefined && this.accounts.includes(payload.sub) ? payload.sub : undefined;
    } catch {
      return undefined;
    }
  }

  /** Answers a request to `/oauth/authorize` or `/oauth/token`; any other path is a 404. */
  async handle(method: string, url: URL, rawBody: string, contentType: string | undefined): Promise<Answer> {
    if (url.pathname === '/oauth/authorize') {
      if (method === 'GET' || method === 'HEAD') return this.authorize(url.searchParams, null);
      return method === 'POST'
        ? this.authorize(new URLSearchParams(rawBody), formDecision(rawBody))
        : methodNotAllowed(method, ['GET', 'HEAD', 'POST']);
    }
    if (url.pathname === '/oauth/token') {
      return method === 'POST' ? this.token(tokenParams(rawBody, contentType)) : methodNotAllowed(method, ['POST']);
    }
    return routeNotFound(url.pathname);
  }

  /**
   * GET: the login and consent page for a valid request; POST (the page's form, `decision`
   * given): a redirect to the redirect URI with a code and the state, or with
   * `error=access_denied` and the state when the user denied. An invalid request is answered
   * 400 in JSON and never redirected.
   */
  private authorize(query: URLSearchParams, decision: 'allow' | 'deny' | 'invalid' | null): Answer {
    const clientId = query.get('client_id');
    if (!clientId) return invalidRequest('client_id');
    if (clientId !== this.client.clientId) return { ...invalidClient(), status: 400 };
    const redirectUri = query.get('redirect_uri') || this.client.redirectUri;
    if (redirectUri !== this.client.redirectUri) return { ...invalidClient(), status: 400 };
    const responseType = query.get('response_type');
    if (!responseType) return invalidRequest('response_type');
    if (responseType !== 'code') {
      return oauthError(
        400,
        'unsupported_response_type',
        'The authorization server does not support obtaining an authorization code using this method.',
        'Check the `response_type` parameter',
      );
    }
    const account = query.get('account') || this.accounts[0]!;
    if (!this.accounts.includes(account)) return invalidRequest('account');
    const state = query.get('state');
    if (decision === null) {
      return { status: 200, html: consentPage({ clientId, redirectUri, state, account }, this.accounts), headers: NO_STORE };
    }
    if (decision === 'invalid') return invalidRequest('decision');
    const location = new URL(redirectUri);
    if (decision === 'allow') location.searchParams.set('code', this.issueAuthorizationCode(account, redirectUri));
    else {
      location.searchParams.set('error', 'access_denied');
      location.searchParams.set('error_description', 'The resource owner or authorization server denied the request.');
    }
    if (state !== null) location.searchParams.set('state', state);
    return { status: 302, headers: { Location: location.toString() } };
  }

  private async token(params: Record<string, string>): Promise<Answer> {
    const grantType = params.grant_type;
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') return unsupportedGrantType();
    if (!params.client_id) return invalidRequest('client_id');
    if (!params.client_secret) return invalidRequest('client_secret');
    if (params.client_id !== this.client.clientId || params.client_secret !== this.client.clientSecret) return invalidClient();
    return grantType === 'authorization_code' ? this.exchangeCode(params) : this.refresh(params);
  }

  private async exchangeCode(params: Record<string, string>): Promise<Answer> {
    const code = params.code;
    const redirectUri = params.redirect_uri;
    if (!code) return invalidRequest('code');
    if (!redirectUri) return invalidRequest('redirect_uri');
    const issued = this.codes.get(code);
    if (issued === undefined) return invalidGrant('Cannot decrypt the authorization code');
    if (issued.used) return invalidRequest('code', 'Authorization code has been revoked');
    if (Date.now() > issued.expiresAt) return invalidRequest('code', 'Authorization code has expired');
    if (redirectUri !== issued.redirectUri) return invalidGrant('Invalid redirect URI');
    issued.used = true;
    return this.issueTokens(issued.account);
  }

  private async refresh(params: Record<string, string>): Promise<Answer> {
    const token = params.refresh_token;
    if (!token) return invalidRequest('refresh_token');
    const stored = this.refreshTokens.get(token);
    if (stored === undefined) return invalidRefreshToken('Cannot decrypt the refresh token');
    if (stored.revoked) return invalidRefreshToken('Token has been revoked');
    stored.revoked = true;
    return this.issueTokens(stored.account);
  }

  private async issueTokens(account: string): Promise<Answer> {
    const now = Math.floor(Date.now() / 1000);
    const accessToken = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(account)
      .setIssuedAt(now)
      .setExpirationTime(now + this.accessTokenTtlSeconds)
      .setJti(randomUUID())
      .sign(this.key);
    const refreshToken = randomBytes(40).toString('hex');
    this.refreshTokens.set(refreshToken, { account, revoked: false });
    return {
      status: 200,
      body: { token_type: 'Bearer', expires_in: this.accessTokenTtlSeconds, access_token: accessToken, refresh_token: refreshToken },
      headers: NO_STORE,
    };
  }
}

function formDecision(rawBody: string): 'allow' | 'deny' | 'invalid' {
  const decision = new URLSearchParams(rawBody).get('decision');
  return decision === 'allow' || decision === 'deny' ? decision : 'invalid';
}

// The token endpoint takes JSON (as viewneo documents) or a form (as OAuth2 clients send);
// numbers are accepted as strings because Passport client ids are integers.
function tokenParams(rawBody: string, contentType: string | undefined): Record<string, string> {
  const source = contentType?.includes('application/x-www-form-urlencoded')
    ? Object.fromEntries(new URLSearchParams(rawBody))
    : parseBody(rawBody);
  const params: Record<string, string> = {};
  if (!isObject(source)) return params;
  for (const [name, value] of Object.entries(source)) {
    if (typeof value === 'string' || typeof value === 'number') params[name] = String(value);
  }
  return params;
}

function oauthError(status: number, error: string, description: string, hint?: string): Answer {
  const body =
    hint === undefined
      ? { error, error_description: description, message: description }
      : { error, error_description: description, hint, message: description };
  return { status, body, headers: NO_STORE };
}

function invalidRequest(parameter: string, hint = `Check the \`${parameter}\` parameter`): Answer {
  return oauthError(
    400,
    'invalid_request',
    'The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.',
    hint,
  );
}

function invalidClient(): Answer {
  return oauthError(401, 'invalid_client', 'Client authentication failed');
}

function invalidGrant(hint: string): Answer {
  return oauthError(
    400,
    'invalid_grant',
    'The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
    hint,
  );
}

function invalidRefreshToken(hint: string): Answer {
  return oauthError(401, 'invalid_request', 'The refresh token is invalid.', hint);
}

function unsupportedGrantType(): Answer {
  return oauthError(
    400,
    'unsupported_grant_type',
    'The authorization grant type is not supported by the authorization server.',
    'Check that all required parameters have been provided',
  );
}
