import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import type { GraphQLError } from 'graphql';
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

/**
 * The gateway's defences against hostile or broken requests: body size limits, graphql-armor
 * (depth, aliases, tokens, directives; field suggestions hidden in production),
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
      maxTokens: { n: limits.tokens, ...reject },
      // The cost of an operation is estimated with its list sizes in cost.ts.
      costLimit: { enabled: false },
      maxDirectives: { n: limits.directives, ...reject },
      blockFieldSuggestion: { enabled: config.production },
    }) as Plugin,
    ...(config.introspection ? [] : [useDisableIntrospection() as Plugin]),
  ];
}
