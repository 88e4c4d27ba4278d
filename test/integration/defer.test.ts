import { describe, expect, it } from 'vitest';
import { ALICE, useHarness } from '../support/harness.js';

const DEFERRED = `{ playlist(id: 1001) { name ... @defer(label: "entries") { entries { duration } } } }`;
const STREAMED = `{ playlist(id: 1001) { name entries @stream(initialCount: 1) { duration } } }`;

/** The JSON parts of a multipart/mixed answer, in order. */
function multipartParts(text: string): any[] {
  return text
    .split(/\r?\n--[-\w]*\r?\n?/)
    .map((part) => part.slice(part.indexOf('{')))
    .filter((part) => part.startsWith('{'))
    .map((part) => JSON.parse(part.slice(0, part.lastIndexOf('}') + 1)));
}

describe('@defer and @stream', () => {
  const h = useHarness();
  const ask = (query: string, accept: string) =>
    fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${ALICE}` },
      body: JSON.stringify({ query }),
    });

  it('delivers a deferred fragment in a later part over multipart/mixed', async () => {
    const response = await ask(DEFERRED, 'multipart/mixed');
    expect(response.headers.get('content-type')).toMatch(/^multipart\/mixed/);
    const parts = multipartParts(await response.text());
    expect(parts[0]).toMatchObject({ data: { playlist: { name: 'Alice playlist 01' } }, hasNext: true });
    expect(parts[0].data.playlist.entries).toBeUndefined();
    const later = parts.slice(1).flatMap((p) => p.incremental ?? []);
    expect(later.some((i: any) => Array.isArray(i.data?.entries))).toBe(true);
    expect(parts.at(-1).hasNext).toBe(false);
  });

  it('streams list items after the first over SSE', async () => {
    const response = await ask(STREAMED, 'text/event-stream');
    const text = await response.text();
    const events = text
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice(6)));
    expect(events[0].data.playlist.entries).toHaveLength(1);
    const streamed = events.slice(1).flatMap((e) => e.incremental ?? []);
    expect(streamed.flatMap((i: any) => i.items ?? []).length).toBeGreaterThan(0);
  });

  it('answers the same document whole to a client that accepts only JSON', async () => {
    const response = await ask(DEFERRED, 'application/json');
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.data.playlist.name).toBe('Alice playlist 01');
    expect(body.data.playlist.entries.length).toBeGreaterThan(0);
  });

  it('keeps a deferred answer in the result cache once it is complete, and answers it whole from there', async () => {
    const query = '{ playlist(id: 1002) { name ... @defer { entries { duration } } } }';
    const first = multipartParts(await (await ask(query, 'multipart/mixed')).text());
    expect(first.length).toBeGreaterThan(1);
    h.sandbox.resetRequests();
    const again = multipartParts(await (await ask(query, 'multipart/mixed')).text());
    expect(h.sandbox.countRequests()).toBe(0);
    expect(again).toHaveLength(1);
    expect(again[0].data.playlist.entries).toEqual(first.flatMap((p) => p.incremental ?? [])[0].data.entries);
  });
});
