// Edits a playlist as a signage editor does: adds a media file, moves it to the front, changes its
// duration without overwriting someone else's change (ifUnmodifiedSince → CONFLICT), and removes it.
// Run: GATEWAY_URL=http://localhost:4000/graphql VIEWNEO_TOKEN=<token> npx tsx examples/client/editing.ts [playlist id]
// (`npm run demo` serves that URL; its sandbox token is sandbox-alice-token).
import { AddEntryMutation, EditorQuery, RemoveEntryMutation, ReorderMutation, SetDurationMutation } from './documents.js';
import { describeError, GatewayRequestError, request } from './request.js';

const url = process.env.GATEWAY_URL || 'http://localhost:4000/graphql';
const token = process.env.VIEWNEO_TOKEN;
const playlistId = process.argv[2] ?? '1003';
if (!token) {
  console.error('Set VIEWNEO_TOKEN to a viewneo access token (with `npm run demo`: sandbox-alice-token).');
  process.exit(2);
}

try {
  const { playlist, mediaFiles } = await request(url, EditorQuery, { playlistId }, token);
  const media = mediaFiles.edges[0]?.node;
  if (!playlist || !media) throw new Error(`no playlist ${playlistId} or no uploaded media file to add`);
  console.log(`1. ${playlist.name}: ${playlist.entries.length} entries`);

  const { addPlaylistEntry: added } = await request(
    url,
    AddEntryMutation,
    { playlistId, input: { mediaFileId: media.id, duration: 8 } },
    token,
  );
  console.log(`2. added ${media.name} at index ${added.index}`);

  const order = [added.id, ...playlist.entries.map((e) => e.id)];
  const { reorderPlaylistEntries } = await request(url, ReorderMutation, { playlistId, entryIds: order }, token);
  console.log(`3. moved it to the front: ${reorderPlaylistEntries.entries[0]?.id === added.id ? 'first' : 'not first'}`);

  // Re-read the entry's updatedAt after the move (reordering rewrote indexes), then change it twice with that
  // same value: the second write is over a change this editor has not seen, and is refused.
  const fresh = (await request(url, EditorQuery, { playlistId }, token)).playlist?.entries.find((e) => e.id === added.id);
  const since = fresh?.updatedAt ?? null;
  const { updatePlaylistEntry: changed } = await request(url, SetDurationMutation, { id: added.id, duration: 12, since }, token);
  console.log(`4. duration ${changed.duration} s`);
  try {
    await request(url, SetDurationMutation, { id: added.id, duration: 20, since }, token);
    console.log('5. the stale write went through (it should not have)');
  } catch (error) {
    const conflict = error instanceof GatewayRequestError ? error.errors.find((e) => e.extensions?.code === 'CONFLICT') : undefined;
    if (!conflict) throw error;
    console.log(`5. refused a stale write: CONFLICT, it changed at ${conflict.extensions?.updatedAt}`);
  }

  await request(url, RemoveEntryMutation, { id: added.id }, token);
  console.log('6. removed it again');
} catch (error) {
  console.error(`Editing the playlist failed: ${describeError(error)}`);
  process.exitCode = 1;
}
