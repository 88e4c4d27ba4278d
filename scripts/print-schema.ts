// Writes schema.graphql and schema.subgraph.graphql (FEDERATION=true) from the Pothos schema
// (`npm run schema`); a test fails when they differ.
import { writeFileSync } from 'node:fs';
import { printGatewaySchema, printSubgraphSdl } from '../src/schema/index.js';

writeFileSync(new URL('../schema.graphql', import.meta.url), printGatewaySchema());
writeFileSync(new URL('../schema.subgraph.graphql', import.meta.url), printSubgraphSdl());
console.log('wrote schema.graphql and schema.subgraph.graphql');
