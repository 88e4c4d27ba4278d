import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printGatewaySchema, printSubgraphSdl } from '../../src/schema/index.js';

describe('schema.graphql', () => {
  it('equals the schema printed from the Pothos types (run `npm run schema` after changing them)', () => {
    const committed = readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');
    expect(committed).toBe(printGatewaySchema());
  });

  it('schema.subgraph.graphql equals the subgraph SDL printed from the Pothos types (run `npm run schema` after changing them)', () => {
    const committed = readFileSync(new URL('../../schema.subgraph.graphql', import.meta.url), 'utf8');
    expect(committed).toBe(printSubgraphSdl());
  });
});
