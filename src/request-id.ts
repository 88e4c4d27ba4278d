import { randomUUID } from 'node:crypto';

const ids = new WeakMap<Request, string>();
const VALID = /^[\w.:-]{1,128}$/;

/**
 * The id of a request: its `X-Request-Id` when that is a sane value (letters, digits, `_.:-`,
 * at most 128), else a new UUID. The same request always gets the same id.
 */
export function requestIdOf(request: Request): string {
  let id = ids.get(request);
  if (id === undefined) {
    const given = request.headers.get('x-request-id');
    id = given !== null && VALID.test(given) ? given : randomUUID();
    ids.set(request, id);
  }
  return id;
}
