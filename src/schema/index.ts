import { printSubgraphSchema } from '@apollo/subgraph';
import { type GraphQLSchema, isObjectType, isUnionType, printSchema } from 'graphql';
import { gatewayError } from '../errors.js';
import { builder } from './builder.js';
import { encodeGlobalId, REPRESENTATIONS } from './ids.js';
import './scalars.js';
import './playlist.js';
import './playlist-entry.js';
import './playing-now.js';
import './ordering.js';
import './website.js';
import './media-file.js';
import './media-file-mutations.js';
import './template.js';
import './timeline-item.js';
import './auth.js';
import './subscriptions.js';

/**
 * Pothos's relay plugin resolves every node's `id` through an async function, which makes each
 * object's completion wait for a promise: the `id` of each node type resolves here to its global
 * id at once, from the type's own `id.resolve` (plain values in every type of this schema).
 */
function withPlainNodeIds(built: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(built.getTypeMap())) {
    if (!isObjectType(type) || !type.getInterfaces().some((i) => i.name === 'Node')) continue;
    const local = (builder.configStore.getTypeConfig(type.name).pothosOptions as { id?: { resolve?: LocalId } }).id?.resolve;
    const field = type.getFields().id;
    if (local === undefined || field === undefined) throw new Error(`Expected node type ${type.name} to have an id resolver, got none`);
    field.resolve = (parent, args, ctx, info) => {
      const id = local(parent, args, ctx, info);
      if (typeof id !== 'string' && typeof id !== 'number' && typeof id !== 'bigint') {
        throw new Error(`Expected ${type.name}'s id to be a string or number, got ${typeof id}`);
      }
      return encodeGlobalId(type.name, id);
    };
  }
  return built;
}

type LocalId = (parent: unknown, args: unknown, ctx: unknown, info: unknown) => unknown;

/** The gateway's executable GraphQL schema. */
export const schema = withPlainNodeIds(builder.toSchema());

/** The schema as SDL, in declaration order, as committed in `schema.graphql`. */
export function printGatewaySchema(): string {
  return `${printSchema(schema)}\n`;
}

/** The Federation version the subgraph SDL links to. */
const FEDERATION_LINK = 'https://specs.apollo.dev/federation/v2.6';

let subgraph: GraphQLSchema | undefined;

/**
 * The schema of the Apollo Federation 2 subgraph (FEDERATION=true): the public schema with the
 * entities' `@key`s, `@shareable` connection types, `_service` and `_entities`. Built on first use.
 */
export function subgraphSchema(): GraphQLSchema {
  subgraph ??= checkingRepresentations(withPlainNodeIds(builder.toSubGraphSchema({ linkUrl: FEDERATION_LINK })));
  return subgraph;
}

/** The subgraph SDL, as `{ _service { sdl } }` answers it and as committed in `schema.subgraph.graphql`. */
export function printSubgraphSdl(): string {
  return `${printSubgraphSchema(subgraphSchema())}\n`;
}

/**
 * Makes `_entities` refuse, before anything is loaded, a representation that is no object naming
 * one of the subgraph's entities (BAD_USER_INPUT naming `representations`), where
 * @apollo/subgraph would fail with an unexpected (masked) error.
 */
function checkingRepresentations(schema: GraphQLSchema): GraphQLSchema {
  const entities = schema.getQueryType()?.getFields()._entities;
  const union = schema.getType('_Entity');
  const resolve = entities?.resolve;
  if (entities === undefined || resolve === undefined || !isUnionType(union))
    throw new Error('Expected a subgraph schema with Query._entities, got none');
  const names: readonly string[] = union.getTypes().map((type) => type.name);
  entities.resolve = (source, args: { representations: unknown[] }, ctx, info) => {
    for (const representation of args.representations) {
      const typename = (representation as { __typename?: unknown } | null)?.__typename;
      if (typeof typename !== 'string' || !names.includes(typename)) {
        throw gatewayError(
          'BAD_USER_INPUT',
          `Expected each representation to be an object with a __typename of ${names.join(', ')}, got ${JSON.stringify(representation)?.slice(0, 100)}`,
          { argument: REPRESENTATIONS },
        );
      }
    }
    return resolve(source, args, ctx, info);
  };
  return schema;
}
