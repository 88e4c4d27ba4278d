import type { AuthPayload } from '../auth/oauth.js';
import * as auth from '../resolvers/auth.js';
import { builder } from './builder.js';

const AuthorizationRequest = builder.objectRef<{ url: string; state: string }>('AuthorizationRequest').implement({
  description: "Where to send the user's browser to sign in to viewneo.",
  fields: (t) => ({
    url: t.exposeString('url', { description: "viewneo's consent page for this gateway's OAuth client." }),
    state: t.exposeString('state', {
      description: 'Signed, short-lived value bound to the redirect URI; pass it back to exchangeCode.',
    }),
  }),
});

const AuthPayloadRef = builder.objectRef<AuthPayload>('AuthPayload').implement({
  description: 'Tokens from viewneo. Keep the refresh token server-side.',
  fields: (t) => ({
    tokenType: t.exposeString('tokenType'),
    accessToken: t.exposeString('accessToken'),
    refreshToken: t.exposeString('refreshToken', { nullable: true }),
    expiresIn: t.exposeInt('expiresIn', { description: 'Seconds the access token is valid for.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
  }),
});

builder.queryField('authorizationUrl', (t) =>
  t.field({
    type: AuthorizationRequest,
    description: 'Starts the OAuth2 authorization-code flow. Needs no token.',
    args: { redirectUri: t.arg.string({ required: true }) },
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
    description: 'Trades the authorization code from the redirect for tokens; verifies `state` when given.',
    args: {
      code: t.arg.string({ required: true }),
      redirectUri: t.arg.string({ required: true }),
      state: t.arg.string(),
      refreshTokenDelivery: t.arg({ type: RefreshTokenDelivery, defaultValue: 'BODY' }),
    },
    resolve: (_root, args, ctx) => auth.exchangeCode(ctx, args),
  }),
  refreshToken: t.field({
    type: AuthPayloadRef,
    description:
      'Trades a refresh token for a new access token and a new refresh token. Without the argument, the refresh cookie is used and rotated.',
    args: { refreshToken: t.arg.string() },
    resolve: (_root, args, ctx) => auth.refreshToken(ctx, args.refreshToken),
  }),
}));
