import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import { useBodyLimit } from './body-limit.js';

/** Headers a cross-site form cannot set; a browser request without a token must carry one of them. */
export const CSRF_HEADERS = ['x-graphql-yoga-csrf', 'graphql-require-preflight', 'apollo-require-preflight'];

const REJECTED = { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } };

/**
 * CSRF prevention where it matters. A browser may send a GET or a multipart or text/plain POST
 * cross-site without a preflight, with its ambient credentials (the refresh cookie): such a
 * request must carry a header a cross-site form cannot set. A request with an `Authorization`
 * header cannot be forged that way (the header itself needs a CORS preflight), and carries no
 * ambient credential the gateway trusts: clients that send GET with their token (urql, GraphiQL's
 * subscriptions over SSE) need no extra header.
 */
function useCsrfPreventionWithoutAuthorization(): Plugin {
  const csrf = useCSRFPrevention({ requestHeaders: CSRF_HEADERS });
  return {
    onRequestParse(payload) {
      if (payload.request.headers.has('authorization')) return;
      return csrf.onRequestParse?.(payload);
    },
  };
}

// What graphql-js says when a document has more tokens than `parse`'s `maxTokens`.
const TOO_MANY_TOKENS = /^Syntax Error: Document contains more that \d+ tokens/;

/**
 * Refuses a document of more than `maxTokens` tokens while it is parsed, with
 * GRAPHQL_VALIDATION_FAILED as the other limits. graphql-js counts them itself and stops at the
 * limit (graphql-armor's own count wraps every lexer step in a proxy, a fifth of a one-off
 * document's parse).
 */
function useTokenLimit(maxTokens: number): Plugin {
  return {
    onParse({ parseFn, setParseFn }) {
      setParseFn((source, options) => {
        try {
          return parseFn(source, { ...options, maxTokens });
        } catch (error) {
          if (!(error instanceof GraphQLError && TOO_MANY_TOKENS.test(error.message))) throw error;
          throw new GraphQLError(`Expected a document of at most ${maxTokens} tokens, got more`, {
            extensions: { ...REJECTED, maxTokens },
          });
        }
      });
    },
  };
}

/**
 * The gateway's defences against hostile or broken requests: body size limits, graphql-armor
 * (depth, aliases, directives; field suggestions hidden in production), a token limit,
 * CSRF prevention for browsers, and introspection when configured off.
 */
export function securityPlugins(config: Config): Plugin[] {
  const { limits } = config;
  // armor's rejections carry no code and would answer 200: make them validation failures (400).
  const reject = { onReject: [(_ctx: unknown, error: GraphQLError) => Object.assign(error.extensions, REJECTED)] };
  return [
    useBodyLimit(config.maxBodyBytes, config.maxUploadBytes),
    useCsrfPreventionWithoutAuthorization(),
    EnvelopArmorPlugin({
      maxDepth: { n: limits.depth, ignoreIntrospection: true, ...reject },
      maxAliases: { n: limits.aliases, ...reject },
      maxTokens: { enabled: false },
      // The cost of an operation is estimated with its list sizes in cost.ts.
      costLimit: { enabled: false },
      maxDirectives: { n: limits.directives, ...reject },
      blockFieldSuggestion: { enabled: config.production },
    }) as Plugin,
    useTokenLimit(limits.tokens),
    ...(config.introspection ? [] : [useDisableIntrospection() as Plugin]),
  ];
}
