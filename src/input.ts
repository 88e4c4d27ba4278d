import { gatewayError } from './errors.js';

/** Longest name viewneo stores (its validation: `max:255`). */
const MAX_NAME = 255;

/** `raw` trimmed, when it is 1 to {@link MAX_NAME} characters; BAD_USER_INPUT naming `argument` otherwise. */
export function requireName(raw: string, argument: string): string {
  const name = raw.trim();
  if (name === '' || name.length > MAX_NAME) {
    throw gatewayError('BAD_USER_INPUT', `Expected "${argument}" to be 1 to ${MAX_NAME} characters, got ${name.length}`, { argument });
  }
  return name;
}

/** Checks that `raw` is an absolute http(s) URL of at most 2048 characters; BAD_USER_INPUT naming `argument` otherwise. */
export function requireHttpUrl(raw: string, argument: string): void {
  let url: URL | null;
  try {
    url = new URL(raw);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || raw.length > 2048) {
    throw gatewayError('BAD_USER_INPUT', `Expected "${argument}" to be an absolute http(s) URL, got "${raw.slice(0, 100)}"`, { argument });
  }
}
