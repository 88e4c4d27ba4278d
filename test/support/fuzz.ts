import {
  type GraphQLArgument,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isUnionType,
} from 'graphql';
import { ALICE } from '../../src/sandbox/data.js';
import { mulberry32 } from '../../src/sandbox/faults.js';
import { seedAlice } from '../../src/sandbox/seed.js';

/** A source of uniform random numbers in [0, 1), like `Math.random`. */
export type Random = () => number;

/** One generated GraphQL request: its document, variables, and what it is for the reports. */
export interface FuzzOperation {
  /** Position in the sequence {@link generateOperations} made; with the seed, it names the operation. */
  readonly index: number;
  readonly kind: 'query' | 'mutation';
  readonly query: string;
  readonly variables: Record<string, unknown>;
  /** Set when the document names its operation. */
  readonly operationName?: string;
  /** The schema's root fields the operation selects, once each, in order. */
  readonly rootFields: readonly string[];
  /**
   * How the argument values are written: all `inline` where GraphQL literals can carry them,
   * all as `variables`, or `mixed`. Values a literal cannot carry (an Int past 32 bits, a
   * null for a non-null type, a JSON object with keys that are not names) are variables in
   * every form, so that every document stays valid.
   */
  readonly form: 'inline' | 'variables' | 'mixed';
}

/**
 * The first `count` operations of the sequence that `seed` names: random valid queries and
 * mutations of `schema` (about 30 % mutations; subscriptions left out), with random selection sets of bounded depth
 * (inline fragments on unions, interfaces and the type itself, aliases, `@include`/`@skip`) and
 * argument values at and past their bounds (see the pools below). About half of the queries
 * come twice in a row, once with literal arguments and once with the same values as variables.
 * A given seed and index always give the same operation, whatever `count` is. The values are
 * aimed at the sandbox's alice account: its ids, and edges around them.
 */
export function generateOperations(schema: GraphQLSchema, seed: number, count: number): FuzzOperation[] {
  const operations: FuzzOperation[] = [];
  const plan = new Dice(mulberry32(seed));
  while (operations.length < count) {
    const caseSeed = Math.floor(plan.next() * 4_294_967_296);
    const kind = plan.chance(0.3) ? 'mutation' : 'query';
    const forms: FuzzOperation['form'][] =
      kind === 'query' && plan.chance(0.5) ? ['inline', 'variables'] : [plan.pick(['inline', 'variables', 'mixed'] as const)];
    for (const form of forms) {
      if (operations.length >= count) break;
      operations.push(buildOperation(schema, kind, caseSeed, form, operations.length));
    }
  }
  return operations;
}

/**
 * The operation as text for a failure report: its seed and index, document and variables,
 * with every string longer than 200 characters cut to its start and its length.
 */
export function describeOperation(operation: FuzzOperation, seed: number): string {
  const variables = JSON.stringify(operation.variables, (_key, value: unknown) =>
    typeof value === 'string' && value.length > 200 ? `${value.slice(0, 60)}…(${value.length} characters)` : value,
  );
  const query = operation.query.replace(/"([^"\\]|\\.){200,}"/g, (text) => `${text.slice(0, 60)}…(${text.length} characters)"`);
  return [
    `seed ${seed}, operation #${operation.index} (${operation.form}; FUZZ_SEED=${seed} FUZZ_RUNS=${operation.index + 1} regenerates it)`,
    `query: ${query}`,
    `variables: ${variables}`,
  ].join('\n');
}

class Dice {
  constructor(readonly next: Random) {}

  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)] as T;
  }

  /** One of `choices`, each as likely as its weight. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    let roll = this.next() * choices.reduce((sum, [, weight]) => sum + weight, 0);
    for (const [choice, weight] of choices) {
      roll -= weight;
      if (roll < 0) return choice;
    }
    return choices[choices.length - 1]![0];
  }

  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  }
}

/** An enum value: a bare name as a literal, a string as a variable. */
class EnumValue {
  constructor(readonly name: string) {}
}

/** A generated argument value; `literal` false when only a variable can carry it. */
interface Value {
  readonly value: unknown;
  readonly literal: boolean;
}

const ABSENT = Symbol('absent');

const global = (typename: string, localId: string | number) => Buffer.from(`${typename}:${localId}`, 'utf8').toString('base64');
const cursor = (offset: string | number) => Buffer.from(`OffsetConnection:${offset}`, 'utf8').toString('base64');

const ALICE_DATA = seedAlice(ALICE);
type Typename = 'Playlist' | 'PlaylistEntry' | 'MediaFile' | 'Template' | 'Website';
const TYPENAMES: readonly Typename[] = ['Playlist', 'PlaylistEntry', 'MediaFile', 'Template', 'Website'];
// Alice's seeded ids, and a few just past them: the objects that fuzzed creations make take those.
const KNOWN: Record<Typename, readonly string[]> = {
  Playlist: [...ALICE_DATA.playlists.map((p) => String(p.id)), '1021', '1022', '1030'],
  PlaylistEntry: ALICE_DATA.playlistEntries.map((e) => `${e.playlist_id}:${e.id}`),
  MediaFile: [...ALICE_DATA.mediaFiles.map((m) => String(m.id)), '2051', '2052', '2060'],
  Template: [...ALICE_DATA.templates.map((t) => String(t.id)), '3004'],
  Website: [...ALICE_DATA.websites.map((w) => String(w.id)), '5004'],
};
const FOLDERS = ALICE_DATA.mediaFiles.filter((m) => m.attachable_type === null).map((m) => String(m.id));
const ENTRIES_BY_PLAYLIST = new Map<number, string[]>();
for (const entry of ALICE_DATA.playlistEntries) {
  const ids = ENTRIES_BY_PLAYLIST.get(entry.playlist_id) ?? [];
  ids.push(global('PlaylistEntry', `${entry.playlist_id}:${entry.id}`));
  ENTRIES_BY_PLAYLIST.set(entry.playlist_id, ids);
}
const SEEDED_UPDATED_AT = [...ALICE_DATA.playlists, ...ALICE_DATA.mediaFiles, ...ALICE_DATA.playlistEntries]
  .slice(0, 12)
  .map((item) => `${item.updated_at.replace(' ', 'T')}Z`);

// Built once: each is sent as is many times.
const HUGE_10K = 'x'.repeat(10_000);
const HUGE_100K = 'ü'.repeat(100_000);
// Past the default MAX_BODY_BYTES (1 MiB) on its own.
const HUGE_PAST_BODY_LIMIT = 'y'.repeat(1_100_000);

const EDGE_IDS: readonly (string | number)[] = [
  '',
  ' ',
  '0',
  '-1',
  '1',
  '01001',
  ' 1001',
  '1001 ',
  '+1001',
  '1e3',
  '1001.0',
  '0x3E9',
  '999999999999999',
  '9999999999999999',
  '9007199254740993',
  '18446744073709551616',
  '9'.repeat(5000),
  0,
  -1,
  1,
  2_147_483_647,
  -2_147_483_648,
  global('Playlist', 0),
  global('Playlist', '999999999999999'),
  global('Playlist', '9999999999999999'),
  global('Playlist', '1001:1'),
  global('Playlist', '-1'),
  global('Playlist', ''),
  global('Playlist', '1001\n'),
  global('Playlist', ' 1001'),
  global('playlist', 1001),
  global('PlaylistEntry', '1001'),
  global('PlaylistEntry', '1001:99999'),
  global('PlaylistEntry', '99999:50001'),
  global('PlaylistEntry', '0:0'),
  global('PlaylistEntry', '1002:50001'),
  global('PlaylistEntry', '999999999999999:999999999999999'),
  global('User', 1),
  global('Node', 1001),
  global('MediaFile', 3001),
  global('MediaFile', 0),
  global('Template', 2001),
  global('Website', 2003),
  global('Playlist', 1001).replace(/=+$/, ''),
  `${global('Playlist', 1001)}==`,
  global('MediaFile', 2001).replaceAll('+', '-').replaceAll('/', '_'),
  Buffer.from([0xff, 0xfe, 0x3a, 0x31]).toString('base64'),
  'Playlist:1001',
  'UGxheWxpc3Q6',
  '!!!!',
  '====',
  'Zm9v',
  'null',
  '\u0000',
  '🙂',
];

const INT_EDGES: readonly number[] = [
  0, -1, 1, 2, 9, 10, 11, 19, 20, 21, 30, 99, 100, 101, 255, 256, 499, 500, 501, 1000, 4999, 5000, 5001, 65_535, 86_399, 86_400,
  2_147_483_646, 2_147_483_647, -2_147_483_648,
];
// Values an Int literal cannot be: only variables carry them (and must be refused).
const INT_PAST_32_BITS: readonly number[] = [2_147_483_648, -2_147_483_649, 2 ** 53, 1e21, 1.5];
const INT_BY_ARGUMENT: Record<string, readonly number[]> = {
  first: [0, 1, -1, 2, 19, 20, 21, 99, 100, 101, 2_147_483_647],
  last: [0, 1, -1, 2, 19, 20, 21, 99, 100, 101, 2_147_483_647],
  limit: [0, 1, -1, 2, 499, 500, 501, 4999, 5000, 5001, 2_147_483_647],
  duration: [0, 1, -1, 5, 10, 86_400, 2_147_483_647],
  index: [0, 1, -1, 9, 10, 11, 100, 2_147_483_647],
  defaultDuration: [0, 1, -1, 30, 86_400, 2_147_483_647],
};
const FLOAT_EDGES: readonly number[] = [0, -0, 1, -1, 0.5, 1e-7, 1080, 1920, 123_456.789, 3.4e38, 2 ** 53, 1e308, -1e308, 5e-324];

const STRINGS: readonly string[] = [
  '',
  ' ',
  'a',
  'Alice',
  'Alice playlist 01',
  '  surrounded by spaces  ',
  'x'.repeat(255),
  'x'.repeat(256),
  ' '.repeat(256),
  'ünïcödé ✓ 😀 👩‍👩‍👧',
  'قائمة الطعام',
  '\u0000',
  '\u202e reversed',
  'line\nbreak\ttab\r',
  '"quoted" \\ back\\slash',
  '<script>alert(1)</script>',
  "'; DROP TABLE playlists; --",
  '%s%n%x',
  '{{title}}',
  '../../etc/passwd',
  '__proto__',
  'null',
  '0',
  '-1',
  '1001',
  HUGE_10K,
];
// A lone surrogate: valid in JSON, but no GraphQL string literal may hold it.
const STRINGS_ONLY_AS_VARIABLES: readonly string[] = ['\ud800', 'end \udfff'];
const STRINGS_BY_ARGUMENT: Record<string, readonly string[]> = {
  timeZone: [
    'Europe/Berlin',
    'UTC',
    'Etc/UTC',
    'America/New_York',
    'America/St_Johns',
    'Asia/Kathmandu',
    'Australia/Lord_Howe',
    'Pacific/Kiritimati',
    'Pacific/Pago_Pago',
    'Etc/GMT+12',
    'Etc/GMT-14',
    'EST5EDT',
    'europe/berlin',
    'Mars/Olympus',
    '+01:00',
    'Z',
    'Local',
    '',
    'Europe/Berlin\u0000',
    'x'.repeat(300),
  ],
  redirectUri: URLS(),
  url: URLS(),
  externalDataUrl: URLS(),
  after: CURSORS(),
  before: CURSORS(),
  backgroundColor: ['#FFFFFF', '#003366', '#fff', '#GGGGGG', '#0000000', 'red', '', '#'],
  widthUnit: ['px', '%', 'vw', 'cm', '', 'x'.repeat(300)],
  heightUnit: ['px', '%', 'vh', '', 'x'.repeat(300)],
  element: ['Headline', 'Ticker', 'Title', 'Footnote', 'Logo', 'Dish photo', 'nope', ''],
  code: ['sandbox-code', 'expired', '', 'a.b.c', 'x'.repeat(5000)],
  state: ['', 'a.b.c', 'eyJhbGciOiJIUzI1NiJ9.e30.', 'x'.repeat(5000)],
  refreshToken: ['', 'sandbox-refresh', 'a.b.c', 'x'.repeat(5000)],
  search: ['alice', 'ALICE PLAYLIST', 'playlist 1', 'é', '%', '.*', '(', '\\', 'folder'],
};
const DATES: readonly string[] = [
  '2024-01-15',
  '2024-02-29',
  '2023-02-29',
  '2024-04-31',
  '2024-12-31',
  '1970-01-01',
  '1969-12-31',
  '0000-01-01',
  '9999-12-31',
  '2024-13-01',
  '2024-00-10',
  '2024-01-32',
  '2024-1-5',
  '20240115',
  '2024-01-15T00:00',
  '99999-01-01',
  '',
];
const TIMES: readonly string[] = [
  '00:00',
  '00:00:00',
  '06:00:00',
  '22:00:00',
  '23:59',
  '23:59:59',
  '12:30',
  '24:00',
  '24:00:00',
  '25:00',
  '12:60',
  '12:00:60',
  '99:99:99',
  '1:00',
  '08:00:00.5',
  '00:00:00Z',
  '',
];
const DATE_TIMES: readonly string[] = [
  '2017-01-24T16:37:20Z',
  '1970-01-01T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '2000-01-01T00:00:00Z',
  '2100-01-01T00:00:00.000Z',
  '2024-01-15T09:00:00.123456789123Z',
  `2024-01-15T09:00:00.${'9'.repeat(5000)}Z`,
  '2024-02-30T25:61:61Z',
  '2024-01-15T09:00:00',
  '2024-01-15T09:00:00+01:00',
  '2024-01-15 09:00:00',
  'now',
  '',
  ...SEEDED_UPDATED_AT,
];
const LOCAL_DATE_TIMES: readonly string[] = [
  '2024-01-15T09:00',
  '2024-01-15T09:00:00',
  '2024-01-13T23:30:00',
  '2024-06-15T12:00',
  '2024-02-29T12:00',
  '2024-03-31T02:30',
  '2024-10-27T02:30',
  '2023-02-29T12:00',
  '0000-01-01T00:00',
  '9999-12-31T23:59',
  '9999-12-31T23:59:59',
  '2024-01-15T24:00',
  '2024-01-15T09:60',
  '2024-01-15T09:00:60',
  '2024-01-15 09:00',
  '2024-01-15T09:00Z',
  '2024-01-15T09:00:00.000',
  '2024-01-15T9:00',
  '2024-01-15',
  '10000-01-01T00:00',
  '',
];
// [from, to] around the timeline's rule: to after from, at most 31 days later, years 0000-9999.
const TIMELINE_WINDOWS: readonly (readonly [string, string])[] = [
  ['2024-01-15T08:00', '2024-01-15T09:00'],
  ['2024-01-15T00:00', '2024-01-15T00:00:01'],
  ['2024-01-01T00:00', '2024-02-01T00:00'],
  ['2024-01-01T00:00', '2024-02-01T00:00:01'],
  ['2024-01-15T09:00', '2024-01-15T09:00'],
  ['2024-01-15T09:00', '2024-01-15T08:59:59'],
  ['2024-03-30T22:00', '2024-04-01T06:00'],
  ['2024-02-28T00:00', '2024-03-01T00:00'],
  ['0000-01-01T00:00', '0000-01-01T01:00'],
  ['9999-12-31T23:00', '9999-12-31T23:59:59'],
  ['9999-12-01T00:00', '9999-12-31T23:59:59'],
  ['9999-12-31T23:59:59', '10000-01-01T00:00'],
];
const JSON_VALUES: readonly unknown[] = [
  {},
  { Authorization: 'Bearer fuzz' },
  { 'X-Api-Key': 'fuzz' },
  { 'X-Newline': 'a\r\nInjected: 1' },
  { 'bad header name': 'x' },
  { '': '' },
  { number: 1, bool: true, nothing: null },
  { nested: { deeper: { deepest: 'x' } } },
  JSON.parse('{"__proto__": {"polluted": true}}'),
  { constructor: 'x' },
  Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`H${i}`, 'v'])),
  { Big: HUGE_10K },
  [],
  ['x', 1],
  'a string',
  42,
  true,
  deepObject(60),
];
const ENUMS_ONLY_AS_VARIABLES: readonly string[] = ['', 'asc', 'NOPE', '0'];
// Values of the wrong JSON type for a scalar: only variables carry them.
const WRONG_TYPES: readonly unknown[] = [{}, [], true, 'x', 1.5, { length: 1 }];

function URLS(): string[] {
  return [
    'https://app.example.com/callback',
    'http://localhost:3000/callback',
    'https://intranet.alice.example.com/dashboard',
    `https://example.com/${'a'.repeat(5000)}`,
    'https://user:pass@example.com/',
    'http://[::1]:8080/x',
    'https://例え.jp/',
    'HTTPS://EXAMPLE.COM',
    'https://',
    'https://exa mple.com',
    'javascript:alert(1)',
    'ftp://example.com/x',
    'file:///etc/passwd',
    'data:text/html,<b>x</b>',
    'not a url',
    '',
  ];
}

function CURSORS(): string[] {
  return [
    cursor(0),
    cursor(1),
    cursor(19),
    cursor(20),
    cursor(99),
    cursor(100),
    cursor(1000),
    cursor(2_147_483_647),
    cursor('999999999999999999999'),
    cursor(-1),
    cursor('1e21'),
    cursor('abc'),
    cursor(''),
    'YXJyYXljb25uZWN0aW9uOjA=',
    '',
    '!!!',
    '====',
    HUGE_10K,
  ];
}

function deepObject(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { d: value };
  return value;
}

/** What an ID argument names, from its own name and its field's (or input type's). */
function idTarget(owner: string, argument: string): Typename | null {
  if (argument === 'entryIds') return 'PlaylistEntry';
  if (argument === 'playlistId' || argument === 'nestedPlaylistId') return 'Playlist';
  if (argument === 'parentDirectoryId' || argument === 'mediaFileId') return 'MediaFile';
  if (argument === 'templateId') return 'Template';
  if (/PlaylistEntry$/.test(owner)) return 'PlaylistEntry';
  if (/[pP]laylist$/.test(owner)) return 'Playlist';
  if (/[mM]ediaFile$/.test(owner)) return 'MediaFile';
  if (/[tT]emplate$/.test(owner)) return 'Template';
  if (/Website$/.test(owner)) return 'Website';
  return null;
}

function idValue(d: Dice, owner: string, argument: string): Value {
  if (d.chance(0.3)) return { value: d.pick(EDGE_IDS), literal: true };
  const target = idTarget(owner, argument);
  const typename = target ?? d.pick(TYPENAMES);
  if (argument === 'parentDirectoryId' && d.chance(0.5)) return { value: d.pick(['0', ...FOLDERS]), literal: true };
  const local = d.pick(KNOWN[typename]);
  // node(id) and nodes(ids) take global ids only; entries have no plain id.
  if (typename === 'PlaylistEntry' || target === null) return { value: global(typename, local), literal: true };
  return {
    value: d.weighted<string | number>([
      [global(typename, local), 4],
      [local, 4],
      [Number(local), 2],
    ]),
    literal: true,
  };
}

function stringValue(d: Dice, argument: string, rare: number): Value {
  if (d.chance(0.001 * rare)) return { value: HUGE_PAST_BODY_LIMIT, literal: true };
  if (d.chance(0.005 * rare)) return { value: HUGE_100K, literal: true };
  if (d.chance(0.02 * rare)) return { value: d.pick(STRINGS_ONLY_AS_VARIABLES), literal: false };
  const specific = STRINGS_BY_ARGUMENT[argument];
  return { value: specific && d.chance(0.75) ? d.pick(specific) : d.pick(STRINGS), literal: true };
}

function scalarValue(d: Dice, name: string, owner: string, argument: string, rare: number): Value {
  if (d.chance(0.02 * rare)) return { value: d.pick(WRONG_TYPES), literal: false };
  switch (name) {
    case 'Int': {
      if (d.chance(0.03 * rare)) return { value: d.pick(INT_PAST_32_BITS), literal: false };
      const specific = INT_BY_ARGUMENT[argument];
      if (specific && d.chance(0.7)) return { value: d.pick(specific), literal: true };
      return { value: d.chance(0.8) ? d.pick(INT_EDGES) : d.below(2000) - 1000, literal: true };
    }
    case 'Float':
      return { value: d.chance(0.8) ? d.pick(FLOAT_EDGES) : (d.next() - 0.5) * 10_000, literal: true };
    case 'Boolean':
      return { value: d.chance(0.5), literal: true };
    case 'ID':
      return idValue(d, owner, argument);
    case 'String':
      return stringValue(d, argument, rare);
    case 'Date':
      return { value: d.pick(DATES), literal: true };
    case 'Time':
      return { value: d.pick(TIMES), literal: true };
    case 'DateTime':
      return { value: d.pick(DATE_TIMES), literal: true };
    case 'LocalDateTime':
      return { value: d.pick(LOCAL_DATE_TIMES), literal: true };
    case 'JSON': {
      const value = d.pick(JSON_VALUES);
      return { value, literal: isPrintable(value) };
    }
    case 'File':
      // JSON has no file: only strings, numbers, objects or null reach the scalar.
      return { value: d.pick<unknown>(['file.png', '', 0, { name: 'x.png', size: 1 }]), literal: true };
    default:
      return stringValue(d, argument, rare);
  }
}

/**
 * A value of `type` for `argument` of `owner` (a field or an input type). `rare` scales the
 * odds of the values that must be refused (a null for a non-null type, a wrong JSON type, an
 * unknown enum value, a huge string): 1 for an argument, less for the items of a list, where
 * 300 items would otherwise almost always hold one.
 */
function inputValue(d: Dice, type: GraphQLInputType, owner: string, argument: string, rare = 1): Value {
  if (isNonNullType(type)) {
    if (d.chance(0.015 * rare)) return { value: null, literal: false };
    return nullableInputValue(d, type.ofType, owner, argument, rare);
  }
  if (d.chance(0.04)) return { value: null, literal: true };
  return nullableInputValue(d, type, owner, argument, rare);
}

function nullableInputValue(d: Dice, type: GraphQLInputType, owner: string, argument: string, rare: number): Value {
  if (isListType(type)) {
    const length = d.weighted([
      [0, 2],
      [1, 4],
      [2 + d.below(4), 3],
      [20 + d.below(280), 1],
    ]);
    const items = Array.from({ length }, () => inputValue(d, type.ofType, owner, argument, rare / Math.max(1, length / 3)));
    // A lone value where a list is expected: GraphQL coerces it to a list of one.
    if (length === 1 && d.chance(0.15)) return items[0]!;
    return { value: items.map((item) => item.value), literal: items.every((item) => item.literal) };
  }
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    let literal = true;
    for (const field of Object.values(type.getFields())) {
      const generated = inputField(d, field, type.name, rare);
      if (generated === ABSENT) {
        if (isNonNullType(field.type) && field.defaultValue === undefined) literal = false;
        continue;
      }
      value[field.name] = generated.value;
      literal &&= generated.literal;
    }
    return { value, literal };
  }
  if (isEnumType(type)) {
    if (d.chance(0.03 * rare)) return { value: d.pick(ENUMS_ONLY_AS_VARIABLES), literal: false };
    return { value: new EnumValue(d.pick(type.getValues()).name), literal: true };
  }
  return scalarValue(d, type.name, owner, argument, rare);
}

function inputField(d: Dice, field: GraphQLInputField, owner: string, rare: number): Value | typeof ABSENT {
  const required = isNonNullType(field.type) && field.defaultValue === undefined;
  if (required ? d.chance(0.02 * rare) : d.chance(0.5)) return ABSENT;
  return inputValue(d, field.type, owner, field.name, rare);
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether a GraphQL literal can carry the (JSON) value. */
function isPrintable(value: unknown): boolean {
  if (value === null || typeof value === 'boolean' || value instanceof EnumValue) return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value === 'string') return !LONE_SURROGATE.test(value);
  if (Array.isArray(value)) return value.every(isPrintable);
  if (typeof value === 'object') {
    return (
      Object.entries(value).every(([key, item]) => NAME.test(key) && isPrintable(item)) && Object.getPrototypeOf(value) === Object.prototype
    );
  }
  return false;
}

function printLiteral(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof EnumValue) return value.name;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(printLiteral).join(', ')}]`;
  return `{${Object.entries(value as object)
    .map(([key, item]) => `${key}: ${printLiteral(item)}`)
    .join(', ')}}`;
}

function toJson(value: unknown): unknown {
  if (value instanceof EnumValue) return value.name;
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === 'object') {
    // defineProperty: a plain assignment of "__proto__" would set the prototype, not a key.
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) Object.defineProperty(copy, key, { value: toJson(item), enumerable: true });
    return copy;
  }
  return value;
}

interface Builder {
  readonly schema: GraphQLSchema;
  readonly d: Dice;
  /** Decides literal against variable, apart from `d`, so that both forms of a case get the same values. */
  readonly placement: Dice;
  readonly form: FuzzOperation['form'];
  readonly maxDepth: number;
  fieldBudget: number;
  aliases: number;
  readonly definitions: string[];
  readonly variables: Record<string, unknown>;
}

const ROOT_WEIGHTS: Record<string, number> = {
  deletePlaylist: 0.3,
  deleteMediaFile: 0.3,
  deleteTemplate: 0.3,
  removePlaylistEntry: 0.5,
  uploadMediaFile: 0.5,
  exchangeCode: 0.5,
  refreshToken: 0.5,
  authorizationUrl: 0.5,
};

function buildOperation(
  schema: GraphQLSchema,
  kind: FuzzOperation['kind'],
  caseSeed: number,
  form: FuzzOperation['form'],
  index: number,
): FuzzOperation {
  const d = new Dice(mulberry32(caseSeed));
  const placement = new Dice(mulberry32(caseSeed ^ 0x5bd1e995));
  const root = kind === 'query' ? schema.getQueryType() : schema.getMutationType();
  if (!root) throw new Error(`The schema has no ${kind} type`);
  const b: Builder = {
    schema,
    d,
    placement,
    form,
    maxDepth: d.weighted([
      [1 + d.below(5), 90],
      [7 + d.below(4), 8],
      [12 + d.below(3), 2],
    ]),
    fieldBudget: d.chance(0.03) ? 60 : 3 + d.below(12),
    aliases: 0,
    definitions: [],
    variables: {},
  };
  const fields = Object.values(root.getFields());
  const rootFields: string[] = [];
  const parts: string[] = [];
  const used = new Set<string>();
  const count = kind === 'query' ? 1 + d.below(3) : 1 + d.below(2);
  for (let i = 0; i < count; i++) {
    const field = d.weighted(fields.map((f) => [f, ROOT_WEIGHTS[f.name] ?? 1] as const));
    if (!rootFields.includes(field.name)) rootFields.push(field.name);
    parts.push(fieldSelection(b, field, 1, used));
  }
  if (d.chance(0.05)) parts.push(responseName(b, '__typename', used));
  const name = d.chance(0.5) ? `Fuzz${index}` : undefined;
  const header = b.definitions.length > 0 ? `(${b.definitions.join(', ')})` : '';
  const anonymousQuery = kind === 'query' && !name && header === '' && d.chance(0.5);
  const query = `${anonymousQuery ? '' : `${kind}${name ? ` ${name}` : ''}${header} `}{ ${parts.join(' ')} }`;
  return {
    index,
    kind,
    query,
    variables: b.variables,
    ...(name && d.chance(0.5) ? { operationName: name } : {}),
    rootFields,
    form,
  };
}

function responseName(b: Builder, name: string, used: Set<string>): string {
  // One response name at most once per selection set (fragments included): no two fields
  // ever need merging, so the document cannot fail OverlappingFieldsCanBeMerged.
  if (used.has(name) || b.d.chance(0.15)) {
    const alias = `a${b.aliases++}`;
    used.add(alias);
    return `${alias}: ${name}`;
  }
  used.add(name);
  return name;
}

function fieldSelection(b: Builder, field: GraphQLField<unknown, unknown>, depth: number, used: Set<string>): string {
  b.fieldBudget--;
  const head = responseName(b, field.name, used);
  const args = argumentsOf(b, field);
  const directive = b.d.chance(0.04) ? ` ${directiveOf(b)}` : '';
  const named = getNamedType(field.type);
  const selection = isLeafType(named) ? '' : ` ${selectionSet(b, named as GraphQLCompositeType, depth + 1)}`;
  return `${head}${args}${directive}${selection}`;
}

function directiveOf(b: Builder): string {
  const name = b.d.chance(0.5) ? 'include' : 'skip';
  const value = b.d.chance(0.5);
  return `@${name}(if: ${place(b, { value, literal: true }, 'Boolean!')})`;
}

function argumentsOf(b: Builder, field: GraphQLField<unknown, unknown>): string {
  const preset = presetArguments(b.d, field.name);
  const written: string[] = [];
  for (const argument of field.args) {
    const required = isNonNullType(argument.type) && argument.defaultValue === undefined;
    const value =
      preset[argument.name] ?? (required || b.d.chance(0.35) ? inputValue(b.d, argument.type, field.name, argument.name) : undefined);
    if (value === undefined) continue;
    written.push(`${argument.name}: ${place(b, value, String(argument.type), argument)}`);
  }
  return written.length > 0 ? `(${written.join(', ')})` : '';
}

/** Values chosen together for the arguments of a few fields, where independent ones would rarely meet the rules. */
function presetArguments(d: Dice, field: string): Record<string, Value> {
  if (field === 'timeline' && d.chance(0.7)) {
    const [from, to] = d.pick(TIMELINE_WINDOWS);
    return { from: { value: from, literal: true }, to: { value: to, literal: true } };
  }
  if (field === 'reorderPlaylistEntries' && d.chance(0.5)) {
    const [playlistId, entries] = d.pick([...ENTRIES_BY_PLAYLIST]);
    const order = d.shuffle(entries);
    if (d.chance(0.2)) order.pop();
    if (d.chance(0.2)) order.push(order[0]!);
    return { playlistId: { value: String(playlistId), literal: true }, entryIds: { value: order, literal: true } };
  }
  return {};
}

/** The argument as a literal or a `$variable` (declared, and its value recorded). */
function place(b: Builder, value: Value, type: string, argument?: GraphQLArgument): string {
  const asVariable =
    !value.literal || b.form === 'variables' || (b.form === 'mixed' && b.placement.chance(0.5)) || !isPrintable(value.value);
  if (!asVariable) return printLiteral(value.value);
  const name = `v${b.definitions.length}`;
  // Now and then a default in the definition and no value sent: the default must apply.
  if (argument && value.literal && isPrintable(value.value) && value.value !== null && b.placement.chance(0.05)) {
    b.definitions.push(`$${name}: ${type} = ${printLiteral(value.value)}`);
    return `$${name}`;
  }
  b.definitions.push(`$${name}: ${type}`);
  b.variables[name] = toJson(value.value);
  return `$${name}`;
}

function selectionSet(b: Builder, type: GraphQLCompositeType, depth: number): string {
  const used = new Set<string>();
  const parts = selections(b, type, depth, used);
  return `{ ${parts.join(' ')} }`;
}

function selections(b: Builder, type: GraphQLCompositeType, depth: number, used: Set<string>): string[] {
  const { d } = b;
  const parts: string[] = [];
  if (!isUnionType(type)) {
    const fields = Object.values(type.getFields());
    const wanted = 1 + d.below(d.chance(0.15) ? 5 : 2);
    // Fields with arguments twice as often: that is where the bounds are.
    const weighted = fields.map((f) => [f, f.args.length > 0 ? 2 : 1] as const);
    for (let i = 0; i < wanted && b.fieldBudget > 0; i++) {
      const field = d.weighted(weighted);
      if (!isLeafType(getNamedType(field.type)) && depth >= b.maxDepth) continue;
      parts.push(fieldSelection(b, field, depth, used));
    }
  }
  if (isAbstractType(type)) {
    if (isUnionType(type) || d.chance(0.6)) {
      const possible = b.schema.getPossibleTypes(type);
      for (let i = 1 + d.below(2); i > 0; i--) parts.push(fragment(b, d.pick(possible), depth, used));
    }
  } else if (d.chance(0.08)) {
    // Spreads that always apply are valid too: on the type itself, on one of its interfaces, or with no type condition.
    const condition = d.pick<GraphQLCompositeType | null>([type, ...type.getInterfaces(), null]);
    parts.push(fragment(b, condition, depth, used, type));
  }
  if (parts.length === 0 || d.chance(0.05)) parts.push(responseName(b, '__typename', used));
  return parts;
}

function fragment(
  b: Builder,
  condition: GraphQLCompositeType | null,
  depth: number,
  used: Set<string>,
  parent?: GraphQLCompositeType,
): string {
  const on = condition ?? parent;
  if (!on) throw new Error('A fragment needs a type condition or a parent type');
  const directive = b.d.chance(0.03) ? `${directiveOf(b)} ` : '';
  const body = selections(b, on, depth, used);
  return `... ${condition ? `on ${condition.name} ` : ''}${directive}{ ${body.join(' ')} }`;
}
