import { Kind, type ValueNode } from 'graphql';
import { gatewayError } from '../errors.js';
import { builder } from './builder.js';

function stringScalar(name: 'DateTime' | 'Date' | 'Time', description: string, pattern: RegExp) {
  const check = (value: unknown): string => {
    if (typeof value !== 'string' || !pattern.test(value)) {
      throw gatewayError('BAD_USER_INPUT', `Expected a ${name} (${description}), got ${JSON.stringify(value)?.slice(0, 100)}`);
    }
    return value;
  };
  builder.scalarType(name, {
    description,
    serialize: check,
    parseValue: check,
    parseLiteral: (ast) => check(ast.kind === Kind.STRING ? ast.value : undefined),
  });
}

stringScalar('DateTime', 'An ISO-8601 instant in UTC, e.g. "2017-01-24T16:37:20Z"', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
stringScalar('Date', 'A calendar date "YYYY-MM-DD" (no time zone)', /^\d{4}-\d{2}-\d{2}$/);
stringScalar('Time', 'A wall-clock time "HH:MM:SS" in the screen\'s local time', /^\d{2}:\d{2}(:\d{2})?$/);

function literal(ast: ValueNode, variables: Record<string, unknown> | null | undefined): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((v) => literal(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literal(f.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[ast.name.value];
    default:
      return undefined;
  }
}

builder.scalarType('JSON', {
  description: 'Any JSON value, passed through as viewneo sends it.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: literal,
});
