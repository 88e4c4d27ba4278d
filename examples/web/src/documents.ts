// The GraphQL documents the app sends. Each editing view reads `updatedAt` so that its writes can
// say which version they were made on (`ifUnmodifiedSince`).

const PLAYLIST = `fragment PlaylistFields on Playlist {
  id
  viewneoId
  name
  updatedAt
  totalDuration
  entries {
    id
    index
    duration
    updatedAt
    content { __typename ... on MediaFile { name } ... on Playlist { name } }
  }
}`;

export const AUTHORIZATION_URL = `query AuthorizationUrl($redirectUri: String!) {
  authorizationUrl(redirectUri: $redirectUri) { url state }
}`;

export const EXCHANGE_CODE = `mutation ExchangeCode($code: String!, $redirectUri: String!, $state: String!) {
  exchangeCode(code: $code, redirectUri: $redirectUri, state: $state, refreshTokenDelivery: COOKIE) { accessToken expiresAt }
}`;

export const REFRESH_TOKEN = `mutation RefreshToken { refreshToken { accessToken expiresAt } }`;

export const SIGN_OUT = `mutation SignOut { signOut }`;

export const PLAYLISTS = `query Playlists { playlists(first: 50) { edges { node { ...PlaylistFields } } } }
${PLAYLIST}`;

export const PLAYLIST_BY_ID = `query Playlist($id: ID!) { playlist(id: $id) { ...PlaylistFields } }
${PLAYLIST}`;

export const RENAME_PLAYLIST = `mutation RenamePlaylist($id: ID!, $name: String!, $since: DateTime) {
  updatePlaylist(id: $id, input: { name: $name }, ifUnmodifiedSince: $since) { ...PlaylistFields }
}
${PLAYLIST}`;

export const REORDER_ENTRIES = `mutation ReorderEntries($playlistId: ID!, $entryIds: [ID!]!, $since: DateTime) {
  reorderPlaylistEntries(playlistId: $playlistId, entryIds: $entryIds, ifUnmodifiedSince: $since) { ...PlaylistFields }
}
${PLAYLIST}`;

export const PLAYLIST_CHANGED = `subscription PlaylistChanged($id: ID!) { playlistChanged(id: $id) { ...PlaylistFields } }
${PLAYLIST}`;

export const PLAYING_NOW = `subscription PlayingNow($id: ID!, $timeZone: String!) {
  playingNow(playlistId: $id, timeZone: $timeZone) {
    localTime
    nextChangeAt
    entries { id content { __typename ... on MediaFile { name } ... on Playlist { name } } }
  }
}`;

/** What the app reads of an entry. */
export interface Entry {
  readonly id: string;
  readonly index: number;
  readonly duration: number;
  readonly updatedAt: string | null;
  readonly content: { readonly __typename: string; readonly name: string } | null;
}

/** What the app reads of a playlist. */
export interface Playlist {
  readonly id: string;
  readonly viewneoId: number;
  readonly name: string;
  readonly updatedAt: string | null;
  readonly totalDuration: number;
  readonly entries: readonly Entry[];
}

/** A `playingNow` event. */
export interface PlayingNow {
  readonly localTime: string;
  readonly nextChangeAt: string | null;
  readonly entries: readonly Pick<Entry, 'id' | 'content'>[];
}

/** A token grant as `exchangeCode` and `refreshToken` answer it in token-handler mode. */
export interface Grant {
  readonly accessToken: string;
  readonly expiresAt: string;
}
