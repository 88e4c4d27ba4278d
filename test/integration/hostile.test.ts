import { describe, expect, it } from 'vitest';
import { ALICE, startHarness, useHarness } from '../support/harness.js';

const nested = (depth: number) =>
  `{ playlists { edges { node { ${'entries { content { ... on Playlist { '.repeat(depth)} name ${'} } }'.repeat(depth)} } } } }`;
const JSON_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/graphql-response+json',
  authorization: `Bearer ${ALICE}`,
};

interface Case {
  readonly name: string;
  readonly init: RequestInit;
  /** Statuses the GraphQL-over-HTTP spec allows for this request. */
  readonly statuses: number[];
  readonly code?: string;
  readonly path?: string;
}

const CASES: Case[] = [
  { name: 'deep nesting', init: post({ query: nested(20) }), statuses: [400], code: 'GRAPHQL_VALIDATION_FAILED' },
  {
    name: '1,000 aliases',
    init: post({ query: `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: playlist(id: 1001) { name }`).join(' ')} }` }),
    statuses: [400],
  },
  { name: 'a huge string argument', init: post({ query: `{ playlist(id: "${'9'.repeat(2_000_000)}") { name } }` }), statuses: [413] },
  {
    name: 'a long but allowed id',
    init: post({ query: `{ playlist(id: "${'9'.repeat(5000)}") { name } }` }),
    statuses: [200],
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'invalid UTF-8',
    init: { method: 'POST', headers: JSON_HEADERS, body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) },
    statuses: [400],
  },
  { name: 'malformed JSON', init: { method: 'POST', headers: JSON_HEADERS, body: '{"query": "{ __typename }"' }, statuses: [400] },
  { name: 'a JSON body that is not an object', init: { method: 'POST', headers: JSON_HEADERS, body: '"{ __typename }"' }, statuses: [400] },
  {
    name: 'a batch of operations',
    init: { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]) },
    statuses: [400],
  },
  {
    name: 'a text/plain POST (CSRF)',
    init: { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"{ __typename }"}' },
    statuses: [403],
    code: 'CSRF_HEADER_REQUIRED',
  },
  {
    name: 'an unknown content type',
    init: { method: 'POST', headers: { 'content-type': 'application/xml', 'x-graphql-yoga-csrf': '1' }, body: '<q/>' },
    statuses: [415],
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'variables that are not an object',
    init: post({ query: 'query($id: ID!) { playlist(id: $id) { name } }', variables: [1] }),
    statuses: [400],
  },
  {
    name: 'a variable of the wrong type',
    init: post({ query: 'query($id: ID!) { playlist(id: $id) { name } }', variables: { id: { x: 1 } } }),
    statuses: [200, 400],
  },
  {
    name: 'a malformed global id',
    init: post({ query: '{ node(id: "\\u0000\\uffff") { id } }' }),
    statuses: [200],
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'more tokens than MAX_TOKENS',
    init: post({ query: `{ ${'__typename '.repeat(5001)}}` }),
    statuses: [400],
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  { name: 'a syntax error', init: post({ query: '{ playlists { ' }), statuses: [400], code: 'GRAPHQL_PARSE_FAILED' },
  { name: 'no query', init: post({ variables: {} }), statuses: [400], code: 'BAD_REQUEST' },
  {
    name: 'a mutation over GET',
    init: { method: 'GET', headers: { 'x-graphql-yoga-csrf': '1' } },
    statuses: [405],
    path: '?query=mutation%7BdeletePlaylist(id%3A1001)%7D',
  },
  { name: 'a GET without the CSRF header', init: { method: 'GET' }, statuses: [403], path: '?query=%7B__typename%7D' },
  {
    // A header no cross-site form can send: no CSRF header needed (urql's GETs, GraphiQL's SSE).
    name: 'a GET with an Authorization header',
    init: { method: 'GET', headers: { authorization: 'Bearer sandbox-alice-token' } },
    statuses: [200],
    path: '?query=%7B__typename%7D',
  },
  { name: 'too many directives', init: post({ query: `{ __typename ${'@include(if: true) '.repeat(100)} }` }), statuses: [400] },
  {
    name: 'a POST without Content-Length',
    init: { method: 'POST', headers: JSON_HEADERS, body: streamOf('{"query":"{ __typename }"}'), duplex: 'half' } as RequestInit,
    statuses: [411],
  },
];

function post(body: unknown): RequestInit {
  return { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(body) };
}

function streamOf(text: string): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
      controller.close();
    },
  });
}

describe('hostile and broken requests', () => {
  const h = useHarness();

  it.each(CASES)('answers $name with a clear error, never a 500', async ({ init, statuses, code, path }) => {
    const response = await fetch(`${h.url}${path ?? ''}`, init);
    const text = await response.text();
    expect(statuses).toContain(response.status);
    expect(response.status).toBeLessThan(500);
    const body = JSON.parse(text);
    if (code) expect(body.errors[0].extensions.code).toBe(code);
    // Every refusal, also those Yoga and graphql-js make, carries a stable code.
    for (const error of body.errors ?? []) expect(error.extensions?.code, error.message).toMatch(/^[A-Z_]+$/);
  });

  it.each([
    ['compiled', 'query($n: Int) { playlists(first: $n) { totalCount } }'],
    ['with @include (graphql-js)', 'query($n: Int) { playlists(first: $n) @include(if: true) { totalCount } }'],
  ])('answers a variable of the wrong type with 400 and BAD_USER_INPUT naming it (%s)', async (_name, query) => {
    const response = await h.post({ query, variables: { n: 'x' } }, { authorization: `Bearer ${ALICE}` });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: '$n' });
    expect(body.errors[0].locations).toEqual([{ line: 1, column: 7 }]);
  });

  it.each([
    ['refuses', '10', 400],
    ['answers', '11', 200],
  ])('%s a document of 11 tokens with MAX_TOKENS=%s, naming the limit before any upstream call', async (_verb, limit, status) => {
    const limited = await startHarness({ MAX_TOKENS: limit }, { sandbox: h.sandbox });
    try {
      h.sandbox.resetRequests();
      // {, playlist, (, id, :, 1001, ), {, name, }, }
      const response = await limited.post({ query: '{ playlist(id: 1001) { name } }' }, { authorization: `Bearer ${ALICE}` });
      expect(response.status).toBe(status);
      const body = await response.json();
      if (status === 200) expect(body).toEqual({ data: { playlist: { name: 'Alice playlist 01' } } });
      else {
        expect(body.errors).toEqual([
          {
            message: 'Expected a document of at most 10 tokens, got more',
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED', maxTokens: 10 },
          },
        ]);
        expect(h.sandbox.requests).toEqual([]);
      }
    } finally {
      await limited.close();
    }
  });

  it('still serves normal queries after the whole corpus', async () => {
    expect((await h.gql('{ playlist(id: 1001) { name } }')).data.playlist.name).toBe('Alice playlist 01');
  });

  it('accepts a realistic deep query within the limits', async () => {
    const answer = await h.gql(`{ playlists(first: 100) { edges { node { name entries { content { __typename
      ... on MediaFile { name parentDirectory { name path { name } } } ... on Playlist { name entries { duration } } } } } } } }`);
    expect(answer.errors).toBeUndefined();
  });
});

describe('production mode', () => {
  const h = useHarness({ NODE_ENV: 'production' });

  it('refuses introspection', async () => {
    const answer = await h.gql('{ __schema { types { name } } }');
    expect(answer.errors?.[0]?.message).toMatch(/introspection/i);
    expect(answer.data?.__schema).toBeUndefined();
  });

  it('does not serve GraphiQL', async () => {
    const response = await fetch(h.url, { headers: { accept: 'text/html' } });
    expect(await response.text()).not.toMatch(/<html/i);
  });

  it('does not suggest field names', async () => {
    const answer = await h.gql('{ playlistz { totalCount } }');
    expect(JSON.stringify(answer)).not.toMatch(/Did you mean/);
    expect(answer.errors).toHaveLength(1);
  });

  it('masks unexpected errors without a stack trace', async () => {
    let broken = false;
    const prod = await startHarness(
      { NODE_ENV: 'production' },
      {
        now: () => {
          if (broken) throw new TypeError('internal detail');
          return performance.now() + 1;
        },
      },
    );
    try {
      broken = true;
      const answer = await prod.gql('{ playlist(id: 1001) { name } }');
      expect(answer.errors?.[0]).toEqual({
        message: 'Unexpected error.',
        locations: [{ line: 1, column: 3 }],
        path: ['playlist'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
    } finally {
      await prod.close();
    }
  });
});

describe('CORS', () => {
  it('allows only the configured origins', async () => {
    const h = await startHarness({ CORS_ORIGINS: 'https://app.example.com' });
    try {
      const preflight = (origin: string) =>
        fetch(h.url, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
        });
      const allowed = await preflight('https://app.example.com');
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      const denied = await preflight('https://evil.example.net');
      expect(denied.headers.get('access-control-allow-origin')).not.toBe('https://evil.example.net');
    } finally {
      await h.close();
    }
  });
});
