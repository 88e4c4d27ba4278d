import type { Plugin } from 'graphql-yoga';

const pending = new WeakMap<Request, string[]>();

/** Queues a `Set-Cookie` value for the response to `request` (see {@link useResponseCookies}). */
export function setCookie(request: Request, cookie: string): void {
  const cookies = pending.get(request) ?? [];
  cookies.push(cookie);
  pending.set(request, cookies);
}

/** Adds the cookies resolvers queued with {@link setCookie} to the response. */
export function useResponseCookies(): Plugin {
  return {
    onResponse({ request, response }) {
      for (const cookie of pending.get(request) ?? []) response.headers.append('set-cookie', cookie);
    },
  };
}
