import type { CombinedError } from '@urql/core';
import { errorOf } from './client.js';

/** What the page says when the session cannot be renewed (the refresh cookie expired, was used elsewhere or signed out). */
export const SESSION_EXPIRED = 'Your session has expired. Sign in again to continue.';

/** A sentence for the user about a failed operation, by the gateway's error code. */
export function messageFor(error: CombinedError): string {
  const failure = errorOf(error);
  if (failure === null)
    return `The gateway cannot be reached (${error.networkError?.message ?? 'no answer'}). Check the connection and try again.`;
  switch (failure.code) {
    case 'UNAUTHENTICATED':
      return SESSION_EXPIRED;
    case 'RATE_LIMITED': {
      const seconds = Number(failure.extensions.retryAfter);
      return `viewneo's rate limit for your account is reached. Try again in ${Number.isFinite(seconds) ? seconds : 60} s.`;
    }
    case 'UPSTREAM_ERROR':
    case 'UPSTREAM_TIMEOUT':
      return 'viewneo is not answering properly right now. Nothing was lost: try again in a moment.';
    default:
      return error.graphQLErrors[0]?.message ?? error.message;
  }
}
