import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import { useBodyLimit } from './body-limit.js';

/**
 * The gateway's defences against hostile or broken requests: body size limits, graphql-armor
 * (depth, aliases, tokens, cost, directives; field suggestions hidden in production),
 * CSRF prevention for browsers, and introspection when configured off.
 */
export function securityPlugins(config: Config): Plugin[] {
  const { limits } = config;
  return [
    useBodyLimit(config.maxBodyBytes, config.maxUploadBytes),
    // A browser may send GET and multipart POST without a preflight: those must carry a header
    // a cross-site form cannot set.
    useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf', 'graphql-require-preflight', 'apollo-require-preflight'] }),
    EnvelopArmorPlugin({
      maxDepth: { n: limits.depth, ignoreIntrospection: true },
      maxAliases: { n: limits.aliases },
      maxTokens: { n: limits.tokens },
      costLimit: { maxCost: limits.cost, ignoreIntrospection: true },
      maxDirectives: { n: limits.directives },
      blockFieldSuggestion: { enabled: config.production },
    }) as Plugin,
    ...(config.introspection ? [] : [useDisableIntrospection() as Plugin]),
  ];
}
