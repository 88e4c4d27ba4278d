import { beforeEach, describe, expect, it } from 'vitest';
import { useHarness } from '../support/harness.js';

// 2024-03-02 is a Saturday, 2024-03-04 a Monday. Seeded schedules used below:
// 1001's entry 50001: SCHEDULE 2024-02-01..2024-12-31, 08:00-18:00, Monday to Friday.
// 1002's entry 50015: SCHEDULE from 2024-03-01, 22:00-06:00, Saturday and Sunday.
// 1002's entry 50013: SCHEDULE until 2025-06-30. Every other media entry: ALWAYS.

const TIMELINE = /* GraphQL */ `
  query($id: ID!, $from: LocalDateTime!, $to: LocalDateTime!, $limit: Int) {
    playlist(id: $id) {
      timeline(from: $from, to: $to, limit: $limit) {
        start end
        mediaFile { viewneoId }
        entry { viewneoId duration content { ... on MediaFile { viewneoId } } }
        playlist { viewneoId }
      }
    }
  }
`;

function seconds(localTime: string): number {
  return Date.parse(`${localTime}Z`) / 1000;
}

describe('schedules: what plays when', () => {
  // No cross-request cache: every upstream read a request needs is visible in the sandbox's log.
  const h = useHarness({ CACHE_TTL_MS: '0' });
  beforeEach(() => h.sandbox.resetRequests());

  async function timeline(id: number, from: string, to: string, limit?: number) {
    const answer = await h.gql(TIMELINE, { id: String(id), from, to, limit });
    expect(answer.errors).toBeUndefined();
    return answer.data.playlist.timeline as any[];
  }

  it('evaluates isScheduledAt on seeded entries, windows across midnight counted from the day they open', async () => {
    const answer = await h.gql(`{
      a: playlist(id: 1001) { entries { viewneoId
        monday: isScheduledAt(localTime: "2024-03-04T10:00")
        mondayEnd: isScheduledAt(localTime: "2024-03-04T18:00:00")
        saturday: isScheduledAt(localTime: "2024-03-02T10:00")
        nextYear: isScheduledAt(localTime: "2025-01-06T10:00") } }
      b: playlist(id: 1002) { entries { viewneoId
        sundayNight: isScheduledAt(localTime: "2024-03-03T02:00")
        mondayNight: isScheduledAt(localTime: "2024-03-04T02:00")
        tuesdayNight: isScheduledAt(localTime: "2024-03-05T02:00") } }
    }`);
    expect(answer.errors).toBeUndefined();
    const workday = answer.data.a.entries.find((e: any) => e.viewneoId === 50001);
    expect(workday).toEqual({ viewneoId: 50001, monday: true, mondayEnd: false, saturday: false, nextYear: false });
    const always = answer.data.a.entries.find((e: any) => e.viewneoId === 50003);
    expect(always).toEqual({ viewneoId: 50003, monday: true, mondayEnd: true, saturday: true, nextYear: true });
    const weekendNight = answer.data.b.entries.find((e: any) => e.viewneoId === 50015);
    expect(weekendNight).toEqual({ viewneoId: 50015, sundayNight: true, mondayNight: true, tuesdayNight: false });
  });

  it('lists the entries playing at a moment in play order', async () => {
    const answer = await h.gql(`{ playlist(id: 1001) {
      entries { viewneoId }
      monday: entriesPlayingAt(localTime: "2024-03-04T10:00") { viewneoId }
      saturday: entriesPlayingAt(localTime: "2024-03-02T10:00:00") { viewneoId }
    } }`);
    expect(answer.errors).toBeUndefined();
    const all = answer.data.playlist.entries.map((e: any) => e.viewneoId);
    expect(answer.data.playlist.monday.map((e: any) => e.viewneoId)).toEqual(all);
    expect(answer.data.playlist.saturday.map((e: any) => e.viewneoId)).toEqual(all.filter((id: number) => id !== 50001));
  });

  it('expands a nested playlist in place and loops', async () => {
    const items = await timeline(1001, '2024-03-02T10:00', '2024-03-02T11:00', 20);
    // Saturday 10:00: 50001 (weekdays) and 1002's 50015 (nights) are skipped.
    expect(items.map((i) => [i.playlist.viewneoId, i.entry.viewneoId])).toEqual([
      ...[50003, 50006, 50008, 50010, 50005, 50009, 50002, 50007, 50004].map((id) => [1001, id]),
      ...[50012, 50017, 50020, 50019, 50014, 50018, 50011, 50016, 50013].map((id) => [1002, id]),
      [1001, 50003],
      [1001, 50006],
    ]);
    expect(items[0].start).toBe('2024-03-02T10:00:00');
    expect(items[9].start).toBe('2024-03-02T10:02:11');
    expect(items[18].start).toBe('2024-03-02T10:04:42');
    for (const [n, item] of items.entries()) {
      expect(seconds(item.end) - seconds(item.start)).toBe(item.entry.duration);
      if (n > 0) expect(item.start).toBe(items[n - 1].end);
      expect(item.mediaFile.viewneoId).toBe(item.entry.content.viewneoId);
    }
  });

  it('ends the timeline before `to` and stops at `limit`', async () => {
    const items = await timeline(1001, '2024-03-04T10:00', '2024-03-04T10:01:00');
    expect(items.at(-1).start < '2024-03-04T10:01:00').toBe(true);
    expect(items.at(-1).end >= '2024-03-04T10:01:00').toBe(true);
    expect(await timeline(1001, '2024-03-04T10:00', '2024-03-05T10:00', 3)).toHaveLength(3);
  });

  it.each([
    ['absent', TIMELINE, {}],
    ['a null variable', TIMELINE, { limit: null }],
    [
      'a null literal',
      'query($id: ID!, $from: LocalDateTime!, $to: LocalDateTime!) { playlist(id: $id) { timeline(from: $from, to: $to, limit: null) { start } } }',
      {},
    ],
  ])('answers the default of 500 items when limit is %s', async (_how, query, limit) => {
    // A day of playlist 1001 is thousands of items.
    const answer = await h.gql(query, { id: '1001', from: '2024-03-04T10:00', to: '2024-03-05T10:00', ...limit });
    expect(answer.errors).toBeUndefined();
    expect(answer.data.playlist.timeline).toHaveLength(500);
  });

  it('terminates on the 1019 <-> 1020 nesting cycle, in the timeline and in totalDuration', async () => {
    const totals = await h.gql('{ a: playlist(id: 1019) { totalDuration } b: playlist(id: 1020) { totalDuration } }');
    expect(totals).toEqual({ data: { a: { totalDuration: 173 + 171 }, b: { totalDuration: 171 + 173 } } });

    const items = await timeline(1019, '2024-03-04T10:00', '2024-03-04T11:00', 5000);
    // Each pass: 1019's ten media entries, then 1020's ten; 1020's entry nesting 1019 is skipped.
    expect(items.slice(0, 21).map((i) => i.playlist.viewneoId)).toEqual([...Array(10).fill(1019), ...Array(10).fill(1020), 1019]);
    expect(items[20].start).toBe('2024-03-04T10:05:44');
    expect(items.length).toBeLessThan(5000);
    expect(items.at(-1).start < '2024-03-04T11:00:00').toBe(true);
    expect(items.at(-1).end >= '2024-03-04T11:00:00').toBe(true);
  });

  it('counts a nested playlist by its own totalDuration', async () => {
    const answer = await h.gql('{ a: playlist(id: 1001) { totalDuration } b: playlist(id: 1002) { totalDuration } }');
    expect(answer.data.b.totalDuration).toBe(181);
    // 1001's own media entries, plus 1002 instead of the nesting entry's duration 0.
    expect(answer.data.a.totalDuration).toBe(157 + 181);
  });

  it.each([
    ['limit 0', { limit: 0 }, 'limit'],
    ['limit 5001', { limit: 5001 }, 'limit'],
    ['to equal to from', { to: '2024-03-04T10:00:00' }, 'to'],
    ['to before from', { to: '2024-03-04T09:59:59' }, 'to'],
    ['to a second more than 31 days after from', { to: '2024-04-04T10:00:01' }, 'to'],
  ])('answers BAD_USER_INPUT for %s before reading anything beyond the playlist', async (_name, change, argument) => {
    const answer = await h.gql(TIMELINE, { id: '1001', from: '2024-03-04T10:00', to: '2024-03-04T11:00', ...change });
    expect(answer.data.playlist).toBeNull();
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    // The parent playlist is read to resolve `playlist(id:)`; its entries and media files are not.
    expect(h.sandbox.countRequests()).toBe(1);
    expect(h.sandbox.countRequests({ path: '/api/v1.0/playlist/1001' })).toBe(1);
  });

  it('accepts a range of exactly 31 days', async () => {
    expect(await timeline(1001, '2024-03-04T10:00', '2024-04-04T10:00', 1)).toHaveLength(1);
  });

  it.each([
    '2024-02-30T10:00',
    '2023-02-29T10:00',
    '2024-03-04T24:00',
    '2024-03-04T10:60',
    '2024-03-04 10:00',
    '2024-03-04T10:00Z',
    '2024-03-04',
  ])('answers BAD_USER_INPUT for LocalDateTime %j, as a variable and as a literal, with no upstream call', async (text) => {
    const variable = await h.gql(TIMELINE, { id: '1001', from: text, to: '2024-03-05T11:00' });
    expect(variable.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(variable.errors?.[0]?.message).toContain(JSON.stringify(text));
    const literal = await h.gql(`{ playlist(id: 1001) { entriesPlayingAt(localTime: ${JSON.stringify(text)}) { viewneoId } } }`);
    expect(literal.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(h.sandbox.countRequests()).toBe(0);
  });

  it("answers what a playlist plays now in a time zone, consistent with each entry's isScheduledAt then", async () => {
    const answer = await h.gql(
      '{ playlist(id: 1001) { playingNow(timeZone: "Europe/Berlin") { localTime nextChangeAt nextChangeInstant entries { viewneoId } } } }',
    );
    expect(answer.errors).toBeUndefined();
    const now = answer.data.playlist.playingNow;
    const check = await h.gql('query($t: LocalDateTime!) { playlist(id: 1001) { entries { viewneoId isScheduledAt(localTime: $t) } } }', {
      t: now.localTime,
    });
    const scheduled = check.data.playlist.entries
      .filter((e: { isScheduledAt: boolean }) => e.isScheduledAt)
      .map((e: { viewneoId: number }) => e.viewneoId);
    expect(now.entries.map((e: { viewneoId: number }) => e.viewneoId)).toEqual(scheduled);
    expect(scheduled.length).toBeGreaterThan(0);
    // Berlin is 1 or 2 hours ahead of UTC.
    const drift = (Date.parse(`${now.localTime}Z`) - Date.now()) / 3_600_000;
    expect(drift).toBeGreaterThan(0.9);
    expect(drift).toBeLessThan(2.1);
    if (now.nextChangeAt !== null) expect(Date.parse(now.nextChangeInstant)).toBeGreaterThan(Date.now());
  });

  it('refuses a time zone that is not an IANA name before any upstream call', async () => {
    h.sandbox.resetRequests();
    const answer = await h.gql('{ playlist(id: 1001) { playingNow(timeZone: "+01:00") { localTime } } }');
    expect(answer.errors?.map((e) => [e.extensions?.code, e.extensions?.argument])).toEqual([['BAD_USER_INPUT', 'timeZone']]);
    expect(h.sandbox.countRequests({ path: '/api/v1.0/playlist/1001/playlistentry' })).toBe(0);
  });

  it('reads each upstream resource at most once for a timeline of thousands of items', async () => {
    const items = await timeline(1001, '2024-03-02T10:00', '2024-03-03T10:00', 5000);
    expect(items).toHaveLength(5000);

    const calls = new Map<string, number>();
    for (const r of h.sandbox.requests) calls.set(`${r.method} ${r.path}`, (calls.get(`${r.method} ${r.path}`) ?? 0) + 1);
    for (const [call, count] of calls) expect({ call, count }).toEqual({ call, count: 1 });

    // The 19 distinct media files shown come from the media list's 4 pages, not 19 reads by id.
    const mediaIds = new Set(items.map((i) => i.mediaFile.viewneoId));
    expect(mediaIds.size).toBe(19);
    expect(h.sandbox.countRequests({ path: '/api/v1.0/mediafile' })).toBe(4);
    expect(h.sandbox.countRequests({ path: /^\/api\/v1\.0\/mediafile\/\d+$/ })).toBe(0);
    expect(h.sandbox.countRequests({ path: /^\/api\/v1\.0\/playlist\/\d+\/playlistentry$/ })).toBe(2);
    // The two playlists: by id, or the second through the (one-page) playlist list, at the same cost.
    expect(h.sandbox.countRequests({ path: /^\/api\/v1\.0\/playlist(\/\d+)?$/ })).toBe(2);
    expect(h.sandbox.requests).toHaveLength(2 + 2 + 4);
  });
});
