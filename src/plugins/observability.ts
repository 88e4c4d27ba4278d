import { context as otelContext, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.js';
import type { Metrics } from '../observability/metrics.js';
import { requestIdOf } from '../request-id.js';

/** Readiness of a gateway, as `/readyz` reports it. */
export interface Readiness {
  /** True once the server listens, false again when it starts shutting down. */
  ready: boolean;
  /** Extra check before answering ready, e.g. that viewneo answers at all. */
  readonly probe?: () => Promise<boolean>;
}

const tracer = trace.getTracer('viewneo-gateway');

function json(fetchAPI: { Response: typeof Response }, status: number, body: unknown) {
  return new fetchAPI.Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/**
 * Operations endpoints and telemetry: `/healthz` (alive), `/readyz` (ready to serve),
 * `/metrics` (Prometheus), the `X-Request-Id` response header, a span per GraphQL
 * operation (parent of the upstream calls' spans), and metrics per operation and error code.
 */
export function useObservability(metrics: Metrics, readiness: Readiness): Plugin<Context> {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname === '/healthz') return endResponse(json(fetchAPI, 200, { status: 'ok' }));
      if (url.pathname === '/readyz') {
        const ready = readiness.ready && (readiness.probe ? await readiness.probe() : true);
        return endResponse(json(fetchAPI, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' }));
      }
      if (url.pathname === '/metrics' && request.method === 'GET') {
        return endResponse(
          new fetchAPI.Response(await metrics.registry.metrics(), { headers: { 'content-type': metrics.registry.contentType } }),
        );
      }
    },
    onResponse({ request, response }) {
      response.headers.set('x-request-id', requestIdOf(request));
    },
    onExecute({ args }) {
      const operation = getOperationAST(args.document, args.operationName);
      const name = operation?.name?.value ?? 'anonymous';
      const type = operation?.operation ?? 'query';
      const ctx = args.contextValue as Context;
      const span = tracer.startSpan(`graphql ${type} ${name}`, {
        kind: SpanKind.SERVER,
        attributes: { 'graphql.operation.name': name, 'graphql.operation.type': type, 'request.id': ctx.scope.requestId ?? '' },
      });
      // Upstream calls of this operation become children of its span.
      ctx.scope.trace = trace.setSpan(otelContext.active(), span);
      const started = performance.now();
      return {
        onExecuteDone({ result }) {
          metrics.operation(name, type, (performance.now() - started) / 1000);
          if ('errors' in result && result.errors?.length) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        },
      };
    },
    onResultProcess({ result }) {
      for (const single of Array.isArray(result) ? result : [result]) {
        for (const error of ('errors' in single ? single.errors : undefined) ?? []) {
          // Not every error here is a GraphQLError built by graphql-js: extensions may be missing.
          const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
          metrics.error(typeof code === 'string' ? code : 'UNKNOWN');
        }
      }
    },
  };
}
