import type { AuthPayload } from '../auth/oauth.js';
import * as auth from '../resolvers/auth.js';
import { builder } from './builder.js';

const AuthorizationRequest = builder.objectRef<{ url: string; state: string }>('AuthorizationRequest').implement({
  description: "Where to send the user's browser to sign in to viewneo.",
  fields: (t) => ({
    url: t.exposeString('url', { description: "URL of viewneo's consent page for this gateway's OAuth client." }),
    state: t.exposeString('state', {
      description: 'Signed, short-lived value bound to the redirect URI; pass it back to exchangeCode.',
    }),
  }),
});

const AuthPayloadRef = builder.objectRef<AuthPayload>('AuthPayload').implement({
  description: 'Tokens from viewneo. Keep the refresh token server-side.',
  fields: (t) => ({
    tokenType: t.exposeString('tokenType', { description: 'How to send the access token: "Bearer" (viewneo\'s default).' }),
    accessToken: t.exposeString('accessToken', {
      description: "The user's viewneo access token: send it to this gateway as `Authorization: Bearer <accessToken>`.",
    }),
    refreshToken: t.exposeString('refreshToken', {
      nullable: true,
      description: 'Trades for new tokens with the refreshToken mutation; null when viewneo sent none or it went into the refresh cookie.',
    }),
    expiresIn: t.exposeInt('expiresIn', { description: 'Seconds the access token is valid for.' }),
    expiresAt: t.expose('expiresAt', {
      type: 'DateTime',
      description: 'When the access token expires: the time of the answer plus expiresIn.',
    }),
  }),
});

builder.queryField('authorizationUrl', (t) =>
  t.field({
    type: AuthorizationRequest,
    description: 'Starts the OAuth2 authorization-code flow. Needs no token; NOT_CONFIGURED when the gateway has no OAuth client.',
    args: {
      redirectUri: t.arg.string({
        required: true,
        description: "Absolute http(s) URL viewneo sends the browser back to (registered with viewneo's OAuth client).",
      }),
    },
    resolve: (_root, { redirectUri }, ctx) => auth.authorizationUrl(ctx, redirectUri),
  }),
);

const RefreshTokenDelivery = builder.enumType('RefreshTokenDelivery', {
  description: 'Where the refresh token goes.',
  values: {
    BODY: { description: 'In the answer (server-side callers).' },
    COOKIE: {
      description:
        'In an encrypted HttpOnly, Secure, SameSite=Strict cookie, for browser apps (token-handler mode; needs REFRESH_TOKEN_COOKIE=true).',
    },
  } as const,
});

builder.mutationFields((t) => ({
  exchangeCode: t.field({
    type: AuthPayloadRef,
    description:
      'Trades the authorization code from the redirect for tokens; verifies `state` when given. NOT_CONFIGURED when the gateway has no OAuth client.',
    args: {
      code: t.arg.string({ required: true, description: 'The `code` query parameter viewneo redirected back with.' }),
      redirectUri: t.arg.string({ required: true, description: 'The same redirect URI as in authorizationUrl.' }),
      state: t.arg.string({
        description:
          'The `state` from authorizationUrl: checked against the redirect URI and usable once, within 10 minutes (BAD_USER_INPUT otherwise).',
      }),
      refreshTokenDelivery: t.arg({
        type: RefreshTokenDelivery,
        defaultValue: 'BODY',
        description: 'Where the refresh token goes; COOKIE needs REFRESH_TOKEN_COOKIE=true (NOT_CONFIGURED otherwise).',
      }),
    },
    resolve: (_root, args, ctx) => auth.exchangeCode(ctx, args),
  }),
  refreshToken: t.field({
    type: AuthPayloadRef,
    description:
      'Trades a refresh token for a new access token and a new refresh token. Without the argument, the refresh cookie is used and rotated. NOT_CONFIGURED when the gateway has no OAuth client.',
    args: {
      refreshToken: t.arg.string({
        description:
          'The refresh token to trade. Absent: the refresh cookie (needs REFRESH_TOKEN_COOKIE=true; UNAUTHENTICATED without a valid one, BAD_USER_INPUT when it was already used).',
      }),
    },
    resolve: (_root, args, ctx) => auth.refreshToken(ctx, args.refreshToken),
  }),
  signOut: t.boolean({
    description:
      'Ends a browser session in token-handler mode: clears the refresh cookie and marks it spent on every replica, so that it cannot be traded again (viewneo documents no revocation: the refresh token is not revoked there). True when the request carried a refresh cookie of this gateway. Needs REFRESH_TOKEN_COOKIE=true (NOT_CONFIGURED otherwise); drop the access token from memory too.',
    resolve: (_root, _args, ctx) => auth.signOut(ctx),
  }),
}));
