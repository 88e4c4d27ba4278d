import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { listen } from '../../src/http/serve.js';
import { ALICE, useHarness } from '../support/harness.js';

/** Blocks this process's event loop for `ms` (the gateway under test runs in it). */
function block(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // Busy on purpose: nothing else may run.
  }
}

/** A raw connection and what it received until the server closed it. */
function rawConnection(port: number): Promise<{ socket: Socket; closed: Promise<string> }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      let received = '';
      socket.on('data', (chunk) => {
        received += chunk;
      });
      const closed = new Promise<string>((done) => socket.on('close', () => done(received)));
      resolve({ socket, closed });
    });
  });
}

describe('load shedding', () => {
  const h = useHarness({ LOAD_SHED_LAG_MS: '100' });

  it('serves on through one stall of the event loop', async () => {
    block(600);
    const answer = await h.gql('{ __typename }');
    expect(answer.data.__typename).toBe('Query');
  });

  it('answers 503 with Retry-After while the event loop lags, and serves again once it does not', async () => {
    expect((await h.gql('{ __typename }')).data.__typename).toBe('Query');
    // A lasting overload, not one stall: the loop stalls again and again for 2 s, so that two
    // samples in a row are over the threshold wherever the sampler's ticks fall.
    for (let i = 0; i < 8; i++) {
      block(250);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    let shed: Response | undefined;
    const until = Date.now() + 2_000;
    while (shed === undefined && Date.now() < until) {
      const response = await h.post({ query: '{ __typename }' }, { authorization: `Bearer ${ALICE}` });
      if (response.status === 503) shed = response;
      else await response.arrayBuffer();
    }
    if (shed === undefined) throw new Error('expected a 503 while the event loop lagged, got none');
    expect(shed.headers.get('retry-after')).toBe('1');
    expect((await shed.json()).errors[0].extensions).toEqual({ code: 'OVERLOADED', retryAfter: 1 });
    // Operations endpoints still answer.
    expect((await fetch(h.url.replace('/graphql', '/healthz'))).status).toBe(200);
    let served = false;
    const recovered = Date.now() + 5_000;
    while (!served && Date.now() < recovered) {
      const answer = await h.gql('{ __typename }');
      served = answer.data?.__typename === 'Query';
      if (!served) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(served).toBe(true);
  });
});

describe('slow clients', () => {
  const h = useHarness();
  const timeouts = { headersTimeoutMs: 300, requestTimeoutMs: 800, keepAliveTimeoutMs: 200 };

  it('cuts off a client that does not finish its headers', async () => {
    const { server, port } = await listen(h.gateway.listener, 0, '127.0.0.1', timeouts);
    try {
      const { socket, closed } = await rawConnection(port);
      socket.write('POST /graphql HTTP/1.1\r\nHost: gateway\r\n');
      expect(await closed).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      server.close();
    }
  });

  it('cuts off a client that does not finish its body', async () => {
    const { server, port } = await listen(h.gateway.listener, 0, '127.0.0.1', timeouts);
    try {
      const { socket, closed } = await rawConnection(port);
      socket.write('POST /graphql HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query":');
      expect(await closed).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      server.close();
    }
  });

  it('closes an idle keep-alive connection', async () => {
    const { server, port } = await listen(h.gateway.listener, 0, '127.0.0.1', timeouts);
    try {
      const { socket, closed } = await rawConnection(port);
      const body = JSON.stringify({ query: '{ __typename }' });
      socket.write(
        `POST /graphql HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer ${ALICE}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
      // Answered, then left open and idle: the server closes it.
      expect(await closed).toMatch(/"__typename":"Query"/);
    } finally {
      server.close();
    }
  });
});
