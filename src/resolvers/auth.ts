import * as oauth from '../auth/oauth.js';
import type { Context } from '../context.js';

/** `Query.authorizationUrl`: where to send the browser, and the `state` to expect back. */
export function authorizationUrl(ctx: Context, redirectUri: string) {
  return oauth.authorizationRequest(ctx, redirectUri);
}

/** `Mutation.exchangeCode`: an authorization code for tokens. */
export function exchangeCode(ctx: Context, args: { code: string; redirectUri: string; state?: string | null }) {
  return oauth.exchangeCode(ctx, args);
}

/** `Mutation.refreshToken`: a refresh token for new tokens. */
export function refreshToken(ctx: Context, refresh: string) {
  return oauth.refreshToken(ctx, refresh);
}
