import type { DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';

/**
 * Yoga's parse cache, by document text, in two segments: a text seen once waits in a small
 * probation LRU, and moves to the main LRU when it is asked for again. A flood of one-off
 * documents (GraphiQL, apps without codegen, a client making up a document per request) then only
 * churns the probation segment, and the documents clients repeat keep their parsed form, their
 * validation (Yoga keeps it per parsed document) and their compiled code.
 */
export class DocumentCache {
  private readonly probation: LRUCache<string, DocumentNode>;
  private readonly main: LRUCache<string, DocumentNode>;

  /** `max` documents repeated at least once, and `probationMax` seen once so far. */
  constructor(max = 1024, probationMax = 256) {
    this.main = new LRUCache({ max });
    this.probation = new LRUCache({ max: probationMax });
  }

  /** The parsed document of `text`; a second ask moves it out of probation. */
  get(text: string): DocumentNode | undefined {
    const repeated = this.main.get(text);
    if (repeated !== undefined) return repeated;
    const once = this.probation.get(text);
    if (once === undefined) return undefined;
    this.probation.delete(text);
    this.main.set(text, once);
    return once;
  }

  /** Whether `text` was asked for at least twice (and is still kept). */
  repeated(text: string): boolean {
    return this.main.has(text);
  }

  /** Keeps a newly parsed document, in probation until it is asked for again. */
  set(text: string, document: DocumentNode): void {
    if (!this.main.has(text)) this.probation.set(text, document);
  }
}
