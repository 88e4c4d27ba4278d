// The soak's load: closed-loop workers that read (the benchmark's queries), write (playlist and
// entry mutations, each create followed by its delete so that the data keeps its size), upload
// (the GraphQL multipart request) and hold subscriptions open over SSE. Every exchange is handed
// to `Load.record` with its outcome.
import { setTimeout as sleep } from 'node:timers/promises';
import { QUERIES } from '../queries.js';

/** How one exchange (a request, or a subscription's stream) ended. */
export interface Outcome {
  /** The HTTP status, or how the exchange failed before a complete answer. */
  readonly http: number | 'network error' | 'client timeout';
  /** The distinct `extensions.code`s of its errors, sorted ('NO_CODE': an error without one); empty: none. */
  readonly codes: readonly string[];
  /** The first error's message, cut short (for the report's samples). */
  readonly message?: string;
}

/** What the load needs from the soak. */
export interface Load {
  /** The gateway's `/graphql` URL. */
  readonly endpoint: string;
  /** Aborted when the load must end: workers start nothing new and close their streams. */
  readonly stop: AbortSignal;
  /** Seeded random numbers in [0, 1). */
  random(): number;
  /** Takes one finished exchange: its operation, start (epoch ms), duration (ms) and outcome. */
  record(op: string, startedAt: number, ms: number, outcome: Outcome): void;
}

/** The codes with which the gateway passes on viewneo's failing (not a fault of the gateway). */
export const UPSTREAM_FAILURE_CODES: ReadonlySet<string> = new Set(['UPSTREAM_ERROR', 'UPSTREAM_TIMEOUT', 'RATE_LIMITED']);

/** The operation a subscription's whole stream is recorded under (its `ms`: how long it was held, not a latency). */
export const STREAM_OP = 'subscription stream';

/** The operation the delay from a rename's start to a subscriber hearing of it is recorded under. */
export const EVENT_DELAY_OP = 'event delay';

const CLIENT_TIMEOUT_MS = 40_000;
const MESSAGE_CHARS = 200;

/** A short, stable label of an outcome: `ok`, `UPSTREAM_ERROR`, `HTTP 500 INTERNAL_SERVER_ERROR`, `network error`, … */
export function outcomeKey(outcome: Outcome): string {
  if (typeof outcome.http === 'string') return outcome.http;
  const codes = outcome.codes.join('+');
  if (outcome.http === 200) return codes || 'ok';
  return codes ? `HTTP ${outcome.http} ${codes}` : `HTTP ${outcome.http}`;
}

/** The code with which the gateway sheds load (503 with Retry-After) while its event loop lags. */
export const SHED_CODE = 'OVERLOADED';

/** Whether an outcome is a success. */
export function isOk(outcome: Outcome): boolean {
  return outcome.http === 200 && outcome.codes.length === 0;
}

/** Whether the gateway shed the request on purpose (503 OVERLOADED, before doing any work for it). */
export function isShed(outcome: Outcome): boolean {
  return outcome.http === 503 && outcome.codes.length === 1 && outcome.codes[0] === SHED_CODE;
}

/**
 * Whether an outcome points at the gateway rather than at viewneo: no answer at all, an HTTP
 * status other than 200 (except a deliberate 503: shed, or with an upstream-failure code), or an
 * error code other than the upstream-failure codes (INTERNAL_SERVER_ERROR, NO_CODE, BAD_USER_INPUT, …).
 */
export function isUnexpected(outcome: Outcome): boolean {
  if (typeof outcome.http === 'string') return true;
  if (isShed(outcome)) return false;
  const codesExpected = outcome.codes.every((code) => UPSTREAM_FAILURE_CODES.has(code));
  if (outcome.http === 503) return !codesExpected || outcome.codes.length === 0;
  return outcome.http !== 200 || !codesExpected;
}

/** The outcome of an answer with `status` and (parsed) `body`. */
function answerOutcome(status: number, body: unknown): Outcome {
  if (typeof body !== 'object' || body === null) return { http: status, codes: ['UNPARSABLE'] };
  const { data, errors } = body as { data?: unknown; errors?: { message?: string; extensions?: { code?: unknown } }[] };
  if (Array.isArray(errors) && errors.length > 0) {
    const codes = errors.map((e) => (typeof e.extensions?.code === 'string' ? e.extensions.code : 'NO_CODE'));
    return { http: status, codes: [...new Set(codes)].sort(), message: String(errors[0]?.message ?? '').slice(0, MESSAGE_CHARS) };
  }
  return data === null || data === undefined ? { http: status, codes: ['NO_DATA'] } : { http: status, codes: [] };
}

function failure(error: unknown): Outcome {
  const name = (error as { name?: string }).name;
  const cause = (error as { cause?: unknown }).cause;
  return {
    http: name === 'TimeoutError' ? 'client timeout' : 'network error',
    codes: [],
    message: String(cause ?? error).slice(0, MESSAGE_CHARS),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** POSTs `body` to the gateway with `token`, records the exchange as `op`, and answers its `data` when it succeeded. */
async function exchange(
  load: Load,
  op: string,
  token: string,
  body: string | FormData,
  headers: Record<string, string> = {},
): Promise<Record<string, any> | undefined> {
  const startedAt = Date.now();
  const started = performance.now();
  let outcome: Outcome;
  let data: Record<string, any> | undefined;
  try {
    const response = await fetch(load.endpoint, {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...headers },
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    const parsed = parseJson(await response.text());
    outcome = answerOutcome(response.status, parsed);
    data = (parsed as { data?: Record<string, any> } | undefined)?.data;
  } catch (error) {
    outcome = failure(error);
  }
  load.record(op, startedAt, performance.now() - started, outcome);
  return isOk(outcome) ? data : undefined;
}

function graphql(load: Load, op: string, token: string, query: string, variables: Record<string, unknown> = {}) {
  return exchange(load, op, token, JSON.stringify({ query, variables }), { 'content-type': 'application/json' });
}

async function pause(load: Load, ms: number): Promise<void> {
  await sleep(ms, undefined, { signal: load.stop }).catch(() => {});
}

/** Reads until the load stops: a random benchmark query (Q0..Q3) with a random one of `tokens`, then `pauseMs`. */
export async function reader(load: Load, tokens: readonly string[], pauseMs: number): Promise<void> {
  while (!load.stop.aborted) {
    const query = QUERIES[Math.floor(load.random() * QUERIES.length)]!;
    const token = tokens[Math.floor(load.random() * tokens.length)]!;
    await graphql(load, `read ${query.name}`, token, query.text);
    await pause(load, pauseMs);
  }
}

/**
 * The renames writers made, so that a subscriber can tell how long after a rename's start it
 * heard of it. Forgets a rename once heard, or after a minute.
 */
export class Renames {
  private readonly started = new Map<string, number>();

  /** Notes that `token` starts renaming `playlistId` to `name` now. */
  wrote(token: string, playlistId: number, name: string): void {
    const now = Date.now();
    for (const [key, at] of this.started) if (now - at > 60_000) this.started.delete(key);
    this.started.set(`${token} ${playlistId} ${name}`, now);
  }

  /** The start of the rename a subscriber heard of (and forgets it), or undefined if it is not one of the writers' or heard already. */
  heard(token: string, playlistId: number, name: string): number | undefined {
    const key = `${token} ${playlistId} ${name}`;
    const at = this.started.get(key);
    this.started.delete(key);
    return at;
  }
}

const RENAME = 'mutation Rename($id: ID!, $name: String!) { updatePlaylist(id: $id, input: { name: $name }) { id name } }';
const CREATE_PLAYLIST = 'mutation Create($name: String!) { createPlaylist(input: { name: $name }) { id } }';
const DELETE_PLAYLIST = 'mutation DropPlaylist($id: ID!) { deletePlaylist(id: $id) }';
const ADD_ENTRY =
  'mutation AddEntry($playlistId: ID!, $media: ID!) { addPlaylistEntry(playlistId: $playlistId, input: { mediaFileId: $media, duration: 5 }) { id } }';
const REMOVE_ENTRY = 'mutation RemoveEntry($id: ID!) { removePlaylistEntry(id: $id) }';
const UPLOAD = 'mutation Upload($file: File!) { uploadMediaFile(file: $file, name: "soak.png") { id } }';
const DELETE_MEDIA = 'mutation DropMedia($id: ID!) { deleteMediaFile(id: $id) }';
const CHANGED = 'subscription Changed($id: ID!) { playlistChanged(id: $id) { name } }';

/** A delete that has yet to succeed. */
interface Undo {
  readonly op: string;
  readonly query: string;
  readonly id: string;
}

/** Tries each undo once; answers those that failed again. */
async function undo(load: Load, token: string, undos: readonly Undo[]): Promise<Undo[]> {
  const left: Undo[] = [];
  for (const each of undos) if ((await graphql(load, each.op, token, each.query, { id: each.id })) === undefined) left.push(each);
  return left;
}

/** What a writer works on: the playlists it renames (the subscribed ones) and the one it adds entries to. */
export interface WriterPlan {
  readonly token: string;
  readonly renamed: readonly number[];
  readonly entriesOf: number;
  /** A media file (not a folder) of the account, for the entries. */
  readonly mediaFileId: number;
  readonly pauseMs: number;
}

/**
 * Writes until the load stops, in rounds of: rename one of `plan.renamed` (noted in `renames`),
 * create a playlist and delete it, add an entry and remove it, with `plan.pauseMs` after each. A
 * delete that fails is tried again at the next round's start, so that the data keeps its size.
 */
export async function writer(load: Load, plan: WriterPlan, renames: Renames): Promise<void> {
  let undos: Undo[] = [];
  for (let round = 0; !load.stop.aborted; round++) {
    undos = await undo(load, plan.token, undos);
    const playlistId = plan.renamed[round % plan.renamed.length]!;
    const name = `soak ${round}`;
    renames.wrote(plan.token, playlistId, name);
    await graphql(load, 'updatePlaylist', plan.token, RENAME, { id: String(playlistId), name });
    await pause(load, plan.pauseMs);
    const created = await graphql(load, 'createPlaylist', plan.token, CREATE_PLAYLIST, { name: `soak scratch ${round}` });
    if (created !== undefined)
      undos.push(...(await undo(load, plan.token, [{ op: 'deletePlaylist', query: DELETE_PLAYLIST, id: created.createPlaylist.id }])));
    await pause(load, plan.pauseMs);
    const entry = await graphql(load, 'addPlaylistEntry', plan.token, ADD_ENTRY, {
      playlistId: String(plan.entriesOf),
      media: String(plan.mediaFileId),
    });
    if (entry !== undefined)
      undos.push(...(await undo(load, plan.token, [{ op: 'removePlaylistEntry', query: REMOVE_ENTRY, id: entry.addPlaylistEntry.id }])));
    await pause(load, plan.pauseMs);
  }
  await undo(load, plan.token, undos);
}

/** Uploads a file of `bytes` bytes and deletes it again, until the load stops, `pauseMs` after each round. */
export async function uploader(load: Load, token: string, bytes: number, pauseMs: number): Promise<void> {
  const file = new Blob([new Uint8Array(bytes).fill(7)], { type: 'image/png' });
  let undos: Undo[] = [];
  while (!load.stop.aborted) {
    undos = await undo(load, token, undos);
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: UPLOAD, variables: { file: null } }));
    form.set('map', JSON.stringify({ 0: ['variables.file'] }));
    form.set('0', file, 'soak.png');
    // Yoga's CSRF prevention asks multipart requests for this header.
    const uploaded = await exchange(load, 'uploadMediaFile', token, form, { 'graphql-require-preflight': '1' });
    if (uploaded !== undefined)
      undos.push(...(await undo(load, token, [{ op: 'deleteMediaFile', query: DELETE_MEDIA, id: uploaded.uploadMediaFile.id }])));
    await pause(load, pauseMs);
  }
  await undo(load, token, undos);
}

/** One subscriber: `token` watching `playlistId`, each stream held for a random time in `holdMs`. */
export interface SubscriberPlan {
  readonly token: string;
  readonly playlistId: number;
  readonly holdMs: readonly [number, number];
}

/**
 * Until the load stops: opens `subscription { playlistChanged }` over SSE, holds it for a random
 * time in `plan.holdMs` (recording each event's delay after its rename as {@link EVENT_DELAY_OP}),
 * closes it and opens the next. Records `subscribe` (until the response headers) and
 * {@link STREAM_OP} (at the stream's end, with its errors; `ENDED_BY_SERVER` when the gateway
 * completed it, `network error` when the connection broke).
 */
export async function subscriber(load: Load, plan: SubscriberPlan, renames: Renames): Promise<void> {
  while (!load.stop.aborted) {
    const [min, max] = plan.holdMs;
    await subscription(load, plan, min + load.random() * (max - min), renames);
    await pause(load, 100);
  }
}

async function subscription(load: Load, plan: SubscriberPlan, holdMs: number, renames: Renames): Promise<void> {
  const closing = new AbortController();
  const hold = setTimeout(() => closing.abort(), holdMs);
  const stop = () => closing.abort();
  load.stop.addEventListener('abort', stop, { once: true });
  const startedAt = Date.now();
  const started = performance.now();
  try {
    let response: Response;
    try {
      response = await fetch(load.endpoint, {
        method: 'POST',
        body: JSON.stringify({ query: CHANGED, variables: { id: String(plan.playlistId) } }),
        headers: { authorization: `Bearer ${plan.token}`, accept: 'text/event-stream', 'content-type': 'application/json' },
        signal: AbortSignal.any([closing.signal, AbortSignal.timeout(CLIENT_TIMEOUT_MS)]),
      });
    } catch (error) {
      if (!closing.signal.aborted) load.record('subscribe', startedAt, performance.now() - started, failure(error));
      return;
    }
    if (response.status !== 200 || !(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      load.record('subscribe', startedAt, performance.now() - started, answerOutcome(response.status, parseJson(await response.text())));
      return;
    }
    load.record('subscribe', startedAt, performance.now() - started, { http: 200, codes: [] });
    const outcome = await stream(response, closing.signal, (name) => {
      const renamedAt = renames.heard(plan.token, plan.playlistId, name);
      if (renamedAt !== undefined) load.record(EVENT_DELAY_OP, renamedAt, Date.now() - renamedAt, { http: 200, codes: [] });
    });
    // Recorded when it ended, so that a stream counts in the phase it failed in, not the one it opened in.
    load.record(STREAM_OP, Date.now(), performance.now() - started, outcome);
  } finally {
    clearTimeout(hold);
    load.stop.removeEventListener('abort', stop);
  }
}

/** Reads an SSE response until `closed` aborts (ok), the server completes it or the connection breaks; calls `onName` per event. */
async function stream(response: Response, closed: AbortSignal, onName: (name: string) => void): Promise<Outcome> {
  const decoder = new TextDecoder();
  let buffered = '';
  let errors: Outcome | undefined;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffered += decoder.decode(chunk, { stream: true });
      let end = buffered.indexOf('\n\n');
      while (end >= 0) {
        const block = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        end = buffered.indexOf('\n\n');
        const event = /^event: ?(.*)$/m.exec(block)?.[1];
        const data = [...block.matchAll(/^data: ?(.*)$/gm)].map((m) => m[1]).join('\n');
        if (event === 'complete') return errors ?? { http: 200, codes: ['ENDED_BY_SERVER'] };
        if (event !== 'next') continue;
        const result = answerOutcome(200, parseJson(data));
        if (!isOk(result)) errors ??= result;
        else onName(String((parseJson(data) as { data: { playlistChanged: { name: string } } }).data.playlistChanged.name));
      }
    }
  } catch (error) {
    if (closed.aborted) return errors ?? { http: 200, codes: [] };
    return errors ?? failure(error);
  }
  return errors ?? (closed.aborted ? { http: 200, codes: [] } : { http: 'network error', codes: [], message: 'stream closed' });
}
