import { gatewayError } from '../errors.js';

/**
 * The bearer token of an `Authorization` header: null when the header is absent, an
 * UNAUTHENTICATED error when it is present but not `Bearer <token>`.
 */
export function extractBearerToken(header: string | null): string | null {
  if (header === null || header.trim() === '') return null;
  const match = /^Bearer[ ]+([\x21-\x7e]{1,4096})\s*$/i.exec(header);
  if (!match) {
    throw gatewayError('UNAUTHENTICATED', 'Expected the Authorization header to be "Bearer <viewneo access token>"');
  }
  return match[1]!;
}
