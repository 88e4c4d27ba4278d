// Apollo Client 4 against the gateway: an HttpLink that sends the viewneo token, and the typed
// documents from examples/client/documents.ts, so `data` and `variables` are checked by tsc.
// Run: GATEWAY_URL=http://localhost:4000/graphql VIEWNEO_TOKEN=<token> npx tsx examples/apollo-client.ts
import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { PlaylistsQuery, RenamePlaylistMutation } from './client/documents.js';

const url = process.env.GATEWAY_URL || 'http://localhost:4000/graphql';
const token = process.env.VIEWNEO_TOKEN;
if (!token) {
  console.error('Set VIEWNEO_TOKEN to a viewneo access token (with `npm run demo`: sandbox-alice-token).');
  process.exit(2);
}

const client = new ApolloClient({
  // The gateway answers with the caller's own viewneo data: one client (and cache) per token.
  link: new HttpLink({ uri: url, headers: { authorization: `Bearer ${token}` } }),
  cache: new InMemoryCache(),
});

const { data } = await client.query({ query: PlaylistsQuery, variables: { first: 3 } });
const playlists = data?.playlists.edges.map(({ node }) => node) ?? [];
console.log(`${data?.playlists.totalCount} playlists; the first ${playlists.length}:`);
for (const playlist of playlists) console.log(`  ${playlist.name}  (${playlist.totalDuration} s)`);

// A mutation's answer updates the cached playlist by its id.
const first = playlists[0];
if (first && process.env.RENAME === '1') {
  const { data: renamed } = await client.mutate({
    mutation: RenamePlaylistMutation,
    variables: { id: first.id, name: `${first.name} (renamed)` },
  });
  console.log(`renamed to ${renamed?.updatePlaylist.name}`);
}
