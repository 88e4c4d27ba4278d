import { Kind, type ValueNode } from 'graphql';
import { formatLocalDateTime, parseLocalDateTime } from '../domain/schedule.js';
import { gatewayError } from '../errors.js';
import { builder } from './builder.js';

/** A string scalar checked against `pattern`; `format` goes into error messages, `format` and `more` into the description. */
function stringScalar(name: 'DateTime' | 'Date' | 'Time', format: string, pattern: RegExp, more: string) {
  const check = (value: unknown): string => {
    if (typeof value !== 'string' || !pattern.test(value)) {
      throw gatewayError('BAD_USER_INPUT', `Expected a ${name} (${format}), got ${JSON.stringify(value)?.slice(0, 100)}`);
    }
    return value;
  };
  builder.scalarType(name, {
    description: `${format}. ${more}`,
    serialize: check,
    parseValue: check,
    parseLiteral: (ast) => check(ast.kind === Kind.STRING ? ast.value : undefined),
  });
}

stringScalar(
  'DateTime',
  'An ISO-8601 instant in UTC, e.g. "2017-01-24T16:37:20Z"',
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/,
  'Fractional seconds are allowed, zones other than "Z" are not; other input is refused with BAD_USER_INPUT.',
);
stringScalar('Date', 'A calendar date "YYYY-MM-DD" (no time zone)', /^\d{4}-\d{2}-\d{2}$/, 'Other input is refused with BAD_USER_INPUT.');
stringScalar(
  'Time',
  'A wall-clock time "HH:MM:SS" in the screen\'s local time',
  /^\d{2}:\d{2}(:\d{2})?$/,
  'Input may leave out the seconds ("HH:MM"); other input is refused with BAD_USER_INPUT.',
);

const LOCAL_DATE_TIME =
  'A wall-clock moment in the screen\'s local time, "YYYY-MM-DDTHH:MM" or "YYYY-MM-DDTHH:MM:SS" ' +
  '(a real calendar date, hours 00-23, no zone: viewneo stores none). Answers always carry seconds; other input is refused with BAD_USER_INPUT.';

function localDateTime(value: unknown): number {
  const seconds = parseLocalDateTime(value);
  if (seconds === null) {
    throw gatewayError(
      'BAD_USER_INPUT',
      `Expected a LocalDateTime ("YYYY-MM-DDTHH:MM[:SS]", a real date, hours 00-23), got ${JSON.stringify(value)?.slice(0, 100)}`,
    );
  }
  return seconds;
}

builder.scalarType('LocalDateTime', {
  description: LOCAL_DATE_TIME,
  serialize: (seconds) => {
    const text = formatLocalDateTime(seconds);
    if (text === null) throw new Error(`Expected LocalDateTime seconds within years 0000-9999, got ${seconds}`);
    return text;
  },
  parseValue: localDateTime,
  parseLiteral: (ast) => localDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

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

builder.scalarType('File', {
  description:
    "A file sent with the GraphQL multipart request spec (input only): a variable that the request's map points at a file part. BAD_USER_INPUT otherwise.",
  serialize: () => {
    throw new Error('File is an input-only scalar');
  },
  parseValue: (value) => {
    // Yoga's multipart parser yields its own File class: check the shape, not the class.
    const file = value as Partial<File> | null;
    if (typeof file?.arrayBuffer !== 'function' || typeof file.size !== 'number' || typeof file.name !== 'string') {
      throw gatewayError('BAD_USER_INPUT', 'Expected a file part of a multipart request');
    }
    return file as File;
  },
});

builder.scalarType('JSON', {
  description: 'Any JSON value (object, array, string, number, boolean or null), passed through as viewneo sends it.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: literal,
});
