import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { operationKey } from '../cache/operation-key.js';
import type { ReadAheadHints } from '../cache/read-ahead.js';
import type { Context } from '../context.js';

/**
 * Reads ahead what the last run of the same query (document, operation and variables) by the
 * same token needed after its first round (see cache/read-ahead.ts), and remembers what this
 * run needed. Registered after the result cache and the cost limits: an answer from the cache,
 * or a refused operation, reads nothing.
 */
export function useReadAhead(hints: ReadAheadHints): Plugin<Context> {
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
