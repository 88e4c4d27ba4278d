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
    id = requestIdFrom(request.headers.get('x-request-id'));
    ids.set(request, id);
  }
  return id;
}

/** `given` when it is a sane request id (letters, digits, `_.:-`, at most 128), else a new UUID. */
export function requestIdFrom(given: string | string[] | null | undefined): string {
  return typeof given === 'string' && VALID.test(given) ? given : randomUUID();
}
