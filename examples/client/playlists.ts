// Lists every playlist of a viewneo account through the gateway, page by page, with typed results
// and plain fetch. Run: GATEWAY_URL=http://localhost:4000/graphql VIEWNEO_TOKEN=<token> npx tsx examples/client/playlists.ts
// (`npm run demo` serves that URL; its sandbox token is sandbox-alice-token).
import type { ResultOf } from '@graphql-typed-document-node/core';
import { PlaylistsQuery } from './documents.js';
import { describeError, request } from './request.js';

const url = process.env.GATEWAY_URL || 'http://localhost:4000/graphql';
const token = process.env.VIEWNEO_TOKEN;
if (!token) {
  console.error('Set VIEWNEO_TOKEN to a viewneo access token (with `npm run demo`: sandbox-alice-token).');
  process.exit(2);
}

try {
  let after: string | null = null;
  do {
    // Annotated because `after` flows from one page into the next request.
    const { playlists }: ResultOf<typeof PlaylistsQuery> = await request(url, PlaylistsQuery, { first: 10, after }, token);
    if (after === null) console.log(`${playlists.totalCount} playlists`);
    for (const { node } of playlists.edges) {
      const media = node.entries.filter((e) => e.content?.__typename === 'MediaFile').length;
      console.log(`  ${node.name}  (${node.entries.length} entries, ${media} media files, ${node.totalDuration} s)`);
    }
    after = playlists.pageInfo.hasNextPage ? playlists.pageInfo.endCursor : null;
  } while (after !== null);
} catch (error) {
  // UNAUTHENTICATED: a missing, malformed or rejected token (the README lists every error code).
  console.error(`Listing the playlists failed: ${describeError(error)}`);
  process.exitCode = 1;
}
