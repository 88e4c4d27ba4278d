import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QUERIES, type QueryName } from '../queries.js';
import type { StartPeer } from './types.js';
import {
  bearerToken,
  entryGlobalId,
  globalId,
  mediaKind,
  playOrder,
  type RawEntry,
  type RawMediaFile,
  type RawPlaylist,
} from './viewneo-json.js';

const BY_TEXT = new Map<string, QueryName>(QUERIES.map((q) => [q.text, q.name]));

/** A status and a JSON body. */
export type Answer = { status: number; body: unknown };

/**
 * The floor: no GraphQL at all. It recognises Q0..Q3 by their exact text and makes the fewest
 * upstream calls for them with the caller's token (the list; then every playlist's entries in
 * parallel; then every distinct media file in parallel), with no cache, and assembles the same
 * JSON as the GraphQL answer. It assumes the sandbox's default list shapes (plain arrays).
 */
export const startRestFloor: StartPeer = async ({ sandboxUrl }) => {
  const api = `${sandboxUrl}/api/v1.0`;
  const server = createServer((req, res) => {
    answer(api, req)
      .catch((error: unknown): Answer => ({ status: 502, body: { errors: [{ message: String(error) }] } }))
      .then(({ status, body }) => {
        const text = JSON.stringify(body);
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

async function answer(api: string, req: IncomingMessage): Promise<Answer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return restFloorAnswer(api, req.headers.authorization, Buffer.concat(chunks).toString('utf8'));
}

/** The rest-floor's answer to a request with this `Authorization` header and body (`api`: the sandbox's /api/v1.0). */
export async function restFloorAnswer(api: string, authorization: string | undefined, body: string): Promise<Answer> {
  const { query } = JSON.parse(body) as { query?: string };
  const name = BY_TEXT.get(query ?? '');
  if (name === undefined) return { status: 400, body: { errors: [{ message: 'rest-floor answers Q0..Q3 only' }] } };
  if (name === 'Q0') return data({ __typename: 'Query' });

  const token = bearerToken(authorization);
  const get = async <T>(path: string): Promise<T | null> => {
    const res = await fetch(`${api}${path}`, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`viewneo answered ${res.status} for ${path}`);
    return (await res.json()) as T;
  };

  const playlists = ((await get<RawPlaylist[]>('/playlist')) ?? []).slice(0, 20);
  if (name === 'Q1')
    return data({ playlists: { edges: playlists.map((p) => ({ node: { id: globalId('Playlist', p.id), name: p.name } })) } });

  const entryLists = await Promise.all(
    playlists.map(async (p) => playOrder((await get<RawEntry[]>(`/playlist/${p.id}/playlistentry`)) ?? [])),
  );
  if (name === 'Q2') {
    return data({
      playlists: {
        edges: playlists.map((p, i) => ({
          node: {
            id: globalId('Playlist', p.id),
            name: p.name,
            entries: entryLists[i]!.map((e) => ({ id: entryGlobalId(e), index: e.index, duration: e.duration })),
          },
        })),
      },
    });
  }

  const listed = new Map(playlists.map((p) => [p.id, p]));
  const entries = entryLists.flat();
  const mediaIds = new Set(entries.flatMap((e) => (e.media_file_id ? [e.media_file_id] : [])));
  const unlisted = new Set(
    entries.flatMap((e) =>
      e.playlist_id_as_nested_playlist && !listed.has(e.playlist_id_as_nested_playlist) ? [e.playlist_id_as_nested_playlist] : [],
    ),
  );
  const [media, nested] = await Promise.all([
    fetchAll([...mediaIds], (id) => get<RawMediaFile>(`/mediafile/${id}`)),
    fetchAll([...unlisted], (id) => get<RawPlaylist>(`/playlist/${id}`)),
  ]);
  const content = (e: RawEntry) => {
    if (e.media_file_id) {
      const file = media.get(e.media_file_id);
      return file ? { __typename: 'MediaFile', id: globalId('MediaFile', file.id), name: file.name, kind: mediaKind(file) } : null;
    }
    const id = e.playlist_id_as_nested_playlist;
    const playlist = id ? (listed.get(id) ?? nested.get(id)) : null;
    return playlist ? { __typename: 'Playlist', id: globalId('Playlist', playlist.id), name: playlist.name } : null;
  };
  return data({
    playlists: {
      edges: playlists.map((p, i) => ({
        node: {
          id: globalId('Playlist', p.id),
          name: p.name,
          entries: entryLists[i]!.map((e) => ({ index: e.index, content: content(e) })),
        },
      })),
    },
  });
}

async function fetchAll<T>(ids: number[], load: (id: number) => Promise<T | null>): Promise<Map<number, T | null>> {
  return new Map(await Promise.all(ids.map(async (id) => [id, await load(id)] as const)));
}

function data(value: unknown): Answer {
  return { status: 200, body: { data: value } };
}
