import type { DocumentNode } from 'graphql';
import { SegmentedLru } from './segmented.js';

/**
 * Yoga's parse cache, by document text, in two segments (see SegmentedLru): a text seen once
 * waits in a small probation LRU, and moves to the main LRU when it is asked for again. A flood of
 * one-off documents (GraphiQL, apps without codegen, a client making up a document per request)
 * then only churns the probation segment, and the documents clients repeat keep their parsed form,
 * their validation (Yoga keeps it per parsed document) and their compiled code.
 */
export class DocumentCache extends SegmentedLru<DocumentNode> {
  /** `max` documents repeated at least once, and `probationMax` seen once so far. */
  constructor(max = 1024, probationMax = 256) {
    super({ max }, { max: probationMax });
  }
}
