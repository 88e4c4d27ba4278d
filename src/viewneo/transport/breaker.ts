import { LRUCache } from 'lru-cache';

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

interface Tally {
  ok: number;
  failed: number;
}

/**
 * A circuit breaker. It counts outcomes of calls by their caller (`key`, a token hash) in a
 * sliding window of one-second buckets; it opens when enough calls failed and the failures are
 * not one caller's: more than half the callers of the window must be failing (their own share of
 * failures at `failureRatio`). Then callers fail fast for `cooldownMs`, one probe is let
 * through, and its outcome closes or reopens it. With a single caller, that caller's failures
 * open it.
 */
export class CircuitBreaker {
  private readonly buckets = new Map<number, Map<string, Tally>>();
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

  /** Gives back the probe {@link enter} admitted, when the call did not go out after all. */
  cancel(): void {
    this.probing = false;
  }

  /** Seconds until an open circuit lets a probe through (0 when closed). */
  retryAfterSeconds(): number {
    if (this.openedAt === null) return 0;
    return Math.max(1, Math.ceil((this.openedAt + this.options.cooldownMs - this.now()) / 1000));
  }

  /** Records the outcome of a call admitted by {@link enter}, made for `key`. */
  record(ok: boolean, admission: Admission, key = ''): void {
    if (admission === 'probe') {
      this.probing = false;
      this.openedAt = ok ? null : this.now();
      if (ok) this.buckets.clear();
      return;
    }
    const second = Math.floor(this.now() / 1000);
    let bucket = this.buckets.get(second);
    if (bucket === undefined) {
      bucket = new Map();
      this.buckets.set(second, bucket);
      // A new second: forget the ones that left the window (else a healthy host grows the map forever).
      const oldest = second - Math.ceil(this.options.windowMs / 1000) + 1;
      for (const key of this.buckets.keys()) if (key < oldest) this.buckets.delete(key);
    }
    let tally = bucket.get(key);
    if (tally === undefined) {
      tally = { ok: 0, failed: 0 };
      bucket.set(key, tally);
    }
    tally[ok ? 'ok' : 'failed']++;
    if (!ok && this.openedAt === null && this.shouldOpen()) this.openedAt = this.now();
  }

  /** True while callers are failing fast. */
  get isOpen(): boolean {
    return this.openedAt !== null;
  }

  private shouldOpen(): boolean {
    const byKey = new Map<string, Tally>();
    let ok = 0;
    let failed = 0;
    for (const bucket of this.buckets.values()) {
      for (const [key, tally] of bucket) {
        ok += tally.ok;
        failed += tally.failed;
        const sum = byKey.get(key) ?? { ok: 0, failed: 0 };
        sum.ok += tally.ok;
        sum.failed += tally.failed;
        byKey.set(key, sum);
      }
    }
    const calls = ok + failed;
    if (calls < this.options.minCalls || failed / calls < this.options.failureRatio) return false;
    let failing = 0;
    for (const tally of byKey.values()) if (tally.failed / (tally.ok + tally.failed) >= this.options.failureRatio) failing++;
    return failing * 2 > byKey.size;
  }
}

/** Which circuit refused a call: the viewneo host's (for everyone) or the caller's own. */
export type OpenCircuit = { readonly scope: 'host' | 'token'; readonly retryAfterSeconds: number };

/** The admissions of one call by both circuits. */
export type Admissions = { readonly host: Admission; readonly token: Admission };

/**
 * The host's circuit and one per token. A token whose calls keep failing while other tokens'
 * calls succeed (an account viewneo has trouble with) opens only its own circuit: its calls fail
 * fast, the others' go on. When most tokens fail, the host's circuit opens for everyone.
 */
export class Circuits {
  private readonly host: CircuitBreaker;
  private readonly tokens: LRUCache<string, CircuitBreaker>;

  constructor(private readonly options: BreakerOptions) {
    this.host = new CircuitBreaker(options);
    this.tokens = new LRUCache({ max: 10_000 });
  }

  /** Both admissions of a call of `token`, or the circuit that is open (the host's first: it says more). */
  enter(token: string): Admissions | OpenCircuit {
    const host = this.host.enter();
    if (host === null) return { scope: 'host', retryAfterSeconds: this.host.retryAfterSeconds() };
    const own = this.tokens.get(token);
    const tokenAdmission = own === undefined ? 'call' : own.enter();
    if (tokenAdmission === null) {
      // The host's probe did not go out: let the next call probe.
      if (host === 'probe') this.host.cancel();
      return { scope: 'token', retryAfterSeconds: own?.retryAfterSeconds() ?? 1 };
    }
    return { host, token: tokenAdmission };
  }

  /** Records the outcome of a call admitted by {@link enter}, once, after its retries. */
  record(token: string, ok: boolean, admissions: Admissions): void {
    this.host.record(ok, admissions.host, token);
    let own = this.tokens.get(token);
    if (own === undefined) {
      // A token that only succeeds needs no circuit of its own.
      if (ok) return;
      own = new CircuitBreaker(this.options);
      this.tokens.set(token, own);
    }
    own.record(ok, admissions.token);
  }

  /** True while the host's circuit fails every token fast. */
  get hostOpen(): boolean {
    return this.host.isOpen;
  }
}
