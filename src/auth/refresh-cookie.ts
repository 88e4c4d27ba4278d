import { hkdfSync } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';
import { gatewayError } from '../errors.js';

/** Name of the cookie that holds the encrypted refresh token in token-handler mode. */
export const REFRESH_COOKIE = 'viewneo_refresh';
const MAX_AGE_SECONDS = 30 * 24 * 3600;

/** The 256-bit JWE key for refresh cookies, derived from the gateway secret (never the secret itself). */
export function refreshCookieKey(gatewaySecret: Uint8Array): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', gatewaySecret, 'viewneo-gateway', 'refresh-cookie', 32));
}

/**
 * A `Set-Cookie` value holding `refreshToken` encrypted (JWE, dir + A256GCM) with a fresh id
 * (`jti`, for single use): HttpOnly, Secure, SameSite=Strict, sent back to the GraphQL
 * endpoint only.
 */
export async function refreshCookie(key: Uint8Array, refreshToken: string, path: string): Promise<string> {
  const jwe = await new EncryptJWT({ rt: refreshToken })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setIssuedAt()
    .setExpirationTime(`${MAX_AGE_SECONDS}s`)
    .setJti(crypto.randomUUID())
    .encrypt(key);
  return `${REFRESH_COOKIE}=${jwe}; Max-Age=${MAX_AGE_SECONDS}; Path=${path}; HttpOnly; Secure; SameSite=Strict`;
}

/** A `Set-Cookie` value that removes the refresh cookie. */
export function clearedRefreshCookie(path: string): string {
  return `${REFRESH_COOKIE}=; Max-Age=0; Path=${path}; HttpOnly; Secure; SameSite=Strict`;
}

/** What a refresh cookie holds. */
export interface RefreshCookie {
  readonly refreshToken: string;
  /** The cookie's own id: each cookie may be used once. */
  readonly id: string;
  /** Epoch ms after which the cookie is refused anyway. */
  readonly expiresAt: number;
}

/** The request's refresh cookie, decrypted; UNAUTHENTICATED when absent or not ours. */
export async function readRefreshCookie(key: Uint8Array, cookieHeader: string | null): Promise<RefreshCookie> {
  const value = cookieHeader
    ?.split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${REFRESH_COOKIE}=`))
    ?.slice(REFRESH_COOKIE.length + 1);
  if (!value) throw gatewayError('UNAUTHENTICATED', `Expected a refreshToken argument or the ${REFRESH_COOKIE} cookie, got neither`);
  try {
    const { payload } = await jwtDecrypt(value, key, { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] });
    const { rt, jti, exp } = payload;
    if (typeof rt !== 'string' || typeof jti !== 'string' || typeof exp !== 'number') throw new Error('not a refresh cookie');
    return { refreshToken: rt, id: jti, expiresAt: exp * 1000 };
  } catch {
    throw gatewayError('UNAUTHENTICATED', `The ${REFRESH_COOKIE} cookie is expired or was not issued by this gateway`);
  }
}
