import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.js';
import type { BudgetSnapshot } from '../viewneo/transport/budget.js';

/**
 * Says in `extensions.upstreamBudget { limit, remaining, resetAt }` what the caller's token has
 * left of its viewneo budget, on every response that made upstream calls, so that a frontend can
 * slow down before it is refused. Registered after the result cache: a cached result never
 * carries an old budget.
 */
export function useUpstreamBudget(budget: (tokenHash: string) => BudgetSnapshot | null): Plugin<Context> {
  return {
    onExecute() {
      return {
        onExecuteDone({ args, result, setResult }) {
          const ctx = args.contextValue as Context;
          if (ctx.upstream.calls === 0 || ctx.tokenHash === null || !('data' in result || 'errors' in result)) return;
          const upstreamBudget = budget(ctx.tokenHash);
          if (upstreamBudget !== null) setResult({ ...result, extensions: { ...result.extensions, upstreamBudget } });
        },
      };
    },
  };
}
