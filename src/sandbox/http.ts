import type { IncomingMessage, ServerResponse } from 'node:http';

/** Where the viewneo REST API lives on the host. */
export const API_PREFIX = '/api/v1.0';

/** What a handler answers: a status, a JSON body (none when undefined) and extra headers. */
export interface Answer {
  status: number;
  body?: unknown;
  /** The body already serialised as JSON; sent instead of `body` when set. */
  json?: string;
  /** An HTML page, sent as `text/html` instead of a JSON body when set. */
  html?: string;
  headers?: Record<string, string>;
}

/** Writes an answer: the HTML page, or the body as JSON with `Content-Type: application/json`, or no body at all. */
export function send(res: ServerResponse, answer: Answer): void {
  const headers: Record<string, string | number> = { ...answer.headers };
  if (answer.html !== undefined) {
    headers['Content-Type'] = 'text/html; charset=utf-8';
    headers['Content-Length'] = Buffer.byteLength(answer.html);
    res.writeHead(answer.status, headers).end(answer.html);
    return;
  }
  if (answer.body === undefined && answer.json === undefined) {
    res.writeHead(answer.status, headers).end();
    return;
  }
  const text = answer.json ?? JSON.stringify(answer.body);
  headers['Content-Type'] = 'application/json';
  headers['Content-Length'] = Buffer.byteLength(text);
  res.writeHead(answer.status, headers).end(text);
}

/** Writes a raw text body with the given headers (lower-cased names win over defaults). */
export function sendRaw(res: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name.toLowerCase(), value);
  res.setHeader('content-length', Buffer.byteLength(body));
  res.writeHead(status).end(body);
}

/** Reads the whole request body as UTF-8 text ("" when there is none). */
export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBytes(req)).toString('utf8');
}

/** Reads the whole request body as bytes. */
export async function readBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The body as parsed JSON, or the raw text when it is not JSON, or undefined when empty. */
export function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Whether a value is a plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON 404 in the framework's words for a path that no route serves. */
export function routeNotFound(pathname: string): Answer {
  return { status: 404, body: { message: `The route ${pathname.replace(/^\//, '')} could not be found.` } };
}

/** A JSON 405 in the framework's words, with the methods the route does support. */
export function methodNotAllowed(method: string, allowed: string[]): Answer {
  const list = allowed.join(', ');
  return {
    status: 405,
    body: { message: `The ${method} method is not supported for this route. Supported methods: ${list}.` },
    headers: { Allow: list },
  };
}

/** Laravel's 404 for a model the account does not have (`findOrFail`). */
export function notFound(model: string, id: string): Answer {
  return { status: 404, body: { message: `No query results for model [App\\${model}] ${id}.` } };
}
