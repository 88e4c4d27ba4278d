import { cursorToOffset, type DefaultConnectionArguments, resolveArrayConnection } from '@pothos/plugin-relay';
import { gatewayError } from '../errors.js';

/** Page size when neither `first` nor `last` is given. */
export const DEFAULT_PAGE_SIZE = 20;
/** Largest `first` or `last` accepted. */
export const MAX_PAGE_SIZE = 100;

/**
 * One page of a fully-read list as a Relay connection with `totalCount`. Rejects bad
 * arguments (negative or oversized sizes, cursors this gateway did not make) with
 * BAD_USER_INPUT before `load` costs an upstream call.
 */
export async function arrayConnection<T>(args: DefaultConnectionArguments, load: () => Promise<readonly T[]>) {
  for (const name of ['first', 'last'] as const) {
    const size = args[name];
    if (size != null && (size < 0 || size > MAX_PAGE_SIZE)) {
      throw gatewayError('BAD_USER_INPUT', `Expected "${name}" to be from 0 to ${MAX_PAGE_SIZE}, got ${size}`, { argument: name });
    }
  }
  for (const name of ['after', 'before'] as const) {
    const cursor = args[name];
    if (cursor == null) continue;
    let offset: number;
    try {
      offset = cursorToOffset(cursor);
    } catch {
      offset = NaN;
    }
    if (!Number.isInteger(offset) || offset < 0) {
      throw gatewayError('BAD_USER_INPUT', `Expected "${name}" to be a cursor from this connection, got "${cursor.slice(0, 100)}"`, {
        argument: name,
      });
    }
  }
  const items = await load();
  const connection = resolveArrayConnection({ args, defaultSize: DEFAULT_PAGE_SIZE, maxSize: MAX_PAGE_SIZE }, items as T[]);
  return { ...connection, totalCount: items.length };
}
