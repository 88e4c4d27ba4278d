import type { ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { gatewayError } from '../errors.js';

/** A result with its JSON text already made: Yoga's result processors send `stringify(result)`. */
export type Serialized = ExecutionResult & { stringify: (result: unknown) => string };

/**
 * `json` as a result Yoga sends without serialising it again. `data` is parsed only if something
 * reads it; a plugin that builds a new result from this one gets a plain JSON.stringify of it.
 */
export function preSerialized(json: string): Serialized {
  const result: Serialized = {
    get data() {
      return (JSON.parse(json) as ExecutionResult).data;
    },
    stringify: (value: unknown) => (value === result ? json : JSON.stringify(value)),
  };
  return result;
}

/** The JSON text of a result, made once: the text a pre-serialised result carries, else JSON.stringify. */
export function serialize(result: ExecutionResult): string {
  const { stringify } = result as Partial<Serialized>;
  return stringify === undefined ? JSON.stringify(result) : stringify(result);
}

/**
 * Bounds the size of an answer: a result whose JSON is over `maxBytes` is replaced by a
 * RESPONSE_TOO_LARGE error naming the size and the limit. The JSON made to measure a result
 * without errors is the one sent, so the check costs no second serialisation.
 * Streamed results (`@defer`, subscriptions) are not measured here.
 */
export function useResponseSizeLimit(maxBytes: number): Plugin {
  return {
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if (isAsyncIterable(result)) return;
          const json = serialize(result);
          // Bytes are at least the characters and at most three per character (UTF-16 to UTF-8).
          const bytes = json.length * 3 <= maxBytes ? json.length : Buffer.byteLength(json);
          // With errors, the result stays as it is: Yoga masks them and sets the status from them.
          if (bytes <= maxBytes) return result.errors === undefined ? setResult(preSerialized(json)) : undefined;
          setResult({
            errors: [
              gatewayError('RESPONSE_TOO_LARGE', `Expected an answer of at most ${maxBytes} bytes, got ${bytes}; ask for fewer items`, {
                bytes,
                maxBytes,
              }),
            ],
          });
        },
      };
    },
  };
}
