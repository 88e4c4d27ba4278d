import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Harness, startHarness, useHarness } from '../support/harness.js';

const PAGE = `query($first: Int, $after: String, $last: Int, $before: String) {
  playlists(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { viewneoId } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

describe('connections', () => {
  const h = useHarness();

  it('pages forward with first/after through every playlist exactly once', async () => {
    const seen: number[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const answer = await h.gql(PAGE, { first: 6, after });
      const conn = answer.data.playlists;
      expect(conn.totalCount).toBe(20);
      seen.push(...conn.edges.map((e: any) => e.node.viewneoId));
      expect(conn.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => 1001 + i));
  });

  it('pages backward with last/before', async () => {
    const seen: number[] = [];
    let before: string | null = null;
    for (let page = 0; page < 10; page++) {
      const answer = await h.gql(PAGE, { last: 7, before });
      const conn = answer.data.playlists;
      seen.unshift(...conn.edges.map((e: any) => e.node.viewneoId));
      if (!conn.pageInfo.hasPreviousPage) break;
      before = conn.pageInfo.startCursor;
    }
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => 1001 + i));
  });

  it('defaults to 20 items and reports the total', async () => {
    const answer = await h.gql('{ mediaFiles { totalCount edges { node { viewneoId } } pageInfo { hasNextPage } } }');
    expect(answer.data.mediaFiles.totalCount).toBe(50);
    expect(answer.data.mediaFiles.edges).toHaveLength(20);
    expect(answer.data.mediaFiles.pageInfo.hasNextPage).toBe(true);
  });
});

describe('upstream list shapes', () => {
  // A gateway of its own per test: what one test's reads teach it of a list's pages would change the next's.
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ CACHE_TTL_MS: '0' });
  });
  afterEach(() => h.close());

  it.each(['array', 'paginator', 'simple', 'resource'] as const)('reads every item of a %s list, following its pages', async (shape) => {
    h.sandbox.setListShape('mediafile', shape, 15);
    h.sandbox.resetRequests();
    const answer = await h.gql('{ mediaFiles(first: 100) { totalCount edges { node { viewneoId } } } }');
    expect(answer.data.mediaFiles.totalCount).toBe(50);
    expect(answer.data.mediaFiles.edges.map((e: any) => e.node.viewneoId)).toEqual(Array.from({ length: 50 }, (_, i) => 2001 + i));
    expect(h.sandbox.requests).toHaveLength(shape === 'array' ? 1 : 4);
  });

  it('reads the pages after the first at once when the first says how many there are', async () => {
    h.sandbox.setListShape('mediafile', 'paginator', 15);
    h.sandbox.injectFault({ path: '/api/v1.0/mediafile', kind: 'latency', ms: 300, times: 4 });
    h.sandbox.resetRequests();
    const pending = h.gql('{ mediaFiles(first: 100) { totalCount } }');
    const pages = () => h.sandbox.countRequests({ path: '/api/v1.0/mediafile' });
    await vi.waitFor(() => expect(pages()).toBe(1), { timeout: 1000, interval: 5 });
    // Page 1 answers after 300 ms; pages 2, 3 and 4 then go out together, not one after another.
    await vi.waitFor(() => expect(pages()).toBe(4), { timeout: 450, interval: 5 });
    expect((await pending).data.mediaFiles.totalCount).toBe(50);
    expect(h.sandbox.requests.map((r) => r.path).sort()).toEqual([
      '/api/v1.0/mediafile',
      '/api/v1.0/mediafile?page=2',
      '/api/v1.0/mediafile?page=3',
      '/api/v1.0/mediafile?page=4',
    ]);
  });

  it('reads every page at once when the last read said how many there are and numbered them', async () => {
    h.sandbox.setListShape('mediafile', 'paginator', 15);
    await h.gql('{ mediaFiles(first: 1) { totalCount } }');
    h.sandbox.injectFault({ path: '/api/v1.0/mediafile', kind: 'latency', ms: 300, times: 4 });
    h.sandbox.resetRequests();
    const pending = h.gql('{ mediaFiles(first: 100) { totalCount edges { node { viewneoId } } } }');
    const pages = () => h.sandbox.countRequests({ path: '/api/v1.0/mediafile' });
    // All four go out before page 1 answers (300 ms): one round instead of two.
    await vi.waitFor(() => expect(pages()).toBe(4), { timeout: 250, interval: 5 });
    const answer = await pending;
    expect(answer.data.mediaFiles.totalCount).toBe(50);
    expect(answer.data.mediaFiles.edges.map((e: any) => e.node.viewneoId)).toEqual(Array.from({ length: 50 }, (_, i) => 2001 + i));
  });

  it('reads the new pages of a list that grew since its page count was learnt', async () => {
    h.sandbox.setListShape('mediafile', 'paginator', 15);
    await h.gql('{ mediaFiles(first: 1) { totalCount } }');
    // 50 files in pages of 10: 5 pages where 4 were learnt.
    h.sandbox.setListShape('mediafile', 'paginator', 10);
    h.sandbox.resetRequests();
    const answer = await h.gql('{ mediaFiles(first: 100) { totalCount edges { node { viewneoId } } } }');
    expect(answer.data.mediaFiles.totalCount).toBe(50);
    expect(answer.data.mediaFiles.edges.map((e: any) => e.node.viewneoId)).toEqual(Array.from({ length: 50 }, (_, i) => 2001 + i));
    expect(h.sandbox.countRequests({ path: '/api/v1.0/mediafile' })).toBe(5);
  });

  it('follows the links when a list no longer numbers its pages', async () => {
    h.sandbox.setListShape('mediafile', 'paginator', 15);
    await h.gql('{ mediaFiles(first: 1) { totalCount } }');
    h.sandbox.setListShape('mediafile', 'simple', 15);
    const answer = await h.gql('{ mediaFiles(first: 100) { totalCount edges { node { viewneoId } } } }');
    expect(answer.data.mediaFiles.totalCount).toBe(50);
    expect(answer.data.mediaFiles.edges.map((e: any) => e.node.viewneoId)).toEqual(Array.from({ length: 50 }, (_, i) => 2001 + i));
  });
});
