import { errors, jwtVerify, SignJWT } from 'jose';
import { gatewayError } from '../errors.js';

/** How long an OAuth `state` stays valid: one trip through viewneo's consent page. */
export const STATE_TTL_SECONDS = 600;
const AUDIENCE = 'viewneo-gateway:oauth-state';

/**
 * Signs an OAuth `state` (HS256 JWT) that binds the redirect URI and expires after
 * {@link STATE_TTL_SECONDS}.
 */
export async function signState(secret: Uint8Array, redirectUri: string): Promise<string> {
  return new SignJWT({ redirect_uri: redirectUri })
    .setProtectedHeader({ alg: 'HS256' })
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${STATE_TTL_SECONDS}s`)
    .setJti(crypto.randomUUID())
    .sign(secret);
}

/**
 * Checks a `state` made by {@link signState}: signature, expiry and the redirect URI it
 * was issued for, and answers its id (for single use). Throws BAD_USER_INPUT saying which
 * check failed.
 */
export async function verifyState(secret: Uint8Array, state: string, redirectUri: string): Promise<string> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(state, secret, { algorithms: ['HS256'], audience: AUDIENCE }));
  } catch (error) {
    const reason = error instanceof errors.JWTExpired ? 'has expired' : 'is not one this gateway issued';
    throw gatewayError('BAD_USER_INPUT', `The OAuth state ${reason}`, { argument: 'state' });
  }
  if (payload.redirect_uri !== redirectUri) {
    throw gatewayError('BAD_USER_INPUT', 'The OAuth state was issued for another redirect URI', { argument: 'state' });
  }
  if (typeof payload.jti !== 'string') throw gatewayError('BAD_USER_INPUT', 'The OAuth state has no id', { argument: 'state' });
  return payload.jti;
}
