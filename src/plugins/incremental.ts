import type { ExecutionResult, GraphQLError } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';

/** One payload of an incremental answer (`@defer`, `@stream`), as Yoga's executor sends it. */
interface Payload {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLError[];
  incremental?: readonly {
    data?: Record<string, unknown>;
    items?: unknown[];
    path: readonly (string | number)[];
    errors?: readonly GraphQLError[];
  }[];
  hasNext?: boolean;
}

/**
 * Builds the whole result of an incremental answer, payload by payload: the first payload's data,
 * each deferred fragment's data merged in at its path, each streamed item put at its index, errors
 * gathered.
 */
export class WholeResult {
  private data: Record<string, unknown> | null | undefined;
  private readonly errors: GraphQLError[] = [];

  /** Takes the next payload (an ExecutionResult or an incremental one). */
  add(next: unknown): void {
    const payload = next as Payload;
    if (payload.data !== undefined) this.data = payload.data;
    this.errors.push(...(payload.errors ?? []));
    for (const increment of payload.incremental ?? []) {
      this.errors.push(...(increment.errors ?? []));
      if (increment.data !== undefined) merge(at(this.data, increment.path), increment.data);
      if (increment.items !== undefined) {
        const index = increment.path.at(-1);
        const list = at(this.data, increment.path.slice(0, -1));
        if (Array.isArray(list) && typeof index === 'number') list.splice(index, increment.items.length, ...increment.items);
      }
    }
  }

  /** The result as one answer would have held it. */
  get result(): ExecutionResult {
    return this.errors.length > 0 ? { data: this.data ?? null, errors: this.errors } : { data: this.data ?? null };
  }
}

function at(data: unknown, path: readonly (string | number)[]): unknown {
  let node = data;
  for (const key of path) node = (node as Record<string | number, unknown> | null | undefined)?.[key];
  return node;
}

function merge(target: unknown, source: Record<string, unknown>): void {
  if (target === null || typeof target !== 'object') return;
  const into = target as Record<string, unknown>;
  for (const [key, value] of Object.entries(source)) {
    const existing = into[key];
    if (existing !== null && typeof existing === 'object' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      merge(existing, value as Record<string, unknown>);
    } else into[key] = value;
  }
}

const INCREMENTAL_TYPES = /multipart\/mixed|text\/event-stream/;

/**
 * Answers `@defer` and `@stream` whole to a client that accepts neither multipart/mixed nor
 * text/event-stream (a plain JSON client): the increments are gathered into one result instead of a
 * 406. Subscriptions are not touched (they are never whole).
 */
export function useWholeForJsonClients(): Plugin {
  return {
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      if (INCREMENTAL_TYPES.test(request?.headers.get('accept') ?? '')) return;
      return {
        async onExecuteDone({ result, setResult }) {
          if (!isAsyncIterable(result)) return;
          const whole = new WholeResult();
          for await (const payload of result) whole.add(payload);
          setResult(whole.result);
        },
      };
    },
  };
}
