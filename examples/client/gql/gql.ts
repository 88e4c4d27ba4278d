/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Playlists($first: Int, $after: String) {\n    playlists(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          viewneoId\n          name\n          totalDuration\n          entries {\n            index\n            duration\n            playRule\n            content {\n              __typename\n              ... on MediaFile {\n                name\n                kind\n              }\n              ... on Playlist {\n                name\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.PlaylistsDocument,
    "\n  mutation CreatePlaylist($input: CreatePlaylistInput!) {\n    createPlaylist(input: $input) {\n      id\n      viewneoId\n      name\n      comment\n    }\n  }\n": typeof types.CreatePlaylistDocument,
    "\n  mutation RenamePlaylist($id: ID!, $name: String!) {\n    updatePlaylist(id: $id, input: { name: $name }) {\n      id\n      name\n      updatedAt\n    }\n  }\n": typeof types.RenamePlaylistDocument,
    "\n  query AuthorizationUrl($redirectUri: String!) {\n    authorizationUrl(redirectUri: $redirectUri) {\n      url\n      state\n    }\n  }\n": typeof types.AuthorizationUrlDocument,
    "\n  mutation ExchangeCode($code: String!, $redirectUri: String!, $state: String) {\n    exchangeCode(code: $code, redirectUri: $redirectUri, state: $state) {\n      accessToken\n      refreshToken\n      tokenType\n      expiresIn\n      expiresAt\n    }\n  }\n": typeof types.ExchangeCodeDocument,
    "\n  mutation RefreshToken($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) {\n      accessToken\n      refreshToken\n      tokenType\n      expiresIn\n      expiresAt\n    }\n  }\n": typeof types.RefreshTokenDocument,
    "\n  query Editor($playlistId: ID!) {\n    playlist(id: $playlistId) {\n      id\n      name\n      entries {\n        id\n        index\n        duration\n        updatedAt\n      }\n    }\n    mediaFiles(kind: [PHYSICAL_FILE], first: 1) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.EditorDocument,
    "\n  mutation AddEntry($playlistId: ID!, $input: AddPlaylistEntryInput!) {\n    addPlaylistEntry(playlistId: $playlistId, input: $input) {\n      id\n      index\n      duration\n      updatedAt\n    }\n  }\n": typeof types.AddEntryDocument,
    "\n  mutation Reorder($playlistId: ID!, $entryIds: [ID!]!) {\n    reorderPlaylistEntries(playlistId: $playlistId, entryIds: $entryIds) {\n      id\n      entries {\n        id\n        index\n      }\n    }\n  }\n": typeof types.ReorderDocument,
    "\n  mutation SetDuration($id: ID!, $duration: Int!, $since: DateTime) {\n    updatePlaylistEntry(id: $id, input: { duration: $duration }, ifUnmodifiedSince: $since) {\n      id\n      duration\n      updatedAt\n    }\n  }\n": typeof types.SetDurationDocument,
    "\n  mutation RemoveEntry($id: ID!) {\n    removePlaylistEntry(id: $id)\n  }\n": typeof types.RemoveEntryDocument,
};
const documents: Documents = {
    "\n  query Playlists($first: Int, $after: String) {\n    playlists(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          viewneoId\n          name\n          totalDuration\n          entries {\n            index\n            duration\n            playRule\n            content {\n              __typename\n              ... on MediaFile {\n                name\n                kind\n              }\n              ... on Playlist {\n                name\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": types.PlaylistsDocument,
    "\n  mutation CreatePlaylist($input: CreatePlaylistInput!) {\n    createPlaylist(input: $input) {\n      id\n      viewneoId\n      name\n      comment\n    }\n  }\n": types.CreatePlaylistDocument,
    "\n  mutation RenamePlaylist($id: ID!, $name: String!) {\n    updatePlaylist(id: $id, input: { name: $name }) {\n      id\n      name\n      updatedAt\n    }\n  }\n": types.RenamePlaylistDocument,
    "\n  query AuthorizationUrl($redirectUri: String!) {\n    authorizationUrl(redirectUri: $redirectUri) {\n      url\n      state\n    }\n  }\n": types.AuthorizationUrlDocument,
    "\n  mutation ExchangeCode($code: String!, $redirectUri: String!, $state: String) {\n    exchangeCode(code: $code, redirectUri: $redirectUri, state: $state) {\n      accessToken\n      refreshToken\n      tokenType\n      expiresIn\n      expiresAt\n    }\n  }\n": types.ExchangeCodeDocument,
    "\n  mutation RefreshToken($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) {\n      accessToken\n      refreshToken\n      tokenType\n      expiresIn\n      expiresAt\n    }\n  }\n": types.RefreshTokenDocument,
    "\n  query Editor($playlistId: ID!) {\n    playlist(id: $playlistId) {\n      id\n      name\n      entries {\n        id\n        index\n        duration\n        updatedAt\n      }\n    }\n    mediaFiles(kind: [PHYSICAL_FILE], first: 1) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.EditorDocument,
    "\n  mutation AddEntry($playlistId: ID!, $input: AddPlaylistEntryInput!) {\n    addPlaylistEntry(playlistId: $playlistId, input: $input) {\n      id\n      index\n      duration\n      updatedAt\n    }\n  }\n": types.AddEntryDocument,
    "\n  mutation Reorder($playlistId: ID!, $entryIds: [ID!]!) {\n    reorderPlaylistEntries(playlistId: $playlistId, entryIds: $entryIds) {\n      id\n      entries {\n        id\n        index\n      }\n    }\n  }\n": types.ReorderDocument,
    "\n  mutation SetDuration($id: ID!, $duration: Int!, $since: DateTime) {\n    updatePlaylistEntry(id: $id, input: { duration: $duration }, ifUnmodifiedSince: $since) {\n      id\n      duration\n      updatedAt\n    }\n  }\n": types.SetDurationDocument,
    "\n  mutation RemoveEntry($id: ID!) {\n    removePlaylistEntry(id: $id)\n  }\n": types.RemoveEntryDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Playlists($first: Int, $after: String) {\n    playlists(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          viewneoId\n          name\n          totalDuration\n          entries {\n            index\n            duration\n            playRule\n            content {\n              __typename\n              ... on MediaFile {\n                name\n                kind\n              }\n              ... on Playlist {\n                name\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Playlists($first: Int, $after: String) {\n    playlists(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          viewneoId\n          name\n          totalDuration\n          entries {\n            index\n            duration\n            playRule\n            content {\n              __typename\n              ... on MediaFile {\n                name\n                kind\n              }\n              ... on Playlist {\n                name\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreatePlaylist($input: CreatePlaylistInput!) {\n    createPlaylist(input: $input) {\n      id\n      viewneoId\n      name\n      comment\n    }\n  }\n"): (typeof documents)["\n  mutation CreatePlaylist($input: CreatePlaylistInput!) {\n    createPlaylist(input: $input) {\n      id\n      viewneoId\n      name\n      comment\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RenamePlaylist($id: ID!, $name: String!) {\n    updatePlaylist(id: $id, input: { name: $name }) {\n      id\n      name\n      updatedAt\n    }\n  }\n"): (typeof documents)["\n  mutation RenamePlaylist($id: ID!, $name: String!) {\n    updatePlaylist(id: $id, input: { name: $name }) {\n      id\n      name\n      updatedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuthorizationUrl($redirectUri: String!) {\n    authorizationUrl(redirectUri: $redirectUri) {\n      url\n      state\n    }\n  }\n"): (typeof documents)["\n  query AuthorizationUrl($redirectUri: String!) {\n    authorizationUrl(redirectUri: $redirectUri) {\n      url\n      state\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ExchangeCode($code: String!, $redirectUri: String!, $state: String) {\n    exchangeCode(code: $code, redirectUri: $redirectUri, state: $state) {\n      accessToken\n      refreshToken\n      tokenType\n      expiresIn\n      expiresAt\n    }\n  }\n"): (typeof documents)["\n  mutation ExchangeCode($code: String!, $redirectUri: String!, $state: String) {\n    exchangeCode(code: $code, redirectUri: $redirectUri, state: $state) {\n      accessToken\n      refreshToken\n      tokenType\n      expiresIn\n      expiresAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshToken($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) {\n      accessToken\n      refreshToken\n      tokenType\n      expiresIn\n      expiresAt\n    }\n  }\n"): (typeof documents)["\n  mutation RefreshToken($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) {\n      accessToken\n      refreshToken\n      tokenType\n      expiresIn\n      expiresAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Editor($playlistId: ID!) {\n    playlist(id: $playlistId) {\n      id\n      name\n      entries {\n        id\n        index\n        duration\n        updatedAt\n      }\n    }\n    mediaFiles(kind: [PHYSICAL_FILE], first: 1) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Editor($playlistId: ID!) {\n    playlist(id: $playlistId) {\n      id\n      name\n      entries {\n        id\n        index\n        duration\n        updatedAt\n      }\n    }\n    mediaFiles(kind: [PHYSICAL_FILE], first: 1) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddEntry($playlistId: ID!, $input: AddPlaylistEntryInput!) {\n    addPlaylistEntry(playlistId: $playlistId, input: $input) {\n      id\n      index\n      duration\n      updatedAt\n    }\n  }\n"): (typeof documents)["\n  mutation AddEntry($playlistId: ID!, $input: AddPlaylistEntryInput!) {\n    addPlaylistEntry(playlistId: $playlistId, input: $input) {\n      id\n      index\n      duration\n      updatedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Reorder($playlistId: ID!, $entryIds: [ID!]!) {\n    reorderPlaylistEntries(playlistId: $playlistId, entryIds: $entryIds) {\n      id\n      entries {\n        id\n        index\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Reorder($playlistId: ID!, $entryIds: [ID!]!) {\n    reorderPlaylistEntries(playlistId: $playlistId, entryIds: $entryIds) {\n      id\n      entries {\n        id\n        index\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetDuration($id: ID!, $duration: Int!, $since: DateTime) {\n    updatePlaylistEntry(id: $id, input: { duration: $duration }, ifUnmodifiedSince: $since) {\n      id\n      duration\n      updatedAt\n    }\n  }\n"): (typeof documents)["\n  mutation SetDuration($id: ID!, $duration: Int!, $since: DateTime) {\n    updatePlaylistEntry(id: $id, input: { duration: $duration }, ifUnmodifiedSince: $since) {\n      id\n      duration\n      updatedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveEntry($id: ID!) {\n    removePlaylistEntry(id: $id)\n  }\n"): (typeof documents)["\n  mutation RemoveEntry($id: ID!) {\n    removePlaylistEntry(id: $id)\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;