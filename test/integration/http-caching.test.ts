import { describe, expect, it } from 'vitest';
import { ALICE, BOB, useHarness } from '../support/harness.js';

const QUERY = '{ playlist(id: 1001) { name } }';

describe('HTTP caching of GET queries, by default', () => {
  const h = useHarness({ CACHE_TTL_MS: '30000' });

  it('asks a browser to revalidate each time, with an ETag, so that its own writes show at once', async () => {
    const response = await fetch(`${h.url}?query=${encodeURIComponent(QUERY)}`, { headers: { authorization: `Bearer ${ALICE}` } });
    expect(response.headers.get('cache-control')).toBe('private, no-cache');
    expect(response.headers.get('etag')).toMatch(/^W\/"[\w-]+"$/);
    const again = await fetch(`${h.url}?query=${encodeURIComponent(QUERY)}`, {
      headers: { authorization: `Bearer ${ALICE}`, 'if-none-match': response.headers.get('etag') as string },
    });
    expect(again.status).toBe(304);
  });
});

describe('HTTP caching of GET queries with HTTP_CACHE_MAX_AGE', () => {
  const h = useHarness({ CACHE_TTL_MS: '30000', HTTP_CACHE_MAX_AGE: 'true' });
  const get = (query: string, headers: Record<string, string> = {}, token = ALICE) =>
    fetch(`${h.url}?query=${encodeURIComponent(query)}`, {
      headers: { accept: 'application/graphql-response+json', authorization: `Bearer ${token}`, ...headers },
    });

  it('answers a GET query privately cacheable for as long as its reads stay fresh, with an ETag', async () => {
    const response = await get(QUERY);
    expect(response.status).toBe(200);
    const maxAge = Number(/^private, max-age=(\d+)$/.exec(response.headers.get('cache-control') ?? '')?.[1]);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(30);
    expect(response.headers.get('vary')).toMatch(/Authorization, Cookie/);
    expect(response.headers.get('etag')).toMatch(/^W\/"[\w-]+"$/);
    expect((await response.json()).data.playlist.name).toBe('Alice playlist 01');
  });

  it('answers 304 without a body when If-None-Match names the answer it would send', async () => {
    const first = await get(QUERY);
    const etag = first.headers.get('etag') as string;
    await first.arrayBuffer();
    const again = await get(QUERY, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/);
  });

  it("sends another token's answer whole: the tag of one token's answer does not match another's", async () => {
    const alice = await get(QUERY);
    const etag = alice.headers.get('etag') as string;
    await alice.arrayBuffer();
    const bob = await get(QUERY, { 'if-none-match': etag }, BOB);
    expect(bob.status).toBe(200);
    expect((await bob.json()).data.playlist.name).toBe('Bob lobby');
  });

  it('sends the new answer after a write changed it', async () => {
    const before = await get('{ playlist(id: 1005) { name } }');
    const etag = before.headers.get('etag') as string;
    await before.arrayBuffer();
    await h.gql('mutation { updatePlaylist(id: "1005", input: { name: "Renamed for caching" }) { name } }');
    const after = await get('{ playlist(id: 1005) { name } }', { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect((await after.json()).data.playlist.name).toBe('Renamed for caching');
  });

  it.each([
    ['a POST', () => h.post({ query: QUERY }, { authorization: `Bearer ${ALICE}` })],
    ['an answer with errors', () => get('{ playlist(id: "x") { name } }')],
    ['a mutation (refused over GET)', () => get('mutation { deletePlaylist(id: 1001) }')],
  ])('marks %s no-store', async (_name, send) => {
    const response = await send();
    await response.arrayBuffer();
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('etag')).toBeNull();
  });
});
