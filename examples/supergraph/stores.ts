// A company's own subgraph beside viewneo's: stores, each showing a viewneo playlist on its screens.
// It names the playlist by its key (`viewneoId`) and adds `Playlist.shownInStores`; the router asks
// the viewneo gateway for everything else about the playlist, with the caller's token.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';

/** A store of the example, and the viewneo playlist (by viewneo id) its screens show. */
export interface Store {
  readonly id: string;
  readonly name: string;
  readonly playlistViewneoId: number;
}

/** The stores subgraph's SDL, as its router composes it. */
export const STORES_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])

  type Store @key(fields: "id") {
    id: ID!
    name: String!
    "The viewneo playlist the store's screens show; null when the caller's viewneo account has no such playlist."
    playlist: Playlist
  }

  type Playlist @key(fields: "viewneoId") {
    viewneoId: Int!
    "The stores whose screens show this playlist."
    shownInStores: [Store!]!
  }

  type Query {
    stores: [Store!]!
  }
`;

/** The stores subgraph over `stores`, served on loopback; `close()` stops it. `onRequest` sees each request it receives. */
export async function startStores(
  stores: readonly Store[],
  onRequest: (request: Request) => void = () => {},
): Promise<{ url: string; close(): Promise<void> }> {
  const byId = new Map(stores.map((store) => [store.id, store]));
  const schema = buildSubgraphSchema({
    typeDefs: parse(STORES_SDL),
    resolvers: {
      Query: { stores: () => stores },
      Store: {
        __resolveReference: ({ id }: { id: string }) => byId.get(id) ?? null,
        // Only the key: the router reads the rest from the viewneo gateway.
        playlist: (store: Store) => ({ __typename: 'Playlist', viewneoId: store.playlistViewneoId }),
      },
      Playlist: {
        __resolveReference: (playlist: { viewneoId: number }) => playlist,
        shownInStores: ({ viewneoId }: { viewneoId: number }) => stores.filter((store) => store.playlistViewneoId === viewneoId),
      },
    },
  });
  const server = createServer(
    createYoga({ schema, logging: false, landingPage: false, plugins: [{ onRequest: ({ request }) => onRequest(request) }] }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
