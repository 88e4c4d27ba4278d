import { type DocumentNode, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.js';
import type { ReadAheadHints } from '../session/read-ahead.js';

// Longer variables are not worth a key: such operations are not read ahead.
const MAX_VARIABLES_LENGTH = 1024;

/**
 * Reads ahead what the last run of the same query (document, operation and variables) by the
 * same token needed after its first round (see session/read-ahead.ts), and remembers what this
 * run needed. Registered after the result cache and the cost limits: an answer from the cache,
 * or a refused operation, reads nothing.
 */
export function useReadAhead(hints: ReadAheadHints): Plugin<Context> {
  // Parsed documents are cached, so a document object stands for its text.
  const documents = new WeakMap<DocumentNode, number>();
  let nextDocument = 0;
  const operationKey = (document: DocumentNode, operationName: string | null | undefined, variables: unknown): string | null => {
    const vars = variables === undefined || variables === null ? '' : JSON.stringify(variables);
    if (vars.length > MAX_VARIABLES_LENGTH) return null;
    let id = documents.get(document);
    if (id === undefined) {
      id = nextDocument++;
      documents.set(document, id);
    }
    return `${id}:${operationName ?? ''}:${vars}`;
  };
  return {
    onExecute({ args }) {
      const ctx = args.contextValue as Context;
      const { tokenHash } = ctx;
      if (tokenHash === null || getOperationAST(args.document, args.operationName)?.operation !== 'query') return;
      const key = operationKey(args.document, args.operationName, args.variableValues);
      if (key === null) return;
      ctx.viewneo.readAhead(hints.get(tokenHash, key));
      return {
        onExecuteDone() {
          hints.learn(tokenHash, key, ctx.viewneo.plannedLists());
        },
      };
    },
  };
}
