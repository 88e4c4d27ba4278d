import type { DocumentNode } from 'graphql';
import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  isAbstractType,
  isCompositeType,
  isListType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  valueFromAST,
} from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Context } from '../context.js';
import { gatewayError } from '../errors.js';
import { TIMELINE_DEFAULT_LIMIT, TIMELINE_MAX_LIMIT } from '../resolvers/playback.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../schema/connection.js';
import { ASSUMED_SIZE } from '../schema/list-size.js';
import { noFreeSlot, TokenSlots } from './token-slots.js';

// Lists no argument bounds and whose field states no assumed size (schema/list-size.ts).
const DEFAULT_LIST_SIZE = 10;

/**
 * The estimated cost of running `operationName` of `document` with `variables`: every object
 * an answer can hold counts 1 (leaves count 0), lists at the sizes their arguments ask for,
 * clamped to the bounds the resolvers enforce (`first`/`last` of a connection for its `edges`:
 * 20 when absent, at most 100; `timeline(limit)`: default 500, at most 5000; `nodes(ids)` and a
 * subgraph's `_entities(representations)`: as many as asked), other lists at the size their field
 * assumes (`assumedSize` in schema/list-size.ts, else 10). A field of a union or interface counts
 * its costliest concrete type. Introspection counts 0. Variables that do not coerce count their
 * defaults (the request fails on them anyway).
 */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): number {
  const operation = getOperationAST(document, operationName);
  if (operation === null || operation === undefined) return 0;
  const root = schema.getRootType(operation.operation);
  if (root === undefined || root === null) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === 'FragmentDefinition') fragments.set(definition.name.value, definition);
  }
  const estimator = new Estimator(schema, fragments, coercedVariables(schema, operation, variables ?? {}));
  return estimator.selections(operation.selectionSet, root, 1, DEFAULT_PAGE_SIZE);
}

function coercedVariables(schema: GraphQLSchema, operation: OperationDefinitionNode, raw: Record<string, unknown>) {
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], raw);
  return coerced.coerced ?? {};
}

class Estimator {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    private readonly variables: Record<string, unknown>,
  ) {}

  /** The cost of a selection set on `count` objects of `type`; `pageSize` is the enclosing connection's. */
  selections(set: SelectionSetNode, type: GraphQLCompositeType, count: number, pageSize: number): number {
    const concrete = isAbstractType(type) ? this.schema.getPossibleTypes(type) : [type as GraphQLObjectType];
    let most = 0;
    for (const object of concrete) {
      let cost = 0;
      for (const field of this.fieldsOn(set, object, new Set())) cost += this.field(field, object, count, pageSize);
      most = Math.max(most, cost);
      // Beyond any limit already: no need to look further.
      if (!Number.isFinite(most)) break;
    }
    return most;
  }

  /** The fields a selection set selects on `object`, fragments that apply to it expanded. */
  private *fieldsOn(set: SelectionSetNode, object: GraphQLObjectType, visited: Set<string>): Generator<FieldNode> {
    for (const selection of set.selections) {
      if (selection.kind === 'Field') yield selection;
      else if (selection.kind === 'InlineFragment') {
        if (this.applies(selection.typeCondition?.name.value, object)) yield* this.fieldsOn(selection.selectionSet, object, visited);
      } else {
        const name = selection.name.value;
        const fragment = this.fragments.get(name);
        // A fragment spread twice on one object selects the same fields: count them once.
        if (fragment === undefined || visited.has(name) || !this.applies(fragment.typeCondition.name.value, object)) continue;
        visited.add(name);
        yield* this.fieldsOn(fragment.selectionSet, object, visited);
      }
    }
  }

  private applies(condition: string | undefined, object: GraphQLObjectType): boolean {
    if (condition === undefined || condition === object.name) return true;
    const type = this.schema.getType(condition);
    return type !== undefined && isAbstractType(type) && this.schema.isSubType(type, object);
  }

  private field(node: FieldNode, parent: GraphQLObjectType, count: number, pageSize: number): number {
    const name = node.name.value;
    if (name.startsWith('__')) return 0;
    const field = parent.getFields()[name];
    if (field === undefined || node.selectionSet === undefined) return 0;
    const named = getNamedType(field.type);
    if (!isCompositeType(named)) return 0;
    const args = this.arguments(node, field);
    const items = count * (isListType(getNullableType(field.type)) ? this.listSize(parent, field, args, pageSize) : 1);
    return items + this.selections(node.selectionSet, named, items, this.pageSize(args));
  }

  private arguments(node: FieldNode, field: GraphQLField<unknown, unknown>): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const definition of field.args) {
      const given = node.arguments?.find((a) => a.name.value === definition.name);
      const value = given === undefined ? undefined : valueFromAST(given.value, definition.type, this.variables);
      values[definition.name] = value ?? definition.defaultValue;
    }
    return values;
  }

  private listSize(parent: GraphQLObjectType, field: GraphQLField<unknown, unknown>, args: Record<string, unknown>, pageSize: number) {
    if (field.name === 'edges' && parent.name.endsWith('Connection')) return pageSize;
    if (field.name === 'timeline') return clamp(args.limit, 1, TIMELINE_MAX_LIMIT, TIMELINE_DEFAULT_LIMIT);
    if (Array.isArray(args.ids)) return args.ids.length;
    // A router's `_entities`: one object per representation, each costing its type's selection.
    if (Array.isArray(args.representations)) return args.representations.length;
    const assumed = field.extensions[ASSUMED_SIZE];
    return typeof assumed === 'number' ? assumed : DEFAULT_LIST_SIZE;
  }

  /** The page size a connection field's `first` or `last` asks for. */
  private pageSize(args: Record<string, unknown>): number {
    const asked = typeof args.first === 'number' ? args.first : args.last;
    return clamp(asked, 0, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE);
  }
}

function clamp(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(Math.max(value, min), max) : fallback;
}

/** Settings of {@link useCostLimits}. */
export interface CostLimits {
  /** Operations estimated above this are refused before execution. */
  readonly maxCost: number;
  /** Operations estimated at or above this are expensive: a token runs only a few at once. */
  readonly expensiveCost: number;
  /** Expensive operations one token may run at once on this replica; more wait for a free slot. */
  readonly expensivePerToken: number;
}

/**
 * Refuses an operation whose {@link estimateCost} is over `maxCost` before it runs (queries,
 * mutations and subscriptions: COST_LIMIT_EXCEEDED, HTTP 400, with the estimate), and lets each
 * token run at most `expensivePerToken` expensive operations at once: the next waits until one
 * ends, and one that would wait past the request's deadline, or behind as many waiting ones, is
 * refused with TOO_MANY_REQUESTS (HTTP 429, Retry-After). Registered after the result cache: a
 * cached answer costs nothing to send again.
 */
export function useCostLimits(limits: CostLimits): Plugin<Context> {
  const slots = new TokenSlots(limits.expensivePerToken, limits.expensivePerToken * 4);
  const refusal = (cost: number) =>
    gatewayError('COST_LIMIT_EXCEEDED', `Expected an operation estimated at most ${limits.maxCost}, got one estimated at ${cost}`, {
      cost,
      maxCost: limits.maxCost,
      http: { status: 400 },
    });
  const busy = (cost: number) =>
    noFreeSlot(
      `Expected at most ${limits.expensivePerToken} expensive operations of this token at once; this one (estimated at ${cost}) found no free slot in time`,
      limits.expensivePerToken,
    );
  const estimate = remembered();
  return {
    onSubscribe({ args, setResultAndStopExecution }) {
      const cost = estimate(args.schema, args.document, args.operationName, args.variableValues);
      if (cost > limits.maxCost) setResultAndStopExecution({ errors: [refusal(cost)] });
    },
    onExecute({ args, setResultAndStopExecution }) {
      const cost = estimate(args.schema, args.document, args.operationName, args.variableValues);
      if (cost > limits.maxCost) return setResultAndStopExecution({ errors: [refusal(cost)] });
      const ctx = args.contextValue as Context;
      if (cost < limits.expensiveCost || ctx.tokenHash === null) return;
      // Only an expensive operation waits: the others pass without a promise.
      return slots.acquire(ctx.tokenHash, ctx.scope.deadline ?? Date.now()).then((release) => {
        if (release === null) return setResultAndStopExecution({ errors: [busy(cost)] });
        return {
          onExecuteDone(payload: { result: unknown }) {
            if (!isAsyncIterable(payload.result)) return release();
            return { onEnd: release };
          },
        };
      });
    },
  };
}

/**
 * {@link estimateCost}, remembered per parsed document and operation for operations without
 * variables (their estimate depends on nothing else; one schema per gateway).
 */
function remembered(): typeof estimateCost {
  const byDocument = new WeakMap<DocumentNode, Map<string, number>>();
  return (schema, document, operationName, variables) => {
    if (getOperationAST(document, operationName)?.variableDefinitions?.length)
      return estimateCost(schema, document, operationName, variables);
    let costs = byDocument.get(document);
    if (costs === undefined) {
      costs = new Map();
      byDocument.set(document, costs);
    }
    let cost = costs.get(operationName ?? '');
    if (cost === undefined) {
      cost = estimateCost(schema, document, operationName, variables);
      costs.set(operationName ?? '', cost);
    }
    return cost;
  };
}
