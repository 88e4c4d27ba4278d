/**
 * GraphQL Code Generator configuration for the example clients: typed documents for every
 * `graphql(...)` call under examples/client, from the gateway's schema.graphql.
 * Regenerate from the repository root with `npx graphql-codegen --config examples/codegen.ts`
 * (test/integration/examples.test.ts fails when examples/client/gql is out of date).
 */
import { fileURLToPath } from 'node:url';
import type { CodegenConfig } from '@graphql-codegen/cli';

// Codegen resolves relative paths from the working directory; these work from anywhere.
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

const config: CodegenConfig = {
  schema: here('../schema.graphql'),
  documents: [here('client/**/*.ts'), `!${here('client/gql/**')}`],
  ignoreNoDocuments: false,
  generates: {
    [here('client/gql/')]: {
      preset: 'client',
      // persisted-documents.json: the trusted documents map the gateway takes as PERSISTED_DOCUMENTS.
      presetConfig: { fragmentMasking: false, persistedDocuments: true },
      config: {
        // The examples compile as NodeNext ESM with verbatimModuleSyntax.
        useTypeImports: true,
        importExtension: '.js',
        enumsAsTypes: true,
        defaultScalarType: 'unknown',
        scalars: { Date: 'string', DateTime: 'string', Time: 'string', JSON: 'unknown' },
      },
    },
  },
};

export default config;
