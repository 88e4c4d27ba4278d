import * as oauth from '../auth/oauth.js';
import { clearedRefreshCookie, REFRESH_COOKIE, readRefreshCookie, refreshCookie, refreshCookieKey } from '../auth/refresh-cookie.js';
import type { Context } from '../context.js';
import { gatewayError, isUpstreamFailure } from '../errors.js';
import { setCookie } from '../plugins/cookies.js';

/** Where `exchangeCode` and `refreshToken` put the refresh token. */
export type RefreshTokenDelivery = 'BODY' | 'COOKIE';

/** `Query.authorizationUrl`: where to send the browser, and the `state` to expect back. */
export function authorizationUrl(ctx: Context, redirectUri: string) {
  return oauth.authorizationRequest(ctx.oauth, redirectUri);
}

function cookiePath(ctx: Context): string {
  return new URL(ctx.request.url).pathname;
}

/** In cookie delivery, moves the refresh token from the payload into an encrypted cookie. */
async function deliver(ctx: Context, payload: oauth.AuthPayload, delivery: RefreshTokenDelivery): Promise<oauth.AuthPayload> {
  if (delivery === 'BODY') return payload;
  const key = refreshCookieKey(ctx.config.gatewaySecret);
  setCookie(
    ctx.request,
    payload.refreshToken ? await refreshCookie(key, payload.refreshToken, cookiePath(ctx)) : clearedRefreshCookie(cookiePath(ctx)),
  );
  return { ...payload, refreshToken: null };
}

function checkDelivery(ctx: Context, delivery: RefreshTokenDelivery): void {
  if (delivery === 'COOKIE' && !ctx.config.refreshTokenCookie) {
    throw gatewayError('NOT_CONFIGURED', 'Cookie delivery of refresh tokens is off: set REFRESH_TOKEN_COOKIE=true to use it');
  }
}

/** `Mutation.exchangeCode`: an authorization code for tokens, the refresh token in the answer or in a cookie. */
export async function exchangeCode(
  ctx: Context,
  args: { code: string; redirectUri: string; state?: string | null; refreshTokenDelivery?: RefreshTokenDelivery | null },
) {
  const delivery = args.refreshTokenDelivery ?? 'BODY';
  checkDelivery(ctx, delivery);
  return deliver(ctx, await oauth.exchangeCode(ctx.oauth, args), delivery);
}

/**
 * `Mutation.refreshToken`: new tokens for a refresh token. Without the argument, the token
 * comes from the refresh cookie, and the new one replaces it (rotation). Each cookie is used
 * once, across all replicas: a second use is refused before any upstream call.
 */
export async function refreshToken(ctx: Context, refresh: string | null | undefined) {
  if (refresh != null) return oauth.refreshToken(ctx.oauth, refresh);
  checkDelivery(ctx, 'COOKIE');
  const cookie = await readRefreshCookie(refreshCookieKey(ctx.config.gatewaySecret), ctx.request.headers.get('cookie'));
  const id = `refresh:${cookie.id}`;
  if (!(await ctx.oauth.spentIds.spend(id, cookie.expiresAt - Date.now()))) {
    throw gatewayError(
      'BAD_USER_INPUT',
      `The ${REFRESH_COOKIE} cookie was already used or signed out: use the one that replaced it, or sign in again`,
    );
  }
  try {
    return await deliver(ctx, await oauth.refreshToken(ctx.oauth, cookie.refreshToken), 'COOKIE');
  } catch (error) {
    // viewneo failed, so the refresh most likely did not take effect: the cookie may be tried again.
    if (isUpstreamFailure(error)) await ctx.oauth.spentIds.release(id);
    throw error;
  }
}

/**
 * `Mutation.signOut`: clears the refresh cookie and marks it spent on every replica (through
 * Redis when configured), so that neither it nor a copy of it can be traded again. viewneo
 * documents no revocation endpoint: its refresh token is not revoked upstream, only never
 * traded by this gateway again. Answers whether the request carried a refresh cookie of this
 * gateway; the cookie is cleared either way.
 */
export async function signOut(ctx: Context): Promise<boolean> {
  checkDelivery(ctx, 'COOKIE');
  setCookie(ctx.request, clearedRefreshCookie(cookiePath(ctx)));
  const cookie = await readRefreshCookie(refreshCookieKey(ctx.config.gatewaySecret), ctx.request.headers.get('cookie')).catch(() => null);
  if (cookie === null) return false;
  await ctx.oauth.spentIds.spend(`refresh:${cookie.id}`, cookie.expiresAt - Date.now());
  return true;
}
