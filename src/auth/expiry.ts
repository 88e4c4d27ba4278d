import { decodeJwt } from 'jose';

/**
 * When a JWT access token expires (epoch ms), read from its `exp` claim without verifying
 * it: good only for timing (refusing a token known to be dead, bounding cache lifetimes),
 * never for trust. null for opaque tokens or a JWT without `exp`.
 */
export function tokenExpiresAt(token: string): number | null {
  if (token.split('.').length !== 3) return null;
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : null;
  } catch {
    return null;
  }
}
