/** Laravel's default API limit, reported in the headers while no limit is enforced. */
const UNENFORCED_PER_MINUTE = 60;
const WINDOW_MS = 60_000;

/** The outcome of counting one request: the headers to send, and whether it is over the limit. */
export interface RateDecision {
  headers: Record<string, string>;
  limited: boolean;
}

/**
 * Counts requests per key (a token) in one-minute windows that start at a key's first request,
 * as Laravel's throttle does. Without a limit nothing is counted and every answer reports a fresh
 * window (the key's limit, one less remaining), so that clients which slow down on a low remaining
 * count are never throttled by an unenforced limit.
 */
export class RateLimiter {
  private limit: { perMinute: number } | null = null;
  private windows = new Map<string, { start: number; count: number }>();

  /** Enforces `perMinute` from now on, or stops enforcing with null; restarts all windows. */
  set(limit: { perMinute: number } | null): void {
    this.limit = limit;
    this.windows.clear();
  }

  /**
   * Counts a request for `key` against `ownLimit` (the account's own, when it has one) or the set
   * limit: `X-RateLimit-*` headers, plus `Retry-After` (seconds) when limited.
   */
  hit(key: string, ownLimit?: number): RateDecision {
    if (this.limit === null) {
      const reported = ownLimit ?? UNENFORCED_PER_MINUTE;
      return { headers: { 'X-RateLimit-Limit': String(reported), 'X-RateLimit-Remaining': String(reported - 1) }, limited: false };
    }
    const perMinute = ownLimit ?? this.limit.perMinute;
    const now = Date.now();
    let window = this.windows.get(key);
    if (window === undefined || now - window.start >= WINDOW_MS) {
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count++;
    const headers: Record<string, string> = {
      'X-RateLimit-Limit': String(perMinute),
      'X-RateLimit-Remaining': String(Math.max(0, perMinute - window.count)),
    };
    const limited = window.count > perMinute;
    if (limited) headers['Retry-After'] = String(Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000)));
    return { headers, limited };
  }
}
