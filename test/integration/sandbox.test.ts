import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ALICE, BOB, benchAccount, CAROL, DAVE, ERIN, seedAccounts } from '../../src/sandbox/data.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(() => {
  sandbox.reset();
});

function api(path: string, init: RequestInit = {}, token: string | null = ALICE.token): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('Accept', 'application/json');
  if (token !== null) headers.set('Authorization', `Bearer ${token}`);
  if (init.body !== undefined) headers.set('Content-Type', 'application/json');
  return fetch(`${sandbox.url}/api/v1.0${path}`, { ...init, headers });
}

async function getJson(path: string, token: string = ALICE.token): Promise<any> {
  const res = await api(path, {}, token);
  expect(res.status).toBe(200);
  return res.json();
}

function send(method: string, path: string, body: unknown, token: string = ALICE.token): Promise<Response> {
  return api(path, { method, body: JSON.stringify(body) }, token);
}

describe('seed data', () => {
  it('is the same on every call', () => {
    expect(seedAccounts()).toEqual(seedAccounts());
  });

  it('gives alice 50 media files, 20 playlists of 10 entries and 3 templates', () => {
    const alice = seedAccounts()[0]!;
    expect(alice.mediaFiles.map((m) => m.id)).toEqual(Array.from({ length: 50 }, (_, i) => 2001 + i));
    expect(alice.playlists).toHaveLength(20);
    expect(alice.templates.map((t) => t.id)).toEqual([3001, 3002, 3003]);
    for (const playlist of alice.playlists) {
      const entries = alice.playlistEntries.filter((e) => e.playlist_id === playlist.id && e.media_file_id !== null);
      expect(entries.map((e) => e.index).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(entries.map((e) => e.index)).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
    const referenced = new Set(alice.playlistEntries.map((e) => e.media_file_id));
    expect(alice.mediaFiles.every((m) => referenced.has(m.id))).toBe(true);
  });

  it('nests 1002 in 1001 and makes 1019 and 1020 nest each other', () => {
    const nested = seedAccounts()[0]!.playlistEntries.filter((e) => e.playlist_id_as_nested_playlist !== null);
    expect(nested.map((e) => [e.playlist_id, e.playlist_id_as_nested_playlist, e.media_file_id, e.index])).toEqual([
      [1001, 1002, null, 10],
      [1019, 1020, null, 10],
      [1020, 1019, null, 10],
    ]);
  });

  it('varies the schedules of alice entries', () => {
    const entries = seedAccounts()[0]!.playlistEntries;
    expect(new Set(entries.map((e) => e.play_rule))).toEqual(new Set([0, 1, 2]));
    expect(new Set(entries.map((e) => e.weekdays))).toEqual(new Set([0, 62, 65]));
    expect(entries.some((e) => e.start_time === '22:00:00' && e.end_time === '06:00:00')).toBe(true);
    expect(entries.some((e) => e.remove_playlist_entry_after_end_date === 1)).toBe(true);
    expect(entries.every((e) => e.duration === 0 || (e.duration >= 5 && e.duration <= 30))).toBe(true);
  });

  it('shapes alice media files as folders, a website, a template, a content and physical files', () => {
    const media = seedAccounts()[0]!.mediaFiles;
    expect(media.slice(0, 5).map((m) => [m.attachable_type, m.media_file_id_as_parent_directory])).toEqual([
      [null, 0],
      [null, 2001],
      ['Website', 2002],
      ['Template', 2001],
      ['Content', 0],
    ]);
    expect(media[3]!.attachable_id).toBe(3001);
    expect(media[0]!.thumbnail_hash).toBeNull();
    expect(media.slice(5).every((m) => m.attachable_type === 'PhysicalFile' && m.attachable_id === 4000 + m.id - 2000)).toBe(true);
    expect(new Set(media.map((m) => m.status))).toEqual(new Set([0, 1, 2, 3]));
    expect(media.every((m) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(m.created_at))).toBe(true);
  });
});

describe('authentication and routing', () => {
  it('answers 401 to a request without a token', async () => {
    const res = await api('/playlist', {}, null);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ message: 'Unauthenticated.' });
  });

  it('answers 401 to an unknown token', async () => {
    const res = await api('/playlist', {}, 'not-a-token');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: 'Unauthenticated.' });
  });

  it('answers 404 with a message to an unknown route', async () => {
    const res = await api('/screens');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'The route api/v1.0/screens could not be found.' });
  });

  it('answers 405 to a method the route does not support', async () => {
    const res = await send('POST', '/mediafile/2001', {});
    expect(res.status).toBe(405);
    expect((await res.json()).message).toMatch(/POST method is not supported/);
  });

  it('sends X-RateLimit headers on every API answer', async () => {
    for (const res of [await api('/playlist'), await api('/playlist', {}, null), await api('/playlist/99')]) {
      expect(res.headers.get('x-ratelimit-limit')).toBe('60');
      expect(res.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
    }
  });
});

describe('playlists', () => {
  it('lists alice playlists as a plain array', async () => {
    const playlists = await getJson('/playlist');
    expect(playlists).toHaveLength(20);
    expect(playlists[0]).toEqual({
      id: 1001,
      name: 'Alice playlist 01',
      comment: 'Screens on floor 1',
      company_id: 221,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
    });
  });

  it('keeps the accounts apart although they share ids', async () => {
    const alice = await getJson('/playlist/1001');
    const bob = await getJson('/playlist/1001', BOB.token);
    expect([alice.name, alice.company_id]).toEqual(['Alice playlist 01', 221]);
    expect([bob.name, bob.company_id]).toEqual(['Bob lobby', 314]);
    expect((await getJson('/mediafile/2001', BOB.token)).name).toBe('Bob poster 01');
    expect((await getJson('/playlist', BOB.token)).map((p: { id: number }) => p.id)).toEqual([1001, 1002, 1003]);
  });

  it("answers 404 to another account's playlist id", async () => {
    const res = await api('/playlist/1010', {}, BOB.token);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'No query results for model [App\\Playlist] 1010.' });
  });

  it('answers 404 to a non-integer id', async () => {
    expect((await api('/playlist/abc')).status).toBe(404);
    expect((await api('/playlist/1001.0')).status).toBe(404);
    expect((await api('/template/-3001')).status).toBe(404);
  });

  it('creates a playlist and answers it with 201', async () => {
    const before = new Date(Date.now() - 1000).toISOString().slice(0, 19).replace('T', ' ');
    const res = await send('POST', '/playlist', { name: 'My awesome playlist', comment: 'My awesome comment.' });
    expect(res.status).toBe(201);
    const created = await res.json();
    expect(Object.keys(created)).toEqual(['name', 'comment', 'company_id', 'updated_at', 'created_at', 'id']);
    expect(created).toMatchObject({ name: 'My awesome playlist', comment: 'My awesome comment.', company_id: 221, id: 1021 });
    expect(created.created_at >= before).toBe(true);
    expect(await getJson('/playlist/1021')).toEqual({ ...created });
    expect((await getJson('/playlist', BOB.token)).length).toBe(3);
  });

  it.each([
    ['a missing name', { comment: 'x' }, 'name', 'The name field is required.'],
    ['an empty name', { name: '  ' }, 'name', 'The name field is required.'],
    ['a name that is not a string', { name: 42 }, 'name', 'The name must be a string.'],
    ['a name over 255 characters', { name: 'x'.repeat(256) }, 'name', 'The name may not be greater than 255 characters.'],
    ['a comment that is not a string', { name: 'ok', comment: ['x'] }, 'comment', 'The comment must be a string.'],
  ])('answers 422 to %s', async (_, body, field, message) => {
    const res = await send('POST', '/playlist', body);
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ message, errors: { [field]: [message] } });
    expect(await getJson('/playlist')).toHaveLength(20);
  });

  it('updates name and comment partially and bumps updated_at', async () => {
    const seeded = await getJson('/playlist/1002');
    const res = await send('PUT', '/playlist/1002', { comment: null });
    expect(res.status).toBe(200);
    const updated = await res.json();
    expect(updated).toMatchObject({ id: 1002, name: seeded.name, comment: null, created_at: seeded.created_at });
    expect(updated.updated_at > seeded.updated_at).toBe(true);
    expect((await (await send('PUT', '/playlist/1002', { name: 'Renamed' })).json()).name).toBe('Renamed');
    expect(await getJson('/playlist/1002')).toMatchObject({ name: 'Renamed', comment: null });
  });

  it('validates an update like a creation', async () => {
    const res = await send('PUT', '/playlist/1002', { name: '' });
    expect(res.status).toBe(422);
    expect((await getJson('/playlist/1002')).name).toBe('Alice playlist 02');
  });

  it('deletes a playlist with its entries', async () => {
    const res = await api('/playlist/1003', { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect((await api('/playlist/1003')).status).toBe(404);
    expect((await api('/playlist/1003/playlistentry')).status).toBe(404);
    expect((await getJson('/playlist/1003', BOB.token)).name).toBe('Bob entrance');
  });

  it('lists the entries of a playlist in stored, not index, order', async () => {
    const entries = await getJson('/playlist/1001/playlistentry');
    expect(entries).toHaveLength(11);
    const indexes = entries.map((e: { index: number }) => e.index);
    expect(indexes).not.toEqual([...indexes].sort((a: number, b: number) => a - b));
    expect(entries.every((e: { playlist_id: number; company_id: number }) => e.playlist_id === 1001 && e.company_id === 221)).toBe(true);
    expect((await getJson('/playlist/1001/playlistentry', BOB.token)).map((e: { media_file_id: number }) => e.media_file_id)).toEqual([
      2003, 2002, 2001,
    ]);
  });

  it('answers 404 to the entries of an unknown playlist', async () => {
    const res = await api('/playlist/99/playlistentry');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'No query results for model [App\\Playlist] 99.' });
  });
});

describe('list shapes', () => {
  it('pages media files as a Laravel paginator of 15 with absolute page URLs', async () => {
    const first = await getJson('/mediafile');
    const path = `${sandbox.url}/api/v1.0/mediafile`;
    expect({ ...first, data: first.data.length }).toEqual({
      current_page: 1,
      data: 15,
      first_page_url: `${path}?page=1`,
      from: 1,
      last_page: 4,
      last_page_url: `${path}?page=4`,
      next_page_url: `${path}?page=2`,
      path,
      per_page: 15,
      prev_page_url: null,
      to: 15,
      total: 50,
    });
    const last = await (await fetch(first.last_page_url, { headers: { Authorization: `Bearer ${ALICE.token}` } })).json();
    expect([last.from, last.to, last.next_page_url, last.prev_page_url, last.data.length]).toEqual([46, 50, null, `${path}?page=3`, 5]);
  });

  it('pages templates as an API-resource collection of 2', async () => {
    const page = await getJson('/template?page=2');
    const path = `${sandbox.url}/api/v1.0/template`;
    expect(page.data.map((t: { id: number }) => t.id)).toEqual([3003]);
    expect(page.links).toEqual({ first: `${path}?page=1`, last: `${path}?page=2`, prev: `${path}?page=1`, next: null });
    expect(page.meta).toEqual({ current_page: 2, from: 3, last_page: 2, path, per_page: 2, to: 3, total: 3 });
    expect(page.data[0].template_elements[1]).toMatchObject({ drawable_type: 'MediaFile', drawable: { id: 2012 } });
  });

  it('answers a simple paginator without totals when configured', async () => {
    sandbox.setListShape('playlist', 'simple', 8);
    const page = await getJson('/playlist?page=3');
    expect(Object.keys(page).sort()).toEqual([
      'current_page',
      'data',
      'first_page_url',
      'from',
      'next_page_url',
      'path',
      'per_page',
      'prev_page_url',
      'to',
    ]);
    expect([page.from, page.to, page.next_page_url, page.data.length]).toEqual([17, 20, null, 4]);
    expect((await getJson('/playlist?page=2')).next_page_url).toBe(`${sandbox.url}/api/v1.0/playlist?page=3`);
  });

  it('answers a plain array when configured', async () => {
    sandbox.setListShape('mediafile', 'array');
    expect(await getJson('/mediafile')).toHaveLength(50);
  });

  it('ignores per_page', async () => {
    const page = await getJson('/mediafile?per_page=100');
    expect([page.per_page, page.data.length]).toEqual([15, 15]);
  });

  it('answers an empty page past the last one', async () => {
    const page = await getJson('/mediafile?page=9');
    expect([page.current_page, page.data, page.from, page.to, page.next_page_url]).toEqual([9, [], null, null, null]);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After once a per-token limit is exceeded', async () => {
    sandbox.setRateLimit({ perMinute: 2 });
    const first = await api('/playlist');
    expect([first.status, first.headers.get('x-ratelimit-limit'), first.headers.get('x-ratelimit-remaining')]).toEqual([200, '2', '1']);
    expect((await api('/playlist')).status).toBe(200);
    const limited = await api('/playlist');
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({ message: 'Too Many Attempts.' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect((await api('/playlist', {}, BOB.token)).status).toBe(200);
  });

  it("enforces viewneo's 60 calls a minute per token from the start, and reset() returns to it", async () => {
    sandbox.setRateLimit({ perMinute: 1 });
    sandbox.reset();
    for (let i = 0; i < 60; i++) {
      const answer = await api('/template');
      expect([answer.status, answer.headers.get('x-ratelimit-limit'), answer.headers.get('x-ratelimit-remaining')]).toEqual([
        200,
        '60',
        String(59 - i),
      ]);
    }
    const limited = await api('/template');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(50);
  });

  it('lifts the limit when started with rateLimitPerMinute: null, reporting a fresh window on every answer', async () => {
    const lifted = await startSandbox({ rateLimitPerMinute: null });
    try {
      for (let i = 0; i < 70; i++) {
        const answer = await fetch(`${lifted.url}/api/v1.0/template`, { headers: { authorization: `Bearer ${ALICE.token}` } });
        expect([answer.status, answer.headers.get('x-ratelimit-remaining')]).toEqual([200, '59']);
        await answer.arrayBuffer();
      }
    } finally {
      await lifted.close();
    }
  });

  it('holds an account on a larger plan to its own announced limit, and reports it when no limit is enforced', async () => {
    sandbox.setRateLimit({ perMinute: 1 });
    for (let i = 0; i < 3; i++) {
      const answer = await api('/playlist', {}, ERIN.token);
      expect([answer.status, answer.headers.get('x-ratelimit-limit'), answer.headers.get('x-ratelimit-remaining')]).toEqual([
        200,
        '5000',
        String(4999 - i),
      ]);
    }
    expect((await api('/playlist')).status).toBe(200);
    expect((await api('/playlist')).status).toBe(429);
    sandbox.setRateLimit(null);
    expect((await api('/playlist', {}, ERIN.token)).headers.get('x-ratelimit-remaining')).toBe('4999');
  });

  it('stops limiting when the limit is removed', async () => {
    sandbox.setRateLimit({ perMinute: 1 });
    await api('/playlist');
    sandbox.setRateLimit(null);
    expect((await api('/playlist')).status).toBe(200);
  });
});

describe('writes of entries and the media library (assumed routes, Laravel behaviour)', () => {
  it('adds (201), changes (200, updated_at moving on every write) and removes (204) an entry', async () => {
    const created = await send('POST', '/playlist/1003/playlistentry', { media_file_id: 2010, duration: 5, index: 3 });
    expect(created.status).toBe(201);
    const entry = await created.json();
    expect(entry).toMatchObject({ playlist_id: 1003, media_file_id: 2010, duration: 5, index: 3, play_rule: 1 });
    let seen = entry.updated_at;
    for (const duration of [6, 7]) {
      const changed = await send('PUT', `/playlist/1003/playlistentry/${entry.id}`, { duration });
      expect(changed.status).toBe(200);
      const body = await changed.json();
      expect(body.duration).toBe(duration);
      expect(body.updated_at > seen).toBe(true);
      seen = body.updated_at;
    }
    expect((await send('DELETE', `/playlist/1003/playlistentry/${entry.id}`, undefined)).status).toBe(204);
    expect((await send('DELETE', `/playlist/1003/playlistentry/${entry.id}`, undefined)).status).toBe(404);
  });

  it('answers 422 with field errors for a bad entry, and 404 for an entry of another playlist', async () => {
    const both = await send('POST', '/playlist/1003/playlistentry', { media_file_id: 2010, playlist_id_as_nested_playlist: 1002 });
    expect(both.status).toBe(422);
    expect((await both.json()).errors.media_file_id).toHaveLength(1);
    const badFields = await send('POST', '/playlist/1003/playlistentry', { media_file_id: 2010, weekdays: 128, start_date: 'soon' });
    expect(Object.keys((await badFields.json()).errors).sort()).toEqual(['start_date', 'weekdays']);
    expect((await send('PUT', '/playlist/1003/playlistentry/50001', { duration: 1 })).status).toBe(404);
  });

  it('makes a folder, renames and moves a file (422 for a parent that is not a folder), deletes a folder with its content', async () => {
    const folder = await send('POST', '/mediafile', { name: 'New folder', media_file_id_as_parent_directory: 0 });
    expect(folder.status).toBe(201);
    const { id, attachable_type } = await folder.json();
    expect(attachable_type).toBeNull();
    expect((await send('PUT', '/mediafile/2010', { media_file_id_as_parent_directory: 2011 })).status).toBe(422);
    const moved = await send('PUT', '/mediafile/2010', { name: 'Renamed', media_file_id_as_parent_directory: id });
    expect(await moved.json()).toMatchObject({ name: 'Renamed', media_file_id_as_parent_directory: id });
    expect((await send('DELETE', `/mediafile/${id}`, undefined)).status).toBe(204);
    expect((await api('/mediafile/2010')).status).toBe(404);
  });

  it('deletes a template with its TEMPLATE media file and the entries that showed it, and keeps its CONTENT', async () => {
    // 2004 is the TEMPLATE media file of template 3001; 2005 is CONTENT (seed).
    sandbox.setRateLimit(null);
    const showing = async (id: number) => {
      const lists = await Promise.all((await getJson('/playlist')).map((p: { id: number }) => getJson(`/playlist/${p.id}/playlistentry`)));
      return lists.flat().filter((e: { media_file_id: number | null }) => e.media_file_id === id).length;
    };
    expect([await showing(2004), await showing(2005)]).toEqual([4, 4]);
    expect((await send('DELETE', '/template/3001', undefined)).status).toBe(204);
    expect((await api('/mediafile/2004')).status).toBe(404);
    expect((await api('/mediafile/2005')).status).toBe(200);
    expect([await showing(2004), await showing(2005)]).toEqual([0, 4]);
  });

  it("answers an upload's physical file, and 404 for another account's", async () => {
    expect(await getJson('/physicalfile/4006')).toMatchObject({ id: 4006, extension: 'jpg', width: 1920 });
    expect((await api('/physicalfile/4006', {}, BOB.token)).status).toBe(404);
  });
});

describe('the real-size account', () => {
  it('holds 40 playlists of 6 entries (two nesting another playlist) and 150 media files in 10 pages of 15', async () => {
    const playlists = await getJson('/playlist', CAROL.token);
    expect(playlists).toHaveLength(40);
    let entries = 0;
    let nested = 0;
    for (const playlist of playlists.slice(0, 3)) {
      const list = await getJson(`/playlist/${playlist.id}/playlistentry`, CAROL.token);
      entries += list.length;
      nested += list.filter((e: { playlist_id_as_nested_playlist: number | null }) => e.playlist_id_as_nested_playlist !== null).length;
    }
    expect([entries, nested]).toEqual([20, 2]);
    const first = await getJson('/mediafile', CAROL.token);
    expect([first.total, first.per_page, first.last_page, first.data.length]).toEqual([150, 15, 10, 15]);
  });
});

describe('the account whose media list comes 4 a page', () => {
  it('holds 40 playlists of 6 entries showing 61 media files, listed in 16 pages of 4 whatever the sandbox-wide page size', async () => {
    sandbox.setListShape('mediafile', 'paginator', 50);
    const playlists = await getJson('/playlist', DAVE.token);
    expect(playlists).toHaveLength(40);
    const entries = await getJson(`/playlist/${playlists[0].id}/playlistentry`, DAVE.token);
    expect(entries).toHaveLength(6);
    const first = await getJson('/mediafile', DAVE.token);
    expect([first.total, first.per_page, first.last_page, first.data.length]).toEqual([61, 4, 16, 4]);
    const last = await getJson('/mediafile?page=16', DAVE.token);
    expect(last.data).toHaveLength(1);
    // Every file is shown by some entry.
    const shown = new Set(seedAccounts()[3]!.playlistEntries.map((e) => e.media_file_id));
    expect(shown.size).toBe(61);
    // Other accounts keep the sandbox-wide setting.
    expect((await getJson('/mediafile')).per_page).toBe(50);
  });
});

describe('faults', () => {
  it('answers an injected status fault only as many times as asked', async () => {
    sandbox.injectFault({ kind: 'status', status: 500, path: '/api/v1.0/playlist', times: 2 });
    for (const expected of [500, 500, 200]) {
      const res = await api('/playlist');
      expect(res.status).toBe(expected);
      if (expected === 500) expect(await res.json()).toEqual({ message: 'Server Error' });
    }
    expect(sandbox.countRequests({ path: '/api/v1.0/playlist' })).toBe(3);
  });

  it('answers a status fault with the given body and headers', async () => {
    sandbox.injectFault({ kind: 'status', status: 429, headers: { 'Retry-After': '7' }, times: 1 });
    const res = await api('/mediafile');
    expect([res.status, res.headers.get('retry-after'), res.headers.get('content-type')]).toEqual([429, '7', 'application/json']);
    expect(await res.json()).toEqual({ message: 'Too Many Attempts.' });
    sandbox.injectFault({ kind: 'status', status: 503, body: 'down for maintenance', headers: { 'Content-Type': 'text/plain' } });
    const down = await api('/mediafile');
    expect([down.status, down.headers.get('content-type'), await down.text()]).toEqual([503, 'text/plain', 'down for maintenance']);
  });

  it('matches faults by path and method, the first match winning', async () => {
    sandbox.injectFault({ kind: 'status', status: 502, method: 'put', path: /^\/api\/v1\.0\/playlist\/\d+$/ });
    sandbox.injectFault({ kind: 'status', status: 503, path: /playlist/ });
    expect((await send('PUT', '/playlist/1001', { name: 'x' })).status).toBe(502);
    expect((await api('/playlist/1001')).status).toBe(503);
    expect((await api('/template')).status).toBe(200);
  });

  it('leaves OAuth alone unless a fault names its path', async () => {
    sandbox.injectFault({ kind: 'status', status: 500 });
    expect((await authorize({})).status).toBe(200);
    expect((await consent({}, 'allow')).status).toBe(302);
    sandbox.injectFault({ kind: 'status', status: 429, path: '/oauth/token' });
    expect((await token({ grant_type: 'refresh_token' })).status).toBe(429);
  });

  it('answers 200 with a non-JSON body for a malformed fault', async () => {
    sandbox.injectFault({ kind: 'malformed', times: 1 });
    const res = await api('/playlist');
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow();
  });

  it('destroys the socket for a reset fault', async () => {
    sandbox.injectFault({ kind: 'reset', times: 1 });
    await expect(api('/playlist')).rejects.toThrow();
    expect((await api('/playlist')).status).toBe(200);
    expect(sandbox.countRequests()).toBe(2);
  });

  it('delays the answer for a latency fault and for set latency', async () => {
    sandbox.injectFault({ kind: 'latency', ms: 120, times: 1 });
    let started = Date.now();
    expect((await api('/playlist')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    sandbox.setLatency(80);
    started = Date.now();
    await api('/playlist');
    expect(Date.now() - started).toBeGreaterThanOrEqual(70);
  });

  it('applies a fault with a rate to a repeatable share of requests', async () => {
    const run = async (): Promise<number[]> => {
      sandbox.clearFaults();
      sandbox.injectFault({ kind: 'status', status: 500, rate: 0.3 });
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) statuses.push((await api('/playlist/1001')).status);
      return statuses;
    };
    const first = await run();
    const failures = first.filter((s) => s === 500).length;
    expect(failures).toBeGreaterThan(3);
    expect(failures).toBeLessThan(25);
    expect(await run()).toEqual(first);
  });

  it('never answers a hanging request, and still closes', async () => {
    const own = await startSandbox();
    own.injectFault({ kind: 'hang' });
    const answer = fetch(`${own.url}/api/v1.0/playlist`, { headers: { Authorization: `Bearer ${ALICE.token}` } });
    const outcome = await Promise.race([
      answer.then(
        () => 'answered',
        () => 'failed',
      ),
      new Promise((r) => setTimeout(r, 200, 'pending')),
    ]);
    expect(outcome).toBe('pending');
    expect(own.countRequests()).toBe(1);
    await own.close();
    await expect(answer).rejects.toThrow();
  });
});

describe('request recording', () => {
  it('records method, path, headers and parsed body in arrival order', async () => {
    await api('/mediafile?page=2');
    await send('POST', '/playlist', { name: 'Recorded' });
    await fetch(`${sandbox.url}/oauth/token`, {
      method: 'POST',
      body: 'grant_type=password',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(sandbox.requests.map((r) => [r.method, r.path, r.pathname])).toEqual([
      ['GET', '/api/v1.0/mediafile?page=2', '/api/v1.0/mediafile'],
      ['POST', '/api/v1.0/playlist', '/api/v1.0/playlist'],
      ['POST', '/oauth/token', '/oauth/token'],
    ]);
    expect(sandbox.requests[0]!.headers).toMatchObject({ authorization: `Bearer ${ALICE.token}`, accept: 'application/json' });
    expect(sandbox.requests[0]!.body).toBeUndefined();
    expect(sandbox.requests[1]!.headers['content-type']).toBe('application/json');
    expect(sandbox.requests[1]!.body).toEqual({ name: 'Recorded' });
    expect(sandbox.requests[2]!.body).toBe('grant_type=password');
  });

  it('counts requests by method and path', async () => {
    await api('/mediafile');
    await api('/mediafile?page=2');
    await send('PUT', '/playlist/1001', { name: 'x' });
    expect(sandbox.countRequests()).toBe(3);
    expect(sandbox.countRequests({ path: '/api/v1.0/mediafile' })).toBe(2);
    expect(sandbox.countRequests({ path: /page=2/ })).toBe(1);
    expect(sandbox.countRequests({ path: /^\/api\/v1\.0\/mediafile$/ })).toBe(2);
    expect(sandbox.countRequests({ method: 'put' })).toBe(1);
    sandbox.resetRequests();
    expect(sandbox.countRequests()).toBe(0);
  });

  it('serves an admin API that is neither recorded nor delayed', async () => {
    await api('/playlist');
    await api('/template');
    const count = await fetch(`${sandbox.url}/__sandbox/requests/count`);
    expect(await count.json()).toEqual({ count: 2 });
    expect(await (await fetch(`${sandbox.url}/__sandbox/requests/count?path=/api/v1.0/template`)).json()).toEqual({ count: 1 });
    const latency = await fetch(`${sandbox.url}/__sandbox/latency`, { method: 'POST', body: JSON.stringify({ ms: 60 }) });
    expect(await latency.json()).toEqual({ ms: 60 });
    const started = Date.now();
    await api('/playlist');
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
    expect((await fetch(`${sandbox.url}/__sandbox/latency`, { method: 'POST', body: '{"ms":-1}' })).status).toBe(422);
    expect((await fetch(`${sandbox.url}/__sandbox/reset-requests`, { method: 'POST' })).status).toBe(204);
    expect(sandbox.requests).toEqual([]);
  });
});

describe('benchmark options', () => {
  function call(target: Sandbox, path: string, token: string, init: RequestInit = {}): Promise<Response> {
    const headers = { Accept: 'application/json', Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    return fetch(`${target.url}/api/v1.0${path}`, { ...init, headers });
  }

  it('counts requests per method and path on the admin API', async () => {
    await api('/playlist');
    await api('/playlist');
    await api('/mediafile/2001');
    const res = await fetch(`${sandbox.url}/__sandbox/requests/by-path`);
    expect(await res.json()).toEqual({ counts: { 'GET /api/v1.0/playlist': 2, 'GET /api/v1.0/mediafile/2001': 1 } });
    await fetch(`${sandbox.url}/__sandbox/reset-requests`, { method: 'POST' });
    expect(sandbox.requestCounts()).toEqual({});
  });

  it('in fast mode re-sends serialised GET answers until the account writes, and only counts requests', async () => {
    const fast = await startSandbox({ fast: true });
    try {
      const first = await call(fast, '/playlist/1001', ALICE.token);
      expect([first.status, first.headers.get('content-type'), first.headers.get('x-ratelimit-limit')]).toEqual([
        200,
        'application/json',
        '60',
      ]);
      const seeded = await first.text();
      expect(await (await call(fast, '/playlist/1001', ALICE.token)).text()).toBe(seeded);
      expect((await call(fast, '/playlist/1001', ALICE.token, { method: 'PUT', body: JSON.stringify({ name: 'Renamed' }) })).status).toBe(
        200,
      );
      expect((await (await call(fast, '/playlist/1001', ALICE.token)).json()).name).toBe('Renamed');
      expect((await (await call(fast, '/playlist/1001', BOB.token)).json()).name).toBe('Bob lobby');
      expect((await call(fast, '/playlist/9999', ALICE.token)).status).toBe(404);
      const page2 = await (await call(fast, '/mediafile?page=2', ALICE.token)).json();
      expect(page2.current_page).toBe(2);
      fast.setListShape('mediafile', 'array');
      expect(await (await call(fast, '/mediafile', ALICE.token)).json()).toHaveLength(50);
      expect(fast.requests).toEqual([]);
      expect(fast.countRequests({ path: '/api/v1.0/playlist/1001' })).toBe(5);
      expect(fast.countRequests({ method: 'put' })).toBe(1);
      expect(fast.countRequests({ path: /^\/api\/v1\.0\/mediafile/ })).toBe(2);
      expect(fast.requestCounts()).toEqual({
        'GET /api/v1.0/playlist/1001': 4,
        'PUT /api/v1.0/playlist/1001': 1,
        'GET /api/v1.0/playlist/9999': 1,
        'GET /api/v1.0/mediafile': 2,
      });
      fast.reset();
      expect((await (await call(fast, '/playlist/1001', ALICE.token)).json()).name).toBe('Alice playlist 01');
    } finally {
      await fast.close();
    }
  });

  it('adds bench accounts that each own a copy of alice data', async () => {
    const bench = await startSandbox({ benchAccounts: 3 });
    try {
      expect(bench.accounts).toEqual([ALICE, BOB, CAROL, DAVE, ERIN, benchAccount(1), benchAccount(2), benchAccount(3)]);
      expect(benchAccount(3)).toEqual({ name: 'bench-3', token: 'sandbox-bench-3-token', companyId: 10_003 });
      const names = async (token: string) => (await (await call(bench, '/playlist', token)).json()).map((p: { name: string }) => p.name);
      const alice = await names(ALICE.token);
      expect(await names(benchAccount(2).token)).toEqual(alice);
      const entries = await (await call(bench, '/playlist/1001/playlistentry', benchAccount(3).token)).json();
      expect(entries.map((e: { media_file_id: number | null }) => e.media_file_id)).toEqual(
        (await (await call(bench, '/playlist/1001/playlistentry', ALICE.token)).json()).map(
          (e: { media_file_id: number | null }) => e.media_file_id,
        ),
      );
      expect((await call(bench, '/playlist/1001', benchAccount(1).token, { method: 'DELETE' })).status).toBe(204);
      expect((await names(benchAccount(1).token)).length).toBe(19);
      expect(await names(benchAccount(2).token)).toEqual(alice);
      expect(await names(ALICE.token)).toEqual(alice);
      expect((await call(bench, '/playlist', 'sandbox-bench-4-token')).status).toBe(401);
    } finally {
      await bench.close();
    }
  });
});

describe('reset', () => {
  it('reseeds the data and restores the defaults', async () => {
    await api('/playlist/1001', { method: 'DELETE' });
    sandbox.setListShape('playlist', 'resource', 5);
    sandbox.setRateLimit({ perMinute: 1 });
    sandbox.setLatency(500);
    sandbox.injectFault({ kind: 'status', status: 500, path: '/api/v1.0/template' });
    sandbox.reset();
    expect(sandbox.requests).toEqual([]);
    const started = Date.now();
    expect(await getJson('/playlist')).toHaveLength(20);
    expect(Date.now() - started).toBeLessThan(400);
    expect((await getJson('/playlist/1001')).name).toBe('Alice playlist 01');
    expect((await api('/template')).status).toBe(200);
    expect((await api('/template')).status).toBe(200);
    expect((await send('POST', '/playlist', { name: 'after reset' })).status).toBe(201);
  });
});

const client = { client_id: 'sandbox-client', client_secret: 'sandbox-secret', redirect_uri: 'http://localhost:4000/callback' };

function authorize(params: Record<string, string>): Promise<Response> {
  const query = new URLSearchParams({ client_id: client.client_id, redirect_uri: client.redirect_uri, response_type: 'code', ...params });
  return fetch(`${sandbox.url}/oauth/authorize?${query}`, { redirect: 'manual' });
}

/** Submits the consent page's form as a user would: `decision` allow or deny, as `account` (default: the preselected one). */
function consent(params: Record<string, string>, decision: string, account?: string): Promise<Response> {
  const form = new URLSearchParams({
    client_id: client.client_id,
    redirect_uri: client.redirect_uri,
    response_type: 'code',
    ...params,
    decision,
  });
  if (account !== undefined) form.set('account', account);
  return fetch(`${sandbox.url}/oauth/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
    redirect: 'manual',
  });
}

function token(body: Record<string, string>): Promise<Response> {
  return fetch(`${sandbox.url}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
}

async function exchange(code: string): Promise<any> {
  const res = await token({ grant_type: 'authorization_code', ...client, code });
  expect(res.status).toBe(200);
  return res.json();
}

describe('OAuth', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('exposes the client and the accounts', () => {
    expect(sandbox.oauthClient).toEqual({
      clientId: client.client_id,
      clientSecret: client.client_secret,
      redirectUri: client.redirect_uri,
    });
    expect(sandbox.accounts).toEqual([ALICE, BOB, CAROL, DAVE, ERIN]);
  });

  it('answers an authorization request with a login and consent page that carries the request through', async () => {
    const res = await authorize({ state: 'xyz "1"', account: 'bob' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await res.text();
    expect(page).toContain('<form method="post" action="/oauth/authorize">');
    expect(page).toContain('<input type="hidden" name="state" value="xyz &quot;1&quot;">');
    expect(page).toContain(`<input type="hidden" name="redirect_uri" value="${client.redirect_uri}">`);
    expect(page).toContain('<option value="bob" selected>bob</option>');
    expect(page).toContain('<button type="submit" name="decision" value="allow">Allow</button>');
    expect(page).toContain('<button type="submit" name="decision" value="deny">Deny</button>');
  });

  it('redirects an allowed request to the redirect URI with a code and the state', async () => {
    const res = await consent({ state: 'xyz 1' }, 'allow', 'alice');
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(client.redirect_uri);
    expect(location.searchParams.get('code')).toMatch(/^\w{20,}$/);
    expect(location.searchParams.get('state')).toBe('xyz 1');
    expect(new URL((await consent({}, 'allow')).headers.get('location')!).searchParams.has('state')).toBe(false);
  });

  it('redirects a denied request with error=access_denied and the state, and no code', async () => {
    const res = await consent({ state: 'xyz 2' }, 'deny', 'alice');
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(client.redirect_uri);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('xyz 2');
    expect(location.searchParams.has('code')).toBe(false);
  });

  it('answers 400 to a consent form without a decision, and to one for another redirect URI', async () => {
    const none = await consent({}, 'maybe');
    expect(none.status).toBe(400);
    expect((await none.json()).error).toBe('invalid_request');
    const elsewhere = await consent({ redirect_uri: 'http://evil.example/cb' }, 'allow');
    expect(elsewhere.status).toBe(400);
    expect((await elsewhere.json()).error).toBe('invalid_client');
  });

  it.each([
    ['an unknown client', { client_id: 'other' }, 'invalid_client'],
    ['another redirect URI', { redirect_uri: 'http://evil.example/cb' }, 'invalid_client'],
    ['another response type', { response_type: 'token' }, 'unsupported_response_type'],
    ['an unknown account', { account: 'mallory' }, 'invalid_request'],
  ])('answers 400 to an authorization request with %s', async (_, params, error) => {
    const res = await authorize(params);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe(error);
  });

  it('exchanges a code for a JWT access token that acts for the account', async () => {
    const code = new URL((await consent({}, 'allow', 'bob')).headers.get('location')!).searchParams.get('code')!;
    const tokens = await exchange(code);
    expect(tokens).toEqual({
      token_type: 'Bearer',
      expires_in: 1296000,
      access_token: expect.any(String),
      refresh_token: expect.any(String),
    });
    const claims = decodeJwt(tokens.access_token);
    expect(claims.sub).toBe('bob');
    expect(claims.exp! - claims.iat!).toBe(1296000);
    expect(claims.jti).toEqual(expect.any(String));
    expect((await getJson('/playlist/1001', tokens.access_token)).name).toBe('Bob lobby');
  });

  it('accepts a form-encoded token request', async () => {
    const body = new URLSearchParams({ grant_type: 'authorization_code', ...client, code: sandbox.issueAuthorizationCode('alice') });
    const res = await fetch(`${sandbox.url}/oauth/token`, { method: 'POST', body });
    expect(res.status).toBe(200);
    expect((await getJson('/playlist/1001', (await res.json()).access_token)).name).toBe('Alice playlist 01');
  });

  it('rotates refresh tokens and revokes the old one', async () => {
    const first = await exchange(sandbox.issueAuthorizationCode('bob'));
    const refreshed = await token({
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
      client_id: client.client_id,
      client_secret: client.client_secret,
    });
    expect(refreshed.status).toBe(200);
    const second = await refreshed.json();
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(decodeJwt(second.access_token).sub).toBe('bob');
    const reused = await token({
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
      client_id: client.client_id,
      client_secret: client.client_secret,
    });
    expect(reused.status).toBe(401);
    expect(await reused.json()).toEqual({
      error: 'invalid_request',
      error_description: 'The refresh token is invalid.',
      hint: 'Token has been revoked',
      message: 'The refresh token is invalid.',
    });
  });

  it('answers invalid_client 401 to a wrong secret', async () => {
    const res = await token({
      grant_type: 'authorization_code',
      ...client,
      client_secret: 'wrong',
      code: sandbox.issueAuthorizationCode('alice'),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: 'invalid_client',
      error_description: 'Client authentication failed',
      message: 'Client authentication failed',
    });
  });

  it('answers invalid_grant 400 to an unknown code or a code issued for another redirect URI', async () => {
    for (const code of ['unknown', sandbox.issueAuthorizationCode('alice', 'http://localhost:4000/other')]) {
      const res = await token({ grant_type: 'authorization_code', ...client, code });
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(Object.keys(body)).toEqual(['error', 'error_description', 'hint', 'message']);
      expect(body.error).toBe('invalid_grant');
    }
  });

  it('answers invalid_request 400 to a missing parameter or a used code', async () => {
    const missing = await token({ grant_type: 'authorization_code', ...client });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: 'invalid_request', hint: 'Check the `code` parameter' });
    const code = sandbox.issueAuthorizationCode('alice');
    await exchange(code);
    const used = await token({ grant_type: 'authorization_code', ...client, code });
    expect(used.status).toBe(400);
    expect(await used.json()).toMatchObject({ error: 'invalid_request', hint: 'Authorization code has been revoked' });
  });

  it('answers invalid_request 400 to a code older than 10 minutes', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const code = sandbox.issueAuthorizationCode('alice');
    vi.setSystemTime(Date.now() + 10 * 60_000 + 1000);
    const res = await token({ grant_type: 'authorization_code', ...client, code });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request', hint: 'Authorization code has expired' });
  });

  it('answers invalid_request 401 to an unknown refresh token', async () => {
    const res = await token({
      grant_type: 'refresh_token',
      refresh_token: 'nope',
      client_id: client.client_id,
      client_secret: client.client_secret,
    });
    expect(res.status).toBe(401);
    expect((await res.json()).error).toBe('invalid_request');
  });

  it('answers unsupported_grant_type 400 to another grant', async () => {
    const res = await token({ grant_type: 'password', client_id: client.client_id, client_secret: client.client_secret });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe('unsupported_grant_type');
  });

  it('answers 401 on the API to an access token of another sandbox or past its expiry', async () => {
    const other = await startSandbox();
    const foreign = (
      await (
        await fetch(`${other.url}/oauth/token`, {
          method: 'POST',
          body: JSON.stringify({ grant_type: 'authorization_code', ...client, code: other.issueAuthorizationCode('alice') }),
          headers: { 'Content-Type': 'application/json' },
        })
      ).json()
    ).access_token;
    await other.close();
    expect((await api('/playlist', {}, foreign)).status).toBe(401);
    const own = (await exchange(sandbox.issueAuthorizationCode('alice'))).access_token;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 1_296_001_000);
    expect((await api('/playlist', {}, own)).status).toBe(401);
  });

  it('throws when asked for a code for an unknown account', () => {
    expect(() => sandbox.issueAuthorizationCode('mallory')).toThrow(/Unknown sandbox account/);
  });
});
