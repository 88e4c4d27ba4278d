/** The bearer token of an `Authorization` header, or why there is none that can be used. */
export type BearerToken = { readonly token: string } | { readonly token: null; readonly problem: string | null };

/**
 * Reads `Authorization: Bearer <token>`. An absent header gives no token and no problem; a
 * header of another form gives no token and a problem to report, so that only the fields
 * that need viewneo data fail (GraphiQL's schema fetch with a placeholder header still works).
 */
export function extractBearerToken(header: string | null): BearerToken {
  if (header === null || header.trim() === '') return { token: null, problem: null };
  const match = /^Bearer[ ]+([\x21-\x7e]{1,4096})\s*$/i.exec(header);
  if (!match) return { token: null, problem: 'Expected the Authorization header to be "Bearer <viewneo access token>"' };
  return { token: match[1]! };
}
