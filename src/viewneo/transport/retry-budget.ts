/** Settings of the retry budget. */
export interface RetryBudgetOptions {
  /** Retries allowed as a share of the calls in the window (0.2: one retry per five calls). */
  readonly ratio: number;
  /** Retries per second allowed whatever the ratio, so that a quiet gateway still retries. */
  readonly minPerSecond: number;
  /** Length of the window calls and retries are counted in. */
  readonly windowMs: number;
  readonly now?: () => number;
}

/**
 * Bounds the extra load retries put on viewneo, as Finagle's and Envoy's retry budgets do: in a
 * sliding window of one-second buckets, retries may be at most `ratio` of the calls plus
 * `minPerSecond` for each second of the window. A flaky viewneo gets its few failures retried;
 * a failing one is not hammered with every call times its retries.
 */
export class RetryBudget {
  private readonly buckets = new Map<number, { calls: number; retries: number }>();
  private readonly now: () => number;

  constructor(private readonly options: RetryBudgetOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Counts the first attempt of a call. */
  deposit(): void {
    this.bucket().calls++;
  }

  /** Takes one retry from the budget: false (and nothing taken) when the window has none left. */
  withdraw(): boolean {
    const bucket = this.bucket();
    let calls = 0;
    let retries = 0;
    for (const { calls: c, retries: r } of this.buckets.values()) {
      calls += c;
      retries += r;
    }
    const allowed = this.options.ratio * calls + (this.options.minPerSecond * this.options.windowMs) / 1000;
    if (retries + 1 > allowed) return false;
    bucket.retries++;
    return true;
  }

  private bucket() {
    const second = Math.floor(this.now() / 1000);
    let bucket = this.buckets.get(second);
    if (bucket === undefined) {
      bucket = { calls: 0, retries: 0 };
      this.buckets.set(second, bucket);
      const oldest = second - Math.ceil(this.options.windowMs / 1000) + 1;
      for (const key of this.buckets.keys()) if (key < oldest) this.buckets.delete(key);
    }
    return bucket;
  }
}
