import type DataLoader from 'dataloader';

/** A value, or the promise of one: what a read answers without a promise whenever it can. */
export type MaybePromise<T> = T | Promise<T>;

/** `then` applied to `value` now, or once its promise settles (a rejection passes through). */
export function after<T, R>(value: MaybePromise<T>, then: (value: T) => R): MaybePromise<R> {
  return value instanceof Promise ? value.then(then) : then(value);
}

/** An answer that costs nothing: a fresh cached one. */
export type Free<V> = (key: number) => { readonly value: V } | undefined;

/**
 * One request's reads of one kind, by id, answered synchronously (no promise, no tick) whenever
 * nothing has to be waited for: an id this request has read already, or one `free` answers (a
 * fresh entry of the token's cache). A warm request thus resolves its fields as plain values,
 * which the executor completes without a promise per field. The other ids go through `loader`
 * (one read per id per request, batched as it batches). As with a DataLoader, an id keeps its
 * first answer for the rest of the request until it is cleared, and a failed read stays failed.
 */
export class Memo<V> {
  private readonly settled = new Map<number, V>();
  private readonly loading = new Map<number, Promise<V>>();

  constructor(
    private readonly loader: DataLoader<number, V>,
    private readonly free: Free<V>,
  ) {}

  /** The answer for `id`: a value when the request has it or it is free, else the loader's promise. */
  get(id: number): MaybePromise<V> {
    if (this.settled.has(id)) return this.settled.get(id) as V;
    const loading = this.loading.get(id);
    if (loading !== undefined) return loading;
    const hit = this.free(id);
    if (hit !== undefined) {
      this.settled.set(id, hit.value);
      return hit.value;
    }
    const read = this.loader.load(id);
    this.loading.set(id, read);
    read.then(
      (value) => {
        // Unless it was cleared meanwhile: a read from before a write is no answer after it.
        if (this.loading.get(id) !== read) return;
        this.loading.delete(id);
        this.settled.set(id, value);
      },
      () => undefined,
    );
    return read;
  }

  /** As {@link get}, always as a promise. */
  load(id: number): Promise<V> {
    return Promise.resolve(this.get(id));
  }

  /** Gives `id` this answer for the rest of the request, unless it has one already (as DataLoader's `prime`). */
  prime(id: number, value: V): void {
    if (!this.settled.has(id) && !this.loading.has(id)) this.settled.set(id, value);
    this.loader.prime(id, value);
  }

  /** Forgets `id`'s answer: the next read of it goes to the cache again. */
  clear(id: number): void {
    this.settled.delete(id);
    this.loading.delete(id);
    this.loader.clear(id);
  }

  /** Forgets every answer. */
  clearAll(): void {
    this.settled.clear();
    this.loading.clear();
    this.loader.clearAll();
  }
}
