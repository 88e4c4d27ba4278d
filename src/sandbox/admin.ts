import { type Answer, isObject, routeNotFound } from './http.js';

/** Where the admin API lives; its requests are neither recorded, delayed nor faulted. */
export const ADMIN_PREFIX = '/__sandbox/';

/** The knobs the admin API turns. */
export interface AdminTarget {
  countRequests(filter?: { method?: string; path?: string }): number;
  requestCounts(): Record<string, number>;
  resetRequests(): void;
  setLatency(ms: number): void;
}

/**
 * Answers the admin API for benchmark processes:
 * `GET /__sandbox/requests/count[?method=&path=]` → `{"count":n}` (path: exact pathname),
 * `GET /__sandbox/requests/by-path` → `{"counts":{"GET /api/v1.0/playlist":n,…}}`,
 * `POST /__sandbox/reset-requests` → 204, `POST /__sandbox/latency {"ms":n}` → `{"ms":n}` (422 if n is not a number >= 0).
 */
export function adminAnswer(target: AdminTarget, method: string, url: URL, body: unknown): Answer {
  const route = `${method} ${url.pathname.slice(ADMIN_PREFIX.length)}`;
  if (route === 'GET requests/count') {
    const filter = { method: url.searchParams.get('method') ?? undefined, path: url.searchParams.get('path') ?? undefined };
    return { status: 200, body: { count: target.countRequests(filter) } };
  }
  if (route === 'GET requests/by-path') return { status: 200, body: { counts: target.requestCounts() } };
  if (route === 'POST reset-requests') {
    target.resetRequests();
    return { status: 204 };
  }
  if (route === 'POST latency') {
    const ms = isObject(body) ? body.ms : undefined;
    if (typeof ms !== 'number' || !(ms >= 0)) return { status: 422, body: { message: 'ms must be a number >= 0.' } };
    target.setLatency(ms);
    return { status: 200, body: { ms } };
  }
  return routeNotFound(url.pathname);
}
