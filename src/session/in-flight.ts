import type { RequestReads } from './planner.js';

/**
 * Counts one request's upstream reads in flight (waiting for their turn included), for planners
 * that wait until the request asked for everything it will ask for in this round.
 */
export class InFlightReads implements RequestReads {
  private count = 0;
  private waiting: (() => void)[] = [];

  /** `read`, counted while it is in flight. */
  track<T>(read: Promise<T>): Promise<T> {
    this.count++;
    return read.finally(() => {
      this.count--;
      if (this.count === 0) this.wake();
    });
  }

  busy(): boolean {
    return this.count > 0;
  }

  quiet(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      if (this.count === 0) this.wake();
    });
  }

  // After the turn: the answers of the last reads first reach their resolvers, which may ask for more.
  private wake(): void {
    setImmediate(() => {
      if (this.count > 0 || this.waiting.length === 0) return;
      const waiting = this.waiting;
      this.waiting = [];
      for (const resolve of waiting) resolve();
    });
  }
}
