import {
  BREAK,
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  getVariableValues,
  type Source,
  type VariableDefinitionNode,
  valueFromASTUntyped,
  visit,
} from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../logger.js';

/**
 * Executes operations with graphql-jit: a document's operation is compiled on its
 * {@link COMPILE_ON_RUN}th run (and kept as long as Yoga's parse cache keeps the document), then
 * runs as generated code, about 40 % less CPU than graphql-js for a list-heavy query; its runs
 * before that, and every document sent once, run on graphql-js, since compiling and running the
 * generated code once costs more than several runs. Each operation of a document is compiled on
 * its own (`@envelop/graphql-jit` keeps one compiled operation per document, and answered a
 * document's second operation with its first). Documents with `@defer` or `@stream` run on Yoga's
 * executor, which delivers them incrementally; so do documents with `@skip` or `@include`:
 * graphql-jit orders their fields differently (a conditional fragment spread comes
 * last), has answered some of them wrongly before (zalando-incubator/graphql-jit#111, #166) and
 * still keeps a fix for them behind an experimental option. Variables of every document are
 * checked first with graphql-js, so that a bad variable is a 400 with graphql-js's message and
 * location and the code BAD_USER_INPUT, and field errors of the documents jit runs get their
 * locations back (see {@link locate}).
 */
export function useCompiledExecution(logger: Logger): Plugin {
  const compiled = new Compiled((errors) => logger.error({ errors }, 'graphql-jit could not compile an operation: it runs on graphql-js'));
  return {
    onExecute({ args, setExecuteFn, setResultAndStopExecution }) {
      // Checked here for every document, so that a bad variable always answers a stable code.
      const definitions = getOperationAST(args.document, args.operationName)?.variableDefinitions ?? [];
      if (definitions.length > 0) {
        const coerced = getVariableValues(args.schema, definitions, args.variableValues ?? {});
        if (coerced.errors) return setResultAndStopExecution({ errors: coerced.errors.map(requestError) });
        withDefaults(args, definitions);
      }
      // Subscriptions run on graphql-js: graphql-jit hands their subscribe resolvers no arguments.
      if (conditional(args.document) || subscription(args.document)) return;
      const query = compiled.run(args.schema, args.document, args.operationName ?? undefined);
      // graphql-js runs this one, and locates its errors itself.
      if (query === undefined) return;
      setExecuteFn((a) => query.query(a.rootValue, a.contextValue, a.variableValues));
      const source = args.document.loc?.source;
      return {
        onExecuteDone({ result }) {
          if (source === undefined || !('errors' in result)) return;
          for (const error of result.errors ?? []) locate(error, source);
        },
      };
    },
  };
}

/** The run of an operation on which it is compiled: the earlier ones run on graphql-js. */
export const COMPILE_ON_RUN = 3;

/** An operation's runs so far, and once compiled its code (null: graphql-jit could not compile it). */
interface Operation {
  runs: number;
  query?: CompiledQuery | null;
}

/** Operations by parsed document (Yoga's parse cache hands out one per text) and name, for one gateway's schema. */
class Compiled {
  private readonly byDocument = new WeakMap<DocumentNode, Map<string, Operation>>();

  constructor(private readonly onError: (errors: readonly string[]) => void) {}

  /** Counts a run of the operation; its compiled code once it has run often enough, else undefined (graphql-js runs it). */
  run(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined): CompiledQuery | undefined {
    let operations = this.byDocument.get(document);
    if (operations === undefined) {
      operations = new Map();
      this.byDocument.set(document, operations);
    }
    let operation = operations.get(operationName ?? '');
    if (operation === undefined) {
      operation = { runs: 0 };
      operations.set(operationName ?? '', operation);
    }
    if (operation.query === undefined && ++operation.runs >= COMPILE_ON_RUN) {
      const result = compileQuery(schema, document, operationName);
      if (isCompiledQuery(result)) operation.query = result;
      else {
        operation.query = null;
        this.onError((result.errors ?? []).map((e) => e.message));
      }
    }
    return operation.query ?? undefined;
  }
}

/**
 * Puts the default of each variable the request left out into its variables, as it was written
 * (graphql-jit refuses a missing non-null variable even when it has a default, which graphql-js
 * and the spec apply). The values stay external: graphql-jit coerces them as it would sent ones.
 */
function withDefaults(args: { variableValues?: Record<string, unknown> | null }, definitions: readonly VariableDefinitionNode[]): void {
  for (const { variable, defaultValue } of definitions) {
    const name = variable.name.value;
    if (defaultValue === undefined || (args.variableValues != null && name in args.variableValues)) continue;
    args.variableValues = { ...args.variableValues, [name]: valueFromASTUntyped(defaultValue) };
  }
}

/**
 * A variable error as graphql-js's own executor reports it (HTTP 400: the request, not the server,
 * is at fault), with the stable code BAD_USER_INPUT and the variable it names.
 */
function requestError(error: GraphQLError): GraphQLError {
  const variable = /^Variable "\$(\w+)"/.exec(error.message)?.[1];
  return new GraphQLError(error.message, {
    nodes: error.nodes ?? null,
    extensions: { ...error.extensions, code: 'BAD_USER_INPUT', ...(variable ? { argument: `$${variable}` } : {}), http: { status: 400 } },
  });
}

/**
 * graphql-jit's errors carry `locations` but neither AST nodes nor source positions, and Yoga
 * rebuilds every error it sends (masking, serialising) from those: give them positions.
 */
function locate(error: GraphQLError, source: Source): void {
  if (error.nodes !== undefined || error.positions !== undefined || error.locations === undefined) return;
  const lineStarts = [0];
  for (const match of source.body.matchAll(/\r\n|[\n\r]/g)) lineStarts.push(match.index + match[0].length);
  const positions = error.locations.map(({ line, column }) => (lineStarts[line - 1] ?? 0) + column - 1);
  Object.assign(error, { source, positions });
}

/** Whether the document's operation is a subscription. */
function subscription(document: DocumentNode): boolean {
  return document.definitions.some((d) => d.kind === 'OperationDefinition' && d.operation === 'subscription');
}

const conditionals = new WeakMap<DocumentNode, boolean>();

// graphql-jit orders conditional fields differently and delivers nothing incrementally.
const GRAPHQL_JS_DIRECTIVES = new Set(['skip', 'include', 'defer', 'stream']);

/** Whether the document uses `@skip`, `@include`, `@defer` or `@stream` anywhere (remembered per parsed document). */
function conditional(document: DocumentNode): boolean {
  let found = conditionals.get(document);
  if (found === undefined) {
    found = false;
    visit(document, {
      Directive(node) {
        if (!GRAPHQL_JS_DIRECTIVES.has(node.name.value)) return;
        found = true;
        return BREAK;
      },
    });
    conditionals.set(document, found);
  }
  return found;
}
