// The supergraph's router: Hive Gateway (its runtime, in-process) over a supergraph composed from
// the viewneo gateway's subgraph SDL and the company's own subgraphs. What matters for viewneo:
// the caller's Authorization header reaches the viewneo subgraph unchanged, and nothing the router
// caches or shares outlives one caller's request (see the README's "In a federated supergraph").
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';

/** The name the viewneo gateway has in the supergraph (the router propagates the token to it). */
export const VIEWNEO_SUBGRAPH = 'viewneo';

/** A subgraph to compose: its name, its GraphQL endpoint and its SDL. */
export interface Subgraph {
  readonly name: string;
  readonly url: string;
  readonly sdl: string;
}

/** The viewneo gateway's subgraph SDL, read from `{ _service { sdl } }` (no token needed; FEDERATION=true). */
export async function fetchSubgraphSdl(url: string): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
  });
  const answer = (await response.json()) as { data?: { _service?: { sdl?: string } }; errors?: { message: string }[] };
  const sdl = answer.data?._service?.sdl;
  if (typeof sdl !== 'string') {
    throw new Error(
      `Expected the subgraph SDL from ${url} (FEDERATION=true), got ${answer.errors?.[0]?.message ?? `HTTP ${response.status}`}`,
    );
  }
  return sdl;
}

/** The supergraph SDL of `subgraphs` (Federation 2 composition); throws with every composition error. */
export function composeSupergraph(subgraphs: readonly Subgraph[]): string {
  const result = composeServices(subgraphs.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })));
  if (result.errors) throw new Error(`Expected the subgraphs to compose, got: ${result.errors.map((e) => e.message).join('; ')}`);
  return result.supergraphSdl;
}

/** Hive Gateway over `supergraphSdl`, served on loopback; `close()` stops it. */
export async function startRouter(supergraphSdl: string): Promise<{ url: string; close(): Promise<void> }> {
  const router = createGatewayRuntime({
    supergraph: supergraphSdl,
    logging: false,
    propagateHeaders: {
      // The caller's own token, to the viewneo subgraph only: viewneo answers with that user's data,
      // and the gateway caches it under that token. No other subgraph needs the viewneo token.
      fromClientToSubgraphs: ({ request, subgraphName }) => {
        const authorization = request.headers.get('authorization');
        return subgraphName === VIEWNEO_SUBGRAPH && authorization !== null ? { authorization } : undefined;
      },
    },
    // Left at their defaults, and they must stay so unless keyed by the Authorization header:
    // responseCaching (off) and inboundInflightRequestDeduplication (off) would share one
    // caller's answer with another.
  });
  const server = createServer(router);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await router.dispose();
    },
  };
}
