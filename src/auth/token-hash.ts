import { createHash } from 'node:crypto';

/**
 * A stable, non-reversible name for a token, used in cache keys, budgets and Redis keys. The raw
 * token never becomes a key, a log field or a metric label.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
