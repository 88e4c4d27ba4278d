import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import graphqlPlugin from '@graphql-eslint/eslint-plugin';
import { ESLint, type Linter } from 'eslint';
import { parse, visit } from 'graphql';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCHEMA = 'schema.graphql';
const SCHEMA_PATH = fileURLToPath(new URL(`../../${SCHEMA}`, import.meta.url));

/**
 * Lints the committed schema.graphql with graphql-eslint's schema rules through ESLint's Node
 * API, and answers one line per problem: rule, location, message.
 */
async function lintSchema(rules: Linter.RulesRecord): Promise<string[]> {
  const eslint = new ESLint({
    cwd: ROOT,
    // The repository has no ESLint configuration (Biome lints the code): only these rules run.
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.graphql'],
        languageOptions: {
          parser: graphqlPlugin.parser,
          parserOptions: { graphQLConfig: { schema: SCHEMA_PATH } },
        },
        plugins: { '@graphql-eslint': graphqlPlugin },
        rules,
      },
    ],
  });
  const results = await eslint.lintFiles([SCHEMA]);
  expect(results).toHaveLength(1);
  return results.flatMap((result) =>
    result.messages.map((m) => `${m.ruleId ?? 'parse error'} at ${SCHEMA}:${m.line}:${m.column}: ${m.message.replaceAll('\n', ' ')}`),
  );
}

describe('schema.graphql, linted by @graphql-eslint', () => {
  it('passes the recommended schema rules', async () => {
    const problems = await lintSchema({
      ...graphqlPlugin.configs['flat/schema-recommended'].rules,
      // Relay's connections, edges and PageInfo, the OAuth payloads and values owned by an object (a thumbnail, a timeline slot) have no identity of their own.
      '@graphql-eslint/strict-id-in-types': [
        'error',
        {
          exceptions: {
            suffixes: ['Connection', 'Edge', 'Payload'],
            types: [
              'AuthorizationRequest',
              'MediaFileThumbnail',
              'PageInfo',
              'PhysicalFile',
              'PlayingNow',
              'TemplateElement',
              'TimelineItem',
            ],
          },
        },
      ],
    });
    expect(problems).toEqual([]);
  });

  it('describes every type, field, argument, enum value and input field', async () => {
    const problems = await lintSchema({
      '@graphql-eslint/require-description': [
        'error',
        { types: true, FieldDefinition: true, InputValueDefinition: true, EnumValueDefinition: true, DirectiveDefinition: true },
      ],
    });
    expect(problems).toEqual([]);
  });
});

describe('schema.graphql descriptions', () => {
  it('start with a capital letter wherever they start with a letter', () => {
    // graphql-schema-linter's descriptions-are-capitalized, on every description rather than only fields': a
    // description may start with a value that has no case ("#RRGGBB", `start`, 1 to 255 characters).
    const lowercase: string[] = [];
    visit(parse(readFileSync(SCHEMA_PATH, 'utf8')), {
      enter(node) {
        const text = 'description' in node ? node.description?.value : undefined;
        const name = (node as { name?: { value: string } }).name?.value ?? node.kind;
        if (text && text[0] !== text[0]!.toUpperCase()) lowercase.push(`${name}: ${text.slice(0, 60)}`);
      },
    });
    expect(lowercase).toEqual([]);
  });
});
