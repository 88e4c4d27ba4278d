import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.js';

/**
 * Says in the response `extensions.staleReads` which reads were answered from expired cache
 * entries because viewneo failed (stale-if-error), and how old they were.
 */
export function useStaleReads(): Plugin<Context> {
  return {
    onExecute() {
      return {
        onExecuteDone({ args, result, setResult }) {
          const stale = (args.contextValue as Context).staleReads;
          if (stale.length === 0 || !('data' in result)) return;
          setResult({ ...result, extensions: { ...result.extensions, staleReads: stale } });
        },
      };
    },
  };
}
