// Relay (relay-compiler and relay-runtime, no React) against a gateway over the sandbox, with the
// example in examples/relay: its documents compile against schema.graphql, and the compiled query,
// refetch and mutation keep the Relay store consistent.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createOperationDescriptor, getRequest } from 'relay-runtime';
import { describe, expect, it } from 'vitest';
import {
  createPlaylist,
  createRelayEnvironment,
  loadPlaylists,
  PlaylistsQuery,
  playlistsConnectionId,
  readPlaylist,
  refetchPlaylist,
  watchPlaylist,
} from '../../examples/relay/client.js';
import { ALICE, useHarness } from '../support/harness.js';

const exampleDir = fileURLToPath(new URL('../../examples/relay/', import.meta.url));
const compiler = fileURLToPath(new URL('../../node_modules/relay-compiler/cli.js', import.meta.url));
const run = promisify(execFile);

describe('Relay', () => {
  it('compiles the example against schema.graphql to exactly the committed artifacts', async () => {
    // --validate: compile everything, write nothing, exit non-zero on an error or on an artifact
    // that differs from what it would write.
    const result = await run(process.execPath, [compiler, '--validate', '--output', 'quiet-with-errors'], {
      cwd: exampleDir,
      timeout: 30_000,
    }).then(
      () => 'ok',
      (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? String(error)}`,
    );
    expect(result, 'examples/relay is stale or broken: run `npx relay-compiler` in examples/relay').toBe('ok');
  });

  describe('against a gateway over the sandbox', () => {
    const h = useHarness();

    it('fetches pages into a connection, refetches a fragment by node(id), and appends a created playlist to the connection', async () => {
      const environment = createRelayEnvironment(h.url, ALICE);
      const page = await loadPlaylists(environment, 5);
      expect(page?.playlists.totalCount).toBe(20);
      expect(page?.playlists.pageInfo.hasNextPage).toBe(true);
      const connection = page!.playlists.__id;
      expect(connection).toBe(playlistsConnectionId());
      const rows = page!.playlists.edges.map((edge) => readPlaylist(environment, edge.node));
      expect(rows.map((row) => row.name)).toEqual(['01', '02', '03', '04', '05'].map((n) => `Alice playlist ${n}`));
      expect(rows[0]?.viewneoId).toBe(1001);

      // @connection: the next page joins the same connection record.
      await loadPlaylists(environment, 5, page!.playlists.pageInfo.endCursor!);
      const operation = createOperationDescriptor(getRequest(PlaylistsQuery), { first: 5, after: null });
      const stored = () => environment.lookup(operation.fragment).data as any;
      expect(stored().playlists.edges).toHaveLength(10);
      expect(readPlaylist(environment, stored().playlists.edges[9].node).name).toBe('Alice playlist 10');

      // @refetchable: another client renames a playlist; the refetch brings the new name into the
      // store and tells the fragment's subscriber.
      const third = rows[2]!;
      const renamed = await h.gql(`mutation { updatePlaylist(id: "${third.id}", input: { name: "Renamed elsewhere" }) { name } }`);
      expect(renamed.errors).toBeUndefined();
      expect(readPlaylist(environment, page!.playlists.edges[2]!.node).name).toBe('Alice playlist 03');
      const seen: string[] = [];
      const unwatch = watchPlaylist(environment, page!.playlists.edges[2]!.node, (row) => seen.push(row.name));
      try {
        const refetched = await refetchPlaylist(environment, third.id);
        expect(refetched?.node).toBeTruthy();
        expect(readPlaylist(environment, refetched!.node!)).toMatchObject({ id: third.id, name: 'Renamed elsewhere' });
      } finally {
        unwatch();
      }
      expect(seen).toEqual(['Renamed elsewhere']);
      expect(readPlaylist(environment, page!.playlists.edges[2]!.node).name).toBe('Renamed elsewhere');

      // @appendNode: the created playlist is the connection's last edge, from the mutation's answer alone.
      h.sandbox.resetRequests();
      const created = await createPlaylist(environment, 'Made by Relay', [connection]);
      expect(h.sandbox.requestCounts()).toEqual({ 'POST /api/v1.0/playlist': 1 });
      const edges = stored().playlists.edges;
      expect(edges).toHaveLength(11);
      expect(edges.at(-1).node.id).toBe(created.createPlaylist.id);
      expect(readPlaylist(environment, edges.at(-1).node)).toMatchObject({ name: 'Made by Relay', id: created.createPlaylist.id });
    });
  });
});
