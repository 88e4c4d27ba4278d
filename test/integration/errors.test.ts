import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import { type GraphQLAnswer, type Harness, startHarness, startLiftedSandbox } from '../support/harness.js';

const ONE = '{ playlist(id: 1001) { name } }';

function codes(answer: GraphQLAnswer) {
  return answer.errors?.map((e) => e.extensions?.code);
}

describe('error codes', () => {
  // A fresh gateway per test: the failures one test injects must not open the circuit
  // breaker for the next.
  let sandbox: Sandbox;
  let h: Harness;
  beforeAll(async () => {
    sandbox = await startLiftedSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    h = await startHarness({ CACHE_TTL_MS: '0', UPSTREAM_TIMEOUT_MS: '400' }, { sandbox });
  });
  afterEach(async () => {
    await h.close();
    sandbox.reset();
  });

  it('answers UNAUTHENTICATED without a token, before any upstream call', async () => {
    const answer = await h.gql(ONE, {}, null);
    expect(codes(answer)).toEqual(['UNAUTHENTICATED']);
    expect(answer.data).toEqual({ playlist: null });
    expect(h.sandbox.requests).toHaveLength(0);
  });

  it('locates each field error in the query text, across lines', async () => {
    const answer = await h.gql(
      'query {\r\n  __typename\n  first: playlist(id: 1001) { name }\r  second: mediaFile(id: 1) { name }\n}',
      {},
      null,
    );
    expect(answer.errors?.map((e) => [e.path, e.locations])).toEqual([
      [['first'], [{ line: 3, column: 3 }]],
      [['second'], [{ line: 4, column: 3 }]],
    ]);
  });

  it('answers UNAUTHENTICATED when viewneo refuses the token', async () => {
    const answer = await h.gql(ONE, {}, 'not-a-real-token');
    expect(codes(answer)).toEqual(['UNAUTHENTICATED']);
    expect(h.sandbox.requests).toHaveLength(1);
  });

  it('answers UNAUTHENTICATED to an Authorization header that is not a bearer token', async () => {
    const response = await h.post({ query: ONE }, { authorization: 'Basic dXNlcjpwYXNz' });
    const answer = (await response.json()) as GraphQLAnswer;
    expect(codes(answer)).toEqual(['UNAUTHENTICATED']);
    expect(JSON.stringify(answer)).not.toContain('dXNlcjpwYXNz');
    expect(h.sandbox.requests).toHaveLength(0);
  });

  it('answers FORBIDDEN when viewneo answers 403', async () => {
    h.sandbox.injectFault({ kind: 'status', status: 403, body: '{"message":"This action is unauthorized."}' });
    expect(codes(await h.gql(ONE))).toEqual(['FORBIDDEN']);
  });

  it('answers null, not an error, when a read finds nothing', async () => {
    expect(await h.gql('{ playlist(id: 424242) { name } mediaFile(id: 424242) { name } template(id: 424242) { name } }')).toEqual({
      data: { playlist: null, mediaFile: null, template: null },
    });
  });

  it('answers NOT_FOUND when a mutation targets a missing object', async () => {
    const answer = await h.gql('mutation { updatePlaylist(id: 424242, input: { name: "x" }) { name } }');
    expect(codes(answer)).toEqual(['NOT_FOUND']);
  });

  it("answers BAD_USER_INPUT with viewneo's field errors for a 422", async () => {
    h.sandbox.injectFault({
      method: 'POST',
      kind: 'status',
      status: 422,
      body: JSON.stringify({ message: 'The name has already been taken.', errors: { name: ['The name has already been taken.'] } }),
    });
    const answer = await h.gql('mutation { createPlaylist(input: { name: "Lobby" }) { name } }');
    expect(answer.errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fieldErrors: { name: ['The name has already been taken.'] },
    });
  });

  it.each([
    ['a malformed id', '{ playlist(id: "%%%") { name } }'],
    ['a global id of another type', '{ playlist(id: "TWVkaWFGaWxlOjIwMDE=") { name } }'],
    ['a negative page size', '{ playlists(first: -1) { totalCount } }'],
    ['an oversized page size', '{ playlists(first: 1000) { totalCount } }'],
    ['a foreign cursor', '{ playlists(after: "bm9wZQ==") { totalCount } }'],
    ['an empty playlist name', 'mutation { createPlaylist(input: { name: "  " }) { name } }'],
    ['an update without changes', 'mutation { updatePlaylist(id: 1001, input: {}) { name } }'],
  ])('answers BAD_USER_INPUT to %s without an upstream call', async (_what, query) => {
    const answer = await h.gql(query);
    expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(h.sandbox.requests).toHaveLength(0);
  });

  it('answers RATE_LIMITED with retryAfter in seconds for a 429', async () => {
    h.sandbox.injectFault({ kind: 'status', status: 429, headers: { 'Retry-After': '37' } });
    const answer = await h.gql(ONE);
    expect(answer.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: 37, limitSource: 'VIEWNEO' });
  });

  it('answers UPSTREAM_TIMEOUT when viewneo does not answer in time', async () => {
    h.sandbox.injectFault({ kind: 'hang' });
    expect(codes(await h.gql(ONE))).toEqual(['UPSTREAM_TIMEOUT']);
  });

  it('answers UPSTREAM_TIMEOUT when the body of an answer stops arriving', async () => {
    h.sandbox.injectFault({ kind: 'stall' });
    expect(codes(await h.gql(ONE))).toEqual(['UPSTREAM_TIMEOUT']);
  });

  it.each([
    ['a 500', { kind: 'status', status: 500 }],
    ['a body that is not JSON', { kind: 'malformed' }],
    ['a reset connection', { kind: 'reset' }],
    ['JSON of the wrong shape', { kind: 'status', status: 200, body: '{"id":"x","name":5}' }],
  ] as const)('answers UPSTREAM_ERROR for %s and never echoes the upstream body', async (_what, fault) => {
    h.sandbox.injectFault({ ...fault, body: 'body' in fault ? fault.body : '<html>secret upstream detail</html>' });
    const answer = await h.gql(ONE);
    expect(codes(answer)).toEqual(['UPSTREAM_ERROR']);
    expect(JSON.stringify(answer)).not.toMatch(/secret upstream detail|"name":5/);
  });

  it('refuses to follow a next-page link to another host with the caller token', async () => {
    h.sandbox.injectFault({
      path: '/api/v1.0/mediafile',
      kind: 'status',
      status: 200,
      body: JSON.stringify({ data: [], next_page_url: 'http://127.0.0.2:9/steal?page=2' }),
    });
    const answer = await h.gql('{ mediaFiles { totalCount } }');
    expect(codes(answer)).toEqual(['UPSTREAM_ERROR']);
    expect(answer.errors?.[0]?.message).toMatch(/another host/);
  });

  it('retries an idempotent read after a 503', async () => {
    h.sandbox.injectFault({ kind: 'status', status: 503, times: 1 });
    const answer = await h.gql(ONE);
    expect(answer.errors).toBeUndefined();
    expect(h.sandbox.requests).toHaveLength(2);
  });

  it('never retries a write', async () => {
    h.sandbox.injectFault({ method: 'POST', kind: 'status', status: 503, times: 1 });
    const answer = await h.gql('mutation { createPlaylist(input: { name: "Lobby" }) { name } }');
    expect(codes(answer)).toEqual(['UPSTREAM_ERROR']);
    expect(h.sandbox.countRequests({ method: 'POST' })).toBe(1);
  });

  it('resolves sibling fields when one field fails', async () => {
    h.sandbox.injectFault({ path: '/api/v1.0/mediafile/2006', kind: 'status', status: 500 });
    const answer = await h.gql('{ ok: playlist(id: 1001) { name } broken: mediaFile(id: 2006) { name } }');
    expect(answer.data).toEqual({ ok: { name: 'Alice playlist 01' }, broken: null });
    expect(answer.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['broken'], 'UPSTREAM_ERROR']]);
  });
});

describe('unexpected errors', () => {
  it('are masked as INTERNAL_SERVER_ERROR without their message', async () => {
    let broken = false;
    const h = await startHarness(
      {},
      {
        now: () => {
          if (broken) throw new TypeError('clock failure with internal detail');
          return performance.now() + 1;
        },
      },
    );
    try {
      broken = true;
      const answer = await h.gql(ONE);
      expect(answer.errors?.[0]).toMatchObject({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(JSON.stringify(answer)).not.toContain('internal detail');
    } finally {
      await h.close();
    }
  });
});
