// Writes schema.graphql from the Pothos schema (`npm run schema`); a test fails when they differ.
import { writeFileSync } from 'node:fs';
import { printGatewaySchema } from '../src/schema/index.js';

writeFileSync(new URL('../schema.graphql', import.meta.url), printGatewaySchema());
console.log('wrote schema.graphql');
