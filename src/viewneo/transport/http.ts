import { setTimeout as sleep } from 'node:timers/promises';
import {
  context as otelContext,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Context as TraceContext,
  trace,
} from '@opentelemetry/api';
import type { GraphQLError } from 'graphql';
import type { FormData } from 'undici';
import { hashToken } from '../../auth/token-hash.js';
import { gatewayError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Admissions, Circuits, OpenCircuit } from './breaker.js';
import type { RetryBudget } from './retry-budget.js';
import { ThrottledError, type UpstreamThrottle } from './throttle.js';

/** One upstream request, described by the client. */
export interface UpstreamRequest {
  readonly method: string;
  readonly url: string;
  readonly token?: string;
  /** JSON body. */
  readonly body?: unknown;
  /** Multipart body; the HTTP client sets its Content-Type with the boundary. */
  readonly form?: FormData;
  /** Epoch ms by which the whole call, retries included, must be over (the GraphQL request's own deadline). */
  readonly deadline?: number;
  /** Forwarded as `X-Request-Id`. */
  readonly requestId?: string;
  /** Trace context of the call's span. */
  readonly trace?: TraceContext;
  /** `hashToken(token)`, when the caller has it already. */
  readonly tokenHash?: string;
  /** Told each time an attempt of the call goes out to viewneo. */
  readonly onCall?: () => void;
}

/** An upstream answer: status, parsed JSON body (null when empty or unreadable on an error), Retry-After seconds. */
export interface Answer {
  readonly status: number;
  readonly json: unknown;
  readonly retryAfter: number | null;
}

/** One HTTP exchange as the transport asks for it. */
export interface UpstreamFetchInit {
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string | FormData;
  /**
   * The exchange, reading the body included, fails with a DOMException named `TimeoutError`
   * when it is not over after this many ms.
   */
  readonly timeoutMs: number;
}

/** An HTTP answer whose body is read once: `text()`, or dropped unread with `cancel()`. */
export interface UpstreamResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
  cancel(): Promise<void>;
}

/** An HTTP client for the transport: the pooled one of `pool.ts`, or a test's. */
export type UpstreamFetch = (url: string, init: UpstreamFetchInit) => Promise<UpstreamResponse>;

/** What the transport needs. */
export interface UpstreamHttpOptions {
  readonly fetch: UpstreamFetch;
  readonly logger: Logger;
  /** Longest one call may take, retries included. */
  readonly timeoutMs: number;
  /** Extra attempts for a call that may be repeated. */
  readonly retries: number;
  /** Longest `Retry-After` honoured by waiting; a longer one ends the retries. */
  readonly retryAfterCapMs: number;
  /** The host's and the tokens' circuits; each call is judged once, after its retries. */
  readonly circuits: Circuits;
  /** Bounds the retries, as a share of the calls. */
  readonly retryBudget: RetryBudget;
  readonly throttle: UpstreamThrottle;
  /** Told when each attempt starts; the returned function when it ends. */
  readonly observe?: (method: string, resource: string) => (status: number | 'error' | 'timeout') => void;
}

/**
 * An absolute URL's origin and request target (`http://host/path?query` → `http://host` and
 * `/path?query`), cut rather than parsed: the transport's URLs are its own, or checked links.
 */
export function splitUrl(url: string): { origin: string; target: string } {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  return start < 0 ? { origin: url, target: '/' } : { origin: url.slice(0, start), target: url.slice(start) };
}

/** The path of an absolute URL (`http://host/path?query` → `/path`). */
function pathOf(url: string): string {
  const { target } = splitUrl(url);
  const end = target.search(/[?#]/);
  return end < 0 ? target : target.slice(0, end);
}

/** A path with its ids replaced by `:id`, e.g. `/api/v1.0/playlist/:id/playlistentry`: a bounded label. */
function resourceOf(path: string): string {
  return path.replace(/\/\d+(?=\/|$)/g, '/:id');
}

const tracer = trace.getTracer('viewneo-gateway');
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
// Errors raised before a request left this machine: safe to repeat even for writes.
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * The transport under the viewneo client: timeouts within the caller's deadline, retries of
 * idempotent reads (network errors, 429, 502-504; `Retry-After` honoured up to a cap) within the
 * retry budget, the per-token throttle and the circuits (the host's and the token's, told each
 * call's outcome after its retries). Writes are retried only when the request provably never
 * left (connection refused). Errors become GraphQLErrors.
 */
export function createUpstreamHttp(options: UpstreamHttpOptions) {
  const { logger, circuits, throttle, retryBudget } = options;

  return async function send(request: UpstreamRequest): Promise<Answer> {
    const call = prepare(request);
    const parent = request.trace ?? otelContext.active();
    const span = tracer.startSpan(
      `viewneo ${call.method} ${call.resource}`,
      { kind: SpanKind.CLIENT, attributes: { 'http.request.method': call.method, 'url.path': call.resource } },
      parent,
    );
    propagation.inject(trace.setSpan(parent, span), call.headers);
    try {
      const answer = await attempts(call, span);
      span.setAttribute('http.response.status_code', answer.status);
      if (answer.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      return answer;
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  };

  function prepare(request: UpstreamRequest): Call {
    const { method, url, token } = request;
    const path = pathOf(url);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (token !== undefined) headers.Authorization = `Bearer ${token}`;
    if (request.requestId !== undefined) headers['X-Request-Id'] = request.requestId;
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    return {
      method,
      url,
      path,
      headers,
      resource: resourceOf(path),
      deadline: Math.min(Date.now() + options.timeoutMs, request.deadline ?? Infinity),
      body: request.form ?? (request.body === undefined ? undefined : JSON.stringify(request.body)),
      tokenHash: request.tokenHash ?? hashToken(token ?? ''),
      requestId: request.requestId,
      onCall: request.onCall,
    };
  }

  async function attempts(call: Call, span: Span): Promise<Answer> {
    const judged: Judged = { admissions: null, ok: false };
    retryBudget.deposit();
    try {
      for (let attempt = 0; ; attempt++) {
        span.setAttribute('viewneo.attempts', attempt + 1);
        const outcome = await attemptOnce(call, attempt, judged);
        if ('error' in outcome) {
          const { answer, repeatable } = classifyFailure(outcome.error, call.method, call.path);
          if (repeatable && (await pause(attempt, null, call.deadline))) continue;
          // One warning per call that failed for good; an attempt a retry saved is a debug line.
          if (outcome.sent)
            logger.warn(
              { requestId: call.requestId, method: call.method, path: call.path, attempts: attempt + 1, code: errorCode(outcome.error) },
              'viewneo call failed',
            );
          throw answer;
        }
        const { response } = outcome;
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
        const retryable = call.method === 'GET' && RETRYABLE_STATUS.has(response.status);
        if (retryable && (await pause(attempt, retryAfter, call.deadline, response))) continue;
        return { status: response.status, json: await readJson(response, call.method, call.path), retryAfter };
      }
    } finally {
      // Judged once, after the retries: a read a retry saved is a success, not a failure.
      if (judged.admissions !== null) circuits.record(call.tokenHash, judged.ok, judged.admissions);
    }
  }

  /**
   * One attempt through the token's throttle and, for the first, the circuits' admission. Notes
   * its outcome in `judged`, the metrics and the log, and answers the response or the error it
   * failed with.
   */
  async function attemptOnce(
    call: Call,
    attempt: number,
    judged: Judged,
  ): Promise<{ response: UpstreamResponse } | { error: unknown; sent: boolean }> {
    const { method, url, path, headers, resource, deadline, body, tokenHash, requestId } = call;
    const started = performance.now();
    let ended: ((status: number | 'error' | 'timeout') => void) | undefined;
    let sent = false;
    let response: UpstreamResponse;
    try {
      response = await throttle.run(tokenHash, deadline, async () => {
        if (judged.admissions === null) {
          const entered = circuits.enter(tokenHash);
          if ('scope' in entered) throw new CircuitOpenError(entered);
          judged.admissions = entered;
        }
        sent = true;
        ended = options.observe?.(method, resource);
        call.onCall?.();
        const answer = await options.fetch(url, { method, headers, body, timeoutMs: Math.max(deadline - Date.now(), 1) });
        // Learnt before the token's next call may start.
        throttle.observe(tokenHash, answer.status, answer.headers);
        return answer;
      });
    } catch (error) {
      // Refused before it went out: nothing to record.
      if (!sent) return { error, sent };
      judged.ok = false;
      const timedOut = isTimeout(error);
      ended?.(timedOut ? 'timeout' : 'error');
      logger.debug({ requestId, method, path, attempt, timedOut, code: errorCode(error) }, 'viewneo attempt failed');
      return { error, sent };
    }
    ended?.(response.status);
    judged.ok = response.status < 500;
    // Checked first: the line's fields would be built for nothing on every call.
    if (logger.isLevelEnabled('debug'))
      logger.debug(
        { requestId, method, path, status: response.status, ms: Math.round(performance.now() - started), attempt },
        'viewneo call',
      );
    return { response };
  }

  /**
   * Waits before the next attempt and answers true, or answers false at once when no attempt
   * is left or the wait would not leave time for one.
   */
  async function pause(attempt: number, retryAfter: number | null, deadline: number, response?: UpstreamResponse): Promise<boolean> {
    if (attempt >= options.retries) return false;
    // Full jitter spreads out the retries of many requests that failed together.
    const backoff = Math.random() * 50 * 2 ** attempt;
    const wait = retryAfter === null ? backoff : retryAfter * 1000;
    if (wait > options.retryAfterCapMs || Date.now() + wait + 50 >= deadline) return false;
    if (!retryBudget.withdraw()) return false;
    await response?.cancel();
    await sleep(wait);
    return true;
  }
}

async function readJson(response: UpstreamResponse, method: string, path: string): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (isTimeout(error)) throw gatewayError('UPSTREAM_TIMEOUT', `viewneo did not finish its answer to ${method} ${path} in time`);
    throw gatewayError('UPSTREAM_ERROR', `viewneo's answer to ${method} ${path} broke off`);
  }
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    if (response.status < 200 || response.status > 299) return null;
    throw gatewayError('UPSTREAM_ERROR', `viewneo answered ${method} ${path} with a body that is not JSON`);
  }
}

class CircuitOpenError extends Error {
  constructor(readonly circuit: OpenCircuit) {
    super(`the ${circuit.scope} circuit is open`);
  }
}

/** How a call is judged by the circuits: its admissions (once its first attempt went out) and its last attempt's outcome. */
interface Judged {
  admissions: Admissions | null;
  ok: boolean;
}

/** A request as the attempts send it. */
interface Call {
  readonly method: string;
  readonly url: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  /** The path with ids replaced (a bounded label). */
  readonly resource: string;
  /** Epoch ms by which every attempt must be over. */
  readonly deadline: number;
  readonly body: string | FormData | undefined;
  readonly tokenHash: string;
  readonly requestId: string | undefined;
  readonly onCall: (() => void) | undefined;
}

/**
 * The gateway's error for an attempt that got no answer, and whether another attempt may fix
 * it: a read, or a write that provably never left this machine (connection refused); never a
 * timeout (the deadline is spent), an open circuit or a throttled token.
 */
function classifyFailure(error: unknown, method: string, path: string): { answer: GraphQLError; repeatable: boolean } {
  if (error instanceof CircuitOpenError) {
    const { scope, retryAfterSeconds: retryAfter } = error.circuit;
    const message =
      scope === 'host'
        ? `viewneo is failing; calls are paused for ${retryAfter} s`
        : `viewneo keeps failing for this token; its calls are paused for ${retryAfter} s`;
    return { answer: gatewayError('UPSTREAM_ERROR', message, { retryAfter }), repeatable: false };
  }
  if (error instanceof ThrottledError) return { answer: throttledAnswer(error), repeatable: false };
  if (isTimeout(error))
    return { answer: gatewayError('UPSTREAM_TIMEOUT', `viewneo did not answer ${method} ${path} in time`), repeatable: false };
  const code = errorCode(error);
  return {
    answer: gatewayError('UPSTREAM_ERROR', `viewneo could not be reached for ${method} ${path}`),
    repeatable: method === 'GET' || (code !== undefined && NOT_SENT.has(code)),
  };
}

/** RATE_LIMITED for a call the token's limit has no room for: whose limit it is, how high, and when to retry. */
function throttledAnswer({ retryAfterSeconds: retryAfter, limit }: ThrottledError): GraphQLError {
  const after = `retry after ${retryAfter} s`;
  if (limit === null) {
    return gatewayError('RATE_LIMITED', `viewneo answered 429 for this token and asked to wait past the deadline: ${after}`, {
      retryAfter,
      limitSource: 'VIEWNEO',
    });
  }
  const whose = {
    VIEWNEO: `viewneo's announced limit of ${limit.limit} calls a minute for this token`,
    ASSUMED: `the gateway's assumed limit of ${limit.limit} calls a minute (UPSTREAM_RATE_PER_MINUTE; viewneo has not announced this token's yet)`,
    CAP: `the gateway's cap of ${limit.limit} calls a minute (UPSTREAM_RATE_CAP${limit.announced === null ? '' : `; viewneo announces ${limit.announced}`})`,
  }[limit.limitSource];
  return gatewayError('RATE_LIMITED', `${whose} leaves no room before the deadline: ${after}`, {
    retryAfter,
    limit: limit.limit,
    limitSource: limit.limitSource,
  });
}

const isTimeout = (error: unknown) => error instanceof DOMException && error.name === 'TimeoutError';

// fetch wraps socket errors in `cause`; undici's `request` throws them as they are.
function errorCode(error: unknown): string | undefined {
  const { code, cause } = error as { code?: unknown; cause?: { code?: unknown } };
  if (typeof code === 'string') return code;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

/** Seconds from a `Retry-After` header (delta-seconds or an HTTP date); null when absent or unreadable. */
function parseRetryAfter(value: string | null): number | null {
  if (value === null || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
