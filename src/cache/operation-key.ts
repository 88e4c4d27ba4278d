import type { DocumentNode } from 'graphql';

// Longer variables are not worth a key: such runs are neither cached whole nor read ahead.
const MAX_VARIABLES_LENGTH = 4096;

const documentIds = new WeakMap<DocumentNode, number>();
let nextDocumentId = 0;

/**
 * The name of one run of an operation, shared by the result cache and reading ahead: the parsed
 * document, the operation's name and the variables as sent. Yoga's parse cache hands out one
 * document object per text, so an id per object names the text without printing it. Null when
 * the variables are over 4 KiB as JSON.
 */
export function operationKey(document: DocumentNode, operationName: string | null | undefined, variables: unknown): string | null {
  const vars = variables === undefined || variables === null ? '' : JSON.stringify(variables);
  if (vars.length > MAX_VARIABLES_LENGTH) return null;
  let id = documentIds.get(document);
  if (id === undefined) {
    id = nextDocumentId++;
    documentIds.set(document, id);
  }
  return `${id}:${operationName ?? ''}:${vars}`;
}
