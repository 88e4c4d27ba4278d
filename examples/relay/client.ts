/**
 * Relay against the gateway without React: relay-runtime's Environment with a fetch-based
 * network, and the operations of documents.ts as compiled by `npx relay-compiler` (run in
 * examples/relay) into `__generated__/`. React apps hand the same environment to
 * `RelayEnvironmentProvider` and use the same documents with `useLazyLoadQuery`,
 * `useRefetchableFragment` and `useMutation`.
 */
import {
  ConnectionHandler,
  commitMutation,
  Environment,
  type FetchFunction,
  fetchQuery,
  getSelector,
  Network,
  RecordSource,
  type SingularReaderSelector,
  Store,
} from 'relay-runtime';
import type { documents_playlist$data, documents_playlist$key } from './__generated__/documents_playlist.graphql.js';
import PlaylistFragment from './__generated__/documents_playlist.graphql.js';
import type { documentsCreatePlaylistMutation as CreatePlaylist } from './__generated__/documentsCreatePlaylistMutation.graphql.js';
import CreatePlaylistMutation from './__generated__/documentsCreatePlaylistMutation.graphql.js';
import type { documentsPlaylistRefetchQuery as PlaylistRefetch } from './__generated__/documentsPlaylistRefetchQuery.graphql.js';
import PlaylistRefetchQuery from './__generated__/documentsPlaylistRefetchQuery.graphql.js';
import type { documentsPlaylistsQuery as Playlists } from './__generated__/documentsPlaylistsQuery.graphql.js';
import PlaylistsQuery from './__generated__/documentsPlaylistsQuery.graphql.js';

export { PlaylistsQuery };

/** The key of the playlists connection in documents.ts (`@connection(key: …)`). */
export const PLAYLISTS_CONNECTION_KEY = 'documents_playlists';

/**
 * An environment whose network posts each operation's text to the gateway with the user's token.
 * The store holds one user's data: one environment per token.
 */
export function createRelayEnvironment(url: string, token: string): Environment {
  const fetchFn: FetchFunction = async (operation, variables) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: operation.text, variables }),
    });
    return response.json();
  };
  return new Environment({ network: Network.create(fetchFn), store: new Store(new RecordSource()) });
}

/**
 * Fetches a page of playlists into the store (a page `after` the connection's end cursor is
 * appended to the connection) and answers the query's data, rows masked to fragment references.
 */
export function loadPlaylists(environment: Environment, first: number, after?: string): Promise<Playlists['response'] | undefined> {
  return fetchQuery<Playlists>(environment, PlaylistsQuery, { first, after: after ?? null }).toPromise();
}

/** The store selector of a playlist row: its fragment at the record a fragment reference points to. */
function playlistSelector(ref: documents_playlist$key): SingularReaderSelector {
  const selector = getSelector(PlaylistFragment, ref);
  if (selector === null || selector.kind !== 'SingularReaderSelector') throw new Error('not a playlist fragment reference');
  return selector;
}

/** Reads a playlist row from the store through its fragment, as `useFragment` would. */
export function readPlaylist(environment: Environment, ref: documents_playlist$key): documents_playlist$data {
  return environment.lookup(playlistSelector(ref)).data as unknown as documents_playlist$data;
}

/** Calls `onChange` with a playlist row each time the store changes it (when `useFragment` re-renders); answers the unsubscribe. */
export function watchPlaylist(
  environment: Environment,
  ref: documents_playlist$key,
  onChange: (row: documents_playlist$data) => void,
): () => void {
  const subscription = environment.subscribe(environment.lookup(playlistSelector(ref)), (snapshot) =>
    onChange(snapshot.data as unknown as documents_playlist$data),
  );
  return () => subscription.dispose();
}

/** Refetches a playlist row by its global id (the fragment's generated `node(id:)` query) into the store. */
export function refetchPlaylist(environment: Environment, id: string): Promise<PlaylistRefetch['response'] | undefined> {
  return fetchQuery<PlaylistRefetch>(environment, PlaylistRefetchQuery, { id }).toPromise();
}

/** The store's id of the playlists connection as `loadPlaylists` fetched it (no filter arguments). */
export function playlistsConnectionId(): string {
  return ConnectionHandler.getConnectionID('client:root', PLAYLISTS_CONNECTION_KEY);
}

/** Creates a playlist; `@appendNode` adds it to the end of each connection in `connections`. */
export function createPlaylist(environment: Environment, name: string, connections: string[]): Promise<CreatePlaylist['response']> {
  return new Promise((resolve, reject) =>
    commitMutation<CreatePlaylist>(environment, {
      mutation: CreatePlaylistMutation,
      variables: { input: { name }, connections },
      onCompleted: (response, errors) => (errors?.length ? reject(new Error(errors.map((e) => e.message).join('; '))) : resolve(response)),
      onError: reject,
    }),
  );
}
