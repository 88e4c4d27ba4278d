// Adds the viewneo gateway to a supergraph: composes its subgraph SDL with a company's "stores"
// subgraph, runs Hive Gateway over the result with the caller's Authorization header propagated
// to the viewneo subgraph, and queries across both, in both directions.
// Run: start the gateway with FEDERATION=true (`FEDERATION=true npm run demo`), then
// GATEWAY_URL=http://localhost:4000/graphql VIEWNEO_TOKEN=<token> npx tsx examples/supergraph/main.ts
// (the demo's sandbox token is sandbox-alice-token).
import { composeSupergraph, fetchSubgraphSdl, startRouter, VIEWNEO_SUBGRAPH } from './router.js';
import { STORES_SDL, startStores } from './stores.js';

const gatewayUrl = process.env.GATEWAY_URL || 'http://localhost:4000/graphql';
const token = process.env.VIEWNEO_TOKEN;
if (!token) {
  console.error('Set VIEWNEO_TOKEN to a viewneo access token (with `npm run demo`: sandbox-alice-token).');
  process.exit(2);
}

const stores = await startStores([
  { id: 'berlin', name: 'Berlin Mitte', playlistViewneoId: 1001 },
  { id: 'hamburg', name: 'Hamburg Hafen', playlistViewneoId: 1002 },
  { id: 'munich', name: 'München Ost', playlistViewneoId: 1001 },
]);
const supergraph = composeSupergraph([
  { name: VIEWNEO_SUBGRAPH, url: gatewayUrl, sdl: await fetchSubgraphSdl(gatewayUrl) },
  { name: 'stores', url: stores.url, sdl: STORES_SDL },
]);
const router = await startRouter(supergraph);

type StoresAnswer = { stores: { name: string; playlist: { name: string; entries: { index: number }[] } | null }[] };
type PlaylistsAnswer = { playlists: { edges: { node: { name: string; shownInStores: { name: string }[] } }[] } };

/** Asks the router, as a frontend would: with the user's own viewneo token. */
async function ask<T>(query: string): Promise<T> {
  const response = await fetch(router.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  const answer = (await response.json()) as { data: T; errors?: { message: string; extensions?: { code?: string } }[] };
  if (answer.errors?.length) throw new Error(answer.errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; '));
  return answer.data;
}

try {
  // Stores (the stores subgraph) → their playlists (viewneo, one _entities call for all of them).
  const { stores: shown } = await ask<StoresAnswer>('{ stores { name playlist { name entries { index } } } }');
  console.log('stores → playlists:');
  for (const store of shown)
    console.log(`  ${store.name}: ${store.playlist?.name ?? '(no such playlist)'} (${store.playlist?.entries.length ?? 0} entries)`);
  // Playlists (viewneo) → the stores that show them (the stores subgraph, by viewneoId).
  const { playlists } = await ask<PlaylistsAnswer>('{ playlists(first: 2) { edges { node { name shownInStores { name } } } } }');
  console.log('playlists → stores:');
  for (const { node } of playlists.edges) console.log(`  ${node.name}: ${node.shownInStores.map((s) => s.name).join(', ') || '-'}`);
} catch (error) {
  console.error(`The supergraph query failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await router.close();
  await stores.close();
}
