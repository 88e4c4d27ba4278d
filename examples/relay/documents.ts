/**
 * The Relay example's operations. `npx relay-compiler` (run in examples/relay) reads the
 * `graphql` tagged templates below and writes their artifacts to `__generated__/`. With Relay's
 * Babel plugin each template would be replaced by its artifact at build time; this example runs
 * without Babel, so the function below is never called and the code imports the artifacts.
 */
import { graphql } from 'relay-runtime';

export const relayDocuments = () => [
  // A page of playlists kept as a Relay connection: the store merges pages and mutations into it.
  graphql`
    query documentsPlaylistsQuery($first: Int!, $after: String) {
      playlists(first: $first, after: $after) @connection(key: "documents_playlists") {
        __id
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            ...documents_playlist
          }
        }
      }
    }
  `,
  // What a playlist row shows; refetchable by its id through `node(id:)`.
  graphql`
    fragment documents_playlist on Playlist @refetchable(queryName: "documentsPlaylistRefetchQuery") {
      id
      viewneoId
      name
      comment
    }
  `,
  // Creates a playlist and appends it to the connections named in $connections.
  graphql`
    mutation documentsCreatePlaylistMutation($input: CreatePlaylistInput!, $connections: [ID!]!) {
      createPlaylist(input: $input) @appendNode(connections: $connections, edgeTypeName: "PlaylistEdge") {
        id
        ...documents_playlist
      }
    }
  `,
];
