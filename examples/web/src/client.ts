import { Client, type CombinedError, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient as createSseClient } from 'graphql-sse';

/** The error codes the gateway puts in `extensions.code` that the app reacts to. */
export type ErrorCode = 'UNAUTHENTICATED' | 'CONFLICT' | 'RATE_LIMITED' | 'UPSTREAM_ERROR' | 'UPSTREAM_TIMEOUT' | 'BAD_USER_INPUT';

/** The first GraphQL error's code and extensions, or null for a network error. */
export function errorOf(error: CombinedError): { code: string; extensions: Record<string, unknown> } | null {
  const first = error.graphQLErrors[0];
  if (first === undefined) return null;
  return { code: String(first.extensions.code ?? ''), extensions: first.extensions };
}

/**
 * A GraphQL client for the gateway at `url`: queries and mutations over POST (fetch), subscriptions
 * over GraphQL over SSE (graphql-sse). Each request carries `Authorization: Bearer` with the access
 * token `accessToken()` holds at that moment (none before sign-in, which needs none); cookies go
 * along (`credentials: 'include'`), which only the auth mutations use. No document cache: the
 * gateway caches per token, and a list shown after a write must be the gateway's.
 */
export function gatewayClient(url: string, accessToken: () => string | null): Client {
  const headers = (): Record<string, string> => {
    const token = accessToken();
    return token === null ? {} : { authorization: `Bearer ${token}` };
  };
  const sse = createSseClient({ url, headers, credentials: 'include', retryAttempts: 3 });
  return new Client({
    url,
    preferGetMethod: false,
    requestPolicy: 'network-only',
    fetchOptions: () => ({ headers: headers(), credentials: 'include' }),
    exchanges: [
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: sse.subscribe({ query: request.query ?? '', variables: request.variables }, sink) }),
        }),
      }),
    ],
  });
}
