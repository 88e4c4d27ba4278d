import DataLoader from 'dataloader';
import type { UpstreamCache } from '../cache/upstream-cache.js';
import { gatewayError } from '../errors.js';
import type { ListPlan } from '../viewneo/requests.js';
import type { FirstPage, PlannedList } from './planner.js';
import { type ListResource, type Resource, resourceName } from './resources.js';

/** What a {@link ListReader} reads through. */
export interface ListReaderDeps<T> {
  readonly kind: ListResource;
  readonly tokenHash: string;
  readonly cache: UpstreamCache;
  /** A read through the token's cache, within the request's bound on concurrent reads. */
  readonly cached: <R>(resource: Resource, load: () => Promise<R>) => Promise<R>;
  /** Runs `read` within the request's bound on concurrent reads (for a first page, which is not cached on its own). */
  readonly bounded: <R>(read: () => Promise<R>) => Promise<R>;
  /** The list from viewneo, cut short or spread over its pages as `plan` says. */
  readonly read: (plan: ListPlan) => Promise<T[]>;
  /** Told the expiry (cache clock) of the cached list when it answers. */
  readonly onRead?: (expiresAt: number) => void;
  /** Told every object the list answered, so that no by-id read of it follows in the request. */
  readonly prime: (items: readonly T[]) => void;
}

type Rest = () => Promise<unknown[] | null>;
interface Probed<T> extends FirstPage<T> {
  /** The (one) read of the rest, when the probe stopped after the first page. */
  readonly rest: Rest;
}

/**
 * Everything one request knows and reads of one kind's whole list (playlists, media files,
 * templates), in one place: the cached list and its page count, the list read in this request
 * (once, through its DataLoader, priming the by-id loader), the first page a probe read (shared
 * with the token's other requests reading it at the same time) and the read of the rest, the list
 * read ahead, and how often a write in the request made it stale.
 */
export class ListReader<T extends { readonly id: number }> implements PlannedList<T> {
  /** The whole list, read at most once in the request. */
  readonly loader: DataLoader<'all', T[]>;
  private readonly name: string;
  private readonly probeKey: string;
  // The rest of a list whose first page this request's probe read: the whole list goes on from there.
  private rest: Rest | null = null;
  private ahead: Promise<T[]> | null = null;
  private writes = 0;

  constructor(private readonly deps: ListReaderDeps<T>) {
    this.name = resourceName({ kind: deps.kind });
    this.probeKey = `${this.name}:first-page`;
    this.loader = new DataLoader<'all', T[]>(async (keys) => {
      const items = await (this.ahead ?? this.readCached());
      deps.prime(items);
      return keys.map(() => items);
    });
  }

  /** The token's whole list when it is cached and fresh (no upstream call), else undefined. */
  cached(): readonly T[] | undefined {
    const hit = this.deps.cache.peek(this.deps.tokenHash, this.name);
    if (hit === undefined) return undefined;
    this.deps.onRead?.(hit.expiresAt);
    return hit.value as T[];
  }

  /** How many pages the list had when last read; undefined when not known. */
  pages(): number | undefined {
    return this.deps.cache.pages(this.deps.tokenHash, this.name);
  }

  /** How many calls reading the whole list costs now: its pages, less a first page this request holds. */
  cost(): number | undefined {
    const pages = this.pages();
    return pages === undefined ? undefined : Math.max(1, pages - (this.rest === null ? 0 : 1));
  }

  /** The whole list, as this request reads it (once; a first page read already is not read again). */
  whole(): Promise<readonly T[]> {
    return this.loader.load('all');
  }

  /** The list read with `plan`: the whole list, or its first page when `plan` stopped it there. */
  async firstPage(plan: ListPlan): Promise<FirstPage<T>> {
    // Concurrent requests of the token share one first page (and the read of the rest).
    const probed = await this.deps.cache.coalesce(this.deps.tokenHash, this.probeKey, () => this.deps.bounded(() => this.probe(plan)));
    if (!probed.complete) this.rest = probed.rest;
    else {
      // The whole list after all: kept, as the list loader would have.
      await this.deps.cached({ kind: this.deps.kind }, async () => probed.items);
      this.loader.prime('all', [...probed.items]);
      this.deps.prime(probed.items);
    }
    return { items: probed.items, complete: probed.complete };
  }

  /** Starts reading the whole list now, for the planner (see read-ahead.ts); a failure reaches whoever is answered from it. */
  readAhead(): void {
    this.ahead ??= this.readCached();
    this.ahead.catch(() => undefined);
  }

  /** The list read ahead in this request, if any. */
  readAheadList(): Promise<readonly T[]> | null {
    return this.ahead;
  }

  /** A write in the request made the list stale: what was read ahead is dropped. */
  stale(): void {
    this.writes++;
    this.ahead = null;
  }

  /** How many times a write in this request made the list stale so far. */
  writeCount(): number {
    return this.writes;
  }

  private onPages = (pages: number, numbered: boolean) => this.deps.cache.setPages(this.deps.tokenHash, this.name, pages, numbered);

  private async probe(plan: ListPlan): Promise<Probed<T>> {
    let readRest: Rest | null = null;
    const items = await this.deps.read({
      ...plan,
      onPages: this.onPages,
      onStopped: (read) => {
        readRest = read;
      },
    });
    let whole: ReturnType<Rest> | undefined;
    const rest = readRest as Rest | null;
    return {
      items,
      complete: rest === null,
      rest: () => {
        whole ??= rest!();
        return whole;
      },
    };
  }

  /** The whole list through the token's cache, going on from a first page already read rather than reading it again. */
  private async readCached(): Promise<T[]> {
    // A first page another request of the token is reading now; awaited before taking a slot of this request's limit.
    const probing = await this.deps.cache.inFlight<Probed<T>>(this.deps.tokenHash, this.probeKey)?.catch(() => undefined);
    return this.deps.cached({ kind: this.deps.kind }, () => this.readFrom(probing));
  }

  private async readFrom(probing: Probed<T> | undefined): Promise<T[]> {
    if (probing?.complete) return [...probing.items];
    const readRest = probing?.rest ?? this.rest;
    this.rest = null;
    if (readRest === null) {
      const expectedPages = this.deps.cache.numberedPages(this.deps.tokenHash, this.name);
      return this.deps.read({ onPages: this.onPages, ...(expectedPages === undefined ? {} : { expectedPages }) });
    }
    const items = await readRest();
    if (items === null) throw gatewayError('UPSTREAM_ERROR', `viewneo answered no object for the rest of the ${this.deps.kind} list`);
    return items as T[];
  }
}
