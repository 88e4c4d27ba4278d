/**
 * The GraphQL operations the example clients send. `graphql()` returns typed documents:
 * after `npx graphql-codegen --config examples/codegen.ts`, each constant carries the types of
 * its variables and its result.
 */
import { graphql } from './gql/index.js';

/** A page of the caller's playlists, with what each entry shows. */
export const PlaylistsQuery = graphql(`
  query Playlists($first: Int, $after: String) {
    playlists(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          viewneoId
          name
          totalDuration
          entries {
            index
            duration
            playRule
            content {
              __typename
              ... on MediaFile {
                name
                kind
              }
              ... on Playlist {
                name
              }
            }
          }
        }
      }
    }
  }
`);

/** Creates a playlist. */
export const CreatePlaylistMutation = graphql(`
  mutation CreatePlaylist($input: CreatePlaylistInput!) {
    createPlaylist(input: $input) {
      id
      viewneoId
      name
      comment
    }
  }
`);

/** Renames a playlist (global or viewneo id). */
export const RenamePlaylistMutation = graphql(`
  mutation RenamePlaylist($id: ID!, $name: String!) {
    updatePlaylist(id: $id, input: { name: $name }) {
      id
      name
      updatedAt
    }
  }
`);

/** Starts the OAuth2 flow: viewneo's consent URL and the signed state to pass back. */
export const AuthorizationUrlQuery = graphql(`
  query AuthorizationUrl($redirectUri: String!) {
    authorizationUrl(redirectUri: $redirectUri) {
      url
      state
    }
  }
`);

/** Trades the code from viewneo's redirect for tokens; the gateway verifies the state. */
export const ExchangeCodeMutation = graphql(`
  mutation ExchangeCode($code: String!, $redirectUri: String!, $state: String) {
    exchangeCode(code: $code, redirectUri: $redirectUri, state: $state) {
      accessToken
      refreshToken
      tokenType
      expiresIn
      expiresAt
    }
  }
`);

/** Trades a refresh token for a new access token and a new refresh token. */
export const RefreshTokenMutation = graphql(`
  mutation RefreshToken($refreshToken: String!) {
    refreshToken(refreshToken: $refreshToken) {
      accessToken
      refreshToken
      tokenType
      expiresIn
      expiresAt
    }
  }
`);

/** What an editor needs of a playlist: its entries with their ids and `updatedAt`, and a media file to add. */
export const EditorQuery = graphql(`
  query Editor($playlistId: ID!) {
    playlist(id: $playlistId) {
      id
      name
      entries {
        id
        index
        duration
        updatedAt
      }
    }
    mediaFiles(kind: [PHYSICAL_FILE], first: 1) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);

/** Adds a media file to a playlist. */
export const AddEntryMutation = graphql(`
  mutation AddEntry($playlistId: ID!, $input: AddPlaylistEntryInput!) {
    addPlaylistEntry(playlistId: $playlistId, input: $input) {
      id
      index
      duration
      updatedAt
    }
  }
`);

/** Puts a playlist's entries in a new order; answers them fresh (Relay and Apollo update their caches by id). */
export const ReorderMutation = graphql(`
  mutation Reorder($playlistId: ID!, $entryIds: [ID!]!) {
    reorderPlaylistEntries(playlistId: $playlistId, entryIds: $entryIds) {
      id
      entries {
        id
        index
      }
    }
  }
`);

/** Changes an entry's duration, unless it changed since `since`. */
export const SetDurationMutation = graphql(`
  mutation SetDuration($id: ID!, $duration: Int!, $since: DateTime) {
    updatePlaylistEntry(id: $id, input: { duration: $duration }, ifUnmodifiedSince: $since) {
      id
      duration
      updatedAt
    }
  }
`);

/** Removes an entry. */
export const RemoveEntryMutation = graphql(`
  mutation RemoveEntry($id: ID!) {
    removePlaylistEntry(id: $id)
  }
`);
