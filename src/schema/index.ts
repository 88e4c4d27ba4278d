import { printSchema } from 'graphql';
import { builder } from './builder.js';
import './scalars.js';
import './playlist.js';
import './playlist-entry.js';
import './playing-now.js';
import './ordering.js';
import './website.js';
import './media-file.js';
import './media-file-mutations.js';
import './template.js';
import './timeline-item.js';
import './auth.js';
import './subscriptions.js';

/** The gateway's executable GraphQL schema. */
export const schema = builder.toSchema();

/** The schema as SDL, in declaration order, as committed in `schema.graphql`. */
export function printGatewaySchema(): string {
  return `${printSchema(schema)}\n`;
}
