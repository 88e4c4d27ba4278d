/** Settings of the upstream circuit breaker. */
export interface BreakerOptions {
  /** Length of the window failures are counted in. */
  readonly windowMs: number;
  /** Calls the window must hold before it can open the circuit. */
  readonly minCalls: number;
  /** Share of failed calls in the window that opens the circuit. */
  readonly failureRatio: number;
  /** How long an open circuit fails fast before it lets one probe through. */
  readonly cooldownMs: number;
  readonly now?: () => number;
}

/** What {@link CircuitBreaker.enter} allows: a normal call, or the single probe of a half-open circuit. */
export type Admission = 'call' | 'probe';

/**
 * A circuit breaker for one upstream host. It counts outcomes in a sliding window of
 * one-second buckets; when enough calls failed, it opens: callers fail fast for
 * `cooldownMs`, then one probe is let through, and its outcome closes or reopens it.
 */
export class CircuitBreaker {
  private readonly buckets = new Map<number, { ok: number; failed: number }>();
  private openedAt: number | null = null;
  private probing = false;
  private readonly now: () => number;

  constructor(private readonly options: BreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Whether a call may go out now: null when the circuit is open (fail fast), else how it is admitted. */
  enter(): Admission | null {
    if (this.openedAt === null) return 'call';
    if (this.probing || this.now() - this.openedAt < this.options.cooldownMs) return null;
    this.probing = true;
    return 'probe';
  }

  /** Seconds until an open circuit lets a probe through (0 when closed). */
  retryAfterSeconds(): number {
    if (this.openedAt === null) return 0;
    return Math.max(1, Math.ceil((this.openedAt + this.options.cooldownMs - this.now()) / 1000));
  }

  /** Records the outcome of a call admitted by {@link enter}. */
  record(ok: boolean, admission: Admission): void {
    if (admission === 'probe') {
      this.probing = false;
      this.openedAt = ok ? null : this.now();
      if (ok) this.buckets.clear();
      return;
    }
    const second = Math.floor(this.now() / 1000);
    let bucket = this.buckets.get(second);
    if (bucket === undefined) {
      bucket = { ok: 0, failed: 0 };
      this.buckets.set(second, bucket);
      // A new second: forget the ones that left the window (else a healthy host grows the map forever).
      const oldest = this.oldest(second);
      for (const key of this.buckets.keys()) if (key < oldest) this.buckets.delete(key);
    }
    bucket[ok ? 'ok' : 'failed']++;
    if (!ok && this.openedAt === null && this.shouldOpen()) this.openedAt = this.now();
  }

  /** True while callers are failing fast. */
  get isOpen(): boolean {
    return this.openedAt !== null;
  }

  /** The oldest second still in the window that ends in `second`. */
  private oldest(second: number): number {
    return second - Math.ceil(this.options.windowMs / 1000) + 1;
  }

  private shouldOpen(): boolean {
    let ok = 0;
    let failed = 0;
    for (const bucket of this.buckets.values()) {
      ok += bucket.ok;
      failed += bucket.failed;
    }
    const calls = ok + failed;
    return calls >= this.options.minCalls && failed / calls >= this.options.failureRatio;
  }
}
