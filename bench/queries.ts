import { ALICE } from '../src/sandbox/data.js';
import { DEFAULT_PER_PAGE } from '../src/sandbox/lists.js';
import { seedAlice } from '../src/sandbox/seed.js';

/** The benchmark's query names, cheapest first. */
export type QueryName = 'Q0' | 'Q1' | 'Q2' | 'Q3';

/** A benchmark query: its GraphQL text and what it asks of viewneo. */
export interface BenchQuery {
  readonly name: QueryName;
  readonly text: string;
  /** What the query reads, for the report. */
  readonly description: string;
}

/** Q0 to Q3: no upstream data, the playlist list, plus entries, plus the entries' content. */
export const QUERIES: readonly BenchQuery[] = [
  { name: 'Q0', description: '__typename only', text: '{ __typename }' },
  { name: 'Q1', description: 'playlists (first 20): id, name', text: '{ playlists(first: 20) { edges { node { id name } } } }' },
  {
    name: 'Q2',
    description: 'Q1 + entries: id, index, duration',
    text: '{ playlists(first: 20) { edges { node { id name entries { id index duration } } } } }',
  },
  {
    name: 'Q3',
    description: 'Q1 + entries: index, content (MediaFile name kind | Playlist name)',
    text:
      '{ playlists(first: 20) { edges { node { id name entries { index content { __typename ' +
      '... on MediaFile { id name kind } ... on Playlist { id name } } } } } } }',
  },
];

/** The JSON body a client POSTs to `/graphql` for `query`. */
export function requestBody(query: BenchQuery): string {
  return JSON.stringify({ query: query.text });
}

/**
 * The fewest viewneo calls that can answer each query for alice's seed data: Q1 reads the list,
 * Q2 also every listed playlist's entries, Q3 also the entries' media files, each by id or all
 * of them through the media list, whichever costs fewer calls (nested playlists are in the list
 * already). That is what the gateway's planner spends once it knows the media list's page count.
 */
export function minUpstreamCalls(): Record<QueryName, number> {
  const data = seedAlice(ALICE);
  const listed = data.playlists.slice(0, 20);
  const listedIds = new Set(listed.map((p) => p.id));
  const entries = data.playlistEntries.filter((e) => listedIds.has(e.playlist_id));
  const media = new Set(entries.flatMap((e) => (e.media_file_id === null ? [] : [e.media_file_id])));
  const mediaPages = Math.ceil(data.mediaFiles.length / DEFAULT_PER_PAGE);
  const nestedOutsideList = new Set(
    entries.flatMap((e) =>
      e.playlist_id_as_nested_playlist !== null && !listedIds.has(e.playlist_id_as_nested_playlist)
        ? [e.playlist_id_as_nested_playlist]
        : [],
    ),
  );
  const q2 = 1 + listed.length;
  return { Q0: 0, Q1: 1, Q2: q2, Q3: q2 + Math.min(media.size, mediaPages) + nestedOutsideList.size };
}

/** Upstream calls the planner saves on a cold Q3 against reading each distinct media file by id (what the by-id peers spend). */
export function plannerSavingsOnQ3(): number {
  const data = seedAlice(ALICE);
  const listedIds = new Set(data.playlists.slice(0, 20).map((p) => p.id));
  const media = new Set(
    data.playlistEntries.flatMap((e) => (listedIds.has(e.playlist_id) && e.media_file_id !== null ? [e.media_file_id] : [])),
  );
  return media.size - Math.min(media.size, Math.ceil(data.mediaFiles.length / DEFAULT_PER_PAGE));
}
