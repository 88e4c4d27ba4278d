import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { GraphQLParams, Plugin } from 'graphql-yoga';

const refusal = (message: string, code: string) => ({ message, extensions: { code, http: { status: 400 } } });

/**
 * The id of the trusted document a request names: `documentId` (GraphQL over HTTP's persisted
 * documents, in the body or the query string), or Apollo's `extensions.persistedQuery.sha256Hash`
 * (looked up as "sha256:<hash>" when the bare hash is not a key).
 */
function documentIdOf(documents: ReadonlyMap<string, string>) {
  return (params: GraphQLParams, request: Request): string | null => {
    const given = (params as { documentId?: unknown }).documentId ?? new URL(request.url).searchParams.get('documentId');
    if (typeof given === 'string' && given !== '') return given;
    const hash = (params.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined)?.sha256Hash;
    if (typeof hash !== 'string') return null;
    return documents.has(hash) ? hash : `sha256:${hash}`;
  };
}

/**
 * Trusted documents: a request may name a document of `documents` by id instead of sending its
 * text (see documentIdOf). With `only`, every other document is refused (PERSISTED_DOCUMENTS_ONLY);
 * an unknown id is PERSISTED_DOCUMENT_NOT_FOUND, a request with neither text nor id
 * PERSISTED_DOCUMENT_ID_REQUIRED (all HTTP 400).
 */
export function useTrustedDocuments(documents: ReadonlyMap<string, string>, only: boolean): Plugin {
  return usePersistedOperations({
    getPersistedOperation: (id) => documents.get(id) ?? null,
    allowArbitraryOperations: !only,
    extractPersistedOperationId: documentIdOf(documents),
    customErrors: {
      notFound: refusal('Expected the id of a trusted document, got an id the gateway does not know', 'PERSISTED_DOCUMENT_NOT_FOUND'),
      persistedQueryOnly: refusal(
        'Expected a trusted document by its id (documentId or extensions.persistedQuery), got a document text: this gateway runs only trusted documents',
        'PERSISTED_DOCUMENTS_ONLY',
      ),
      keyNotFound: refusal(
        'Expected a query, a documentId or extensions.persistedQuery.sha256Hash, got none',
        'PERSISTED_DOCUMENT_ID_REQUIRED',
      ),
    },
  }) as Plugin;
}
