import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTracing } from '../../src/observability/tracing.js';
import { ALICE, startHarness, startLiftedSandbox, useHarness } from '../support/harness.js';

describe('health, readiness, metrics and request ids', () => {
  const h = useHarness();

  it('answers /healthz, and /readyz until the gateway stops being ready', async () => {
    expect((await fetch(new URL('/healthz', h.url))).status).toBe(200);
    expect((await fetch(new URL('/readyz', h.url))).status).toBe(200);
    h.gateway.setReady(false);
    try {
      expect((await fetch(new URL('/readyz', h.url))).status).toBe(503);
      expect((await fetch(new URL('/healthz', h.url))).status).toBe(200);
    } finally {
      h.gateway.setReady(true);
    }
  });

  it('exports Prometheus metrics per operation, error code, upstream resource and cache event, without tokens', async () => {
    await h.post({ query: 'query Lobby { playlist(id: 1001) { name entries { duration } } }' }, { authorization: `Bearer ${ALICE}` });
    await h.post({ query: 'query Lobby { playlist(id: 1001) { name } }' }, { authorization: `Bearer ${ALICE}` });
    await h.gql('{ playlist(id: 1001) { name } }', {}, null);
    const text = await (await fetch(new URL('/metrics', h.url))).text();
    expect(text).toMatch(/graphql_operation_duration_seconds_count\{operation="Lobby",type="query"\} 2/);
    expect(text).toMatch(/graphql_errors_total\{code="UNAUTHENTICATED"\} 1/);
    expect(text).toMatch(/viewneo_upstream_duration_seconds_count\{method="GET",resource="\/api\/v1.0\/playlist\/:id",status="200"\} 1/);
    expect(text).toMatch(
      /viewneo_upstream_duration_seconds_count\{method="GET",resource="\/api\/v1.0\/playlist\/:id\/playlistentry",status="200"\} 1/,
    );
    expect(text).toMatch(/gateway_cache_events_total\{event="hit"\} [1-9]/);
    expect(text).toMatch(/gateway_cache_events_total\{event="miss"\} [1-9]/);
    expect(text).toMatch(/viewneo_upstream_in_flight 0/);
    expect(text).not.toContain(ALICE);
  });

  it('takes the request id from X-Request-Id, forwards it to viewneo and returns it', async () => {
    h.sandbox.resetRequests();
    const response = await h.post(
      { query: '{ playlist(id: 1002) { name } }' },
      { authorization: `Bearer ${ALICE}`, 'x-request-id': 'req-42.a' },
    );
    expect(response.headers.get('x-request-id')).toBe('req-42.a');
    expect(h.sandbox.requests.map((r) => r.headers['x-request-id'])).toEqual(['req-42.a']);
    expect(h.logs.some((line) => line.includes('"requestId":"req-42.a"'))).toBe(true);
  });

  it('makes a request id when none or an unsafe one is given', async () => {
    const response = await h.post({ query: '{ __typename }' }, { 'x-request-id': 'bad id\twith spaces' });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports not ready when the upstream probe is on and viewneo is unreachable', async () => {
    const dead = await startLiftedSandbox();
    const url = dead.url;
    await dead.close();
    const probing = await startHarness({ READINESS_PROBE_UPSTREAM: 'true', VIEWNEO_BASE_URL: url });
    try {
      expect((await fetch(new URL('/readyz', probing.url))).status).toBe(503);
    } finally {
      await probing.close();
    }
  });
});

describe('OpenTelemetry tracing', () => {
  let collector: Server;
  const spans: { name: string; spanId: string; parentSpanId?: string; traceId: string }[] = [];
  let stop: (() => Promise<void>) | null = null;

  beforeAll(async () => {
    collector = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const payload = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: (typeof spans)[number][] }[] }[] };
        for (const rs of payload.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    stop = startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
  });
  afterAll(async () => {
    collector.close();
  });

  it('is off without the OTEL_* variables', () => {
    expect(startTracing({})).toBeNull();
  });

  it('exports a span per operation with the upstream calls as its children', async () => {
    expect(stop).not.toBeNull();
    const h = await startHarness();
    try {
      await h.post({ query: 'query Traced { playlist(id: 1003) { name entries { duration } } }' }, { authorization: `Bearer ${ALICE}` });
      const traceparent = h.sandbox.requests[0]?.headers.traceparent;
      expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
    } finally {
      await h.close();
      await stop!();
    }
    await vi.waitFor(() => expect(spans.some((s) => s.name === 'graphql query Traced')).toBe(true));
    const operation = spans.find((s) => s.name === 'graphql query Traced')!;
    const children = spans
      .filter((s) => s.parentSpanId === operation.spanId)
      .map((s) => s.name)
      .sort();
    expect(children).toEqual(['viewneo GET /api/v1.0/playlist/:id', 'viewneo GET /api/v1.0/playlist/:id/playlistentry']);
  });
});
