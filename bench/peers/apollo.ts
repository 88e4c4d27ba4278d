import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type AugmentedRequest, type CacheOptions, type DataSourceConfig, RESTDataSource } from '@apollo/datasource-rest';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { REPO_ROOT } from '../paths.js';
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

/**
 * viewneo as an Apollo RESTDataSource, one instance per GraphQL request (as Apollo's docs
 * recommend): the caller's token goes on in `willSendRequest` and into `cacheKeyFor`, so the
 * shared HTTP cache is per token; `ttlSeconds` > 0 caches answers (viewneo sends no
 * Cache-Control), 0 caches nothing across requests.
 */
class ViewneoAPI extends RESTDataSource {
  private readonly tokenKey: string;

  constructor(
    config: DataSourceConfig & { baseURL: string },
    private readonly token: string,
    private readonly ttlSeconds: number,
  ) {
    super(config);
    this.baseURL = config.baseURL;
    this.tokenKey = createHash('sha256').update(token).digest('base64url');
  }

  protected override willSendRequest(_path: string, request: AugmentedRequest): void {
    request.headers.authorization = `Bearer ${this.token}`;
    request.headers.accept = 'application/json';
  }

  protected override cacheKeyFor(url: URL): string {
    return `${this.tokenKey} ${url}`;
  }

  protected override cacheOptionsFor(): CacheOptions | undefined {
    return this.ttlSeconds > 0 ? { ttl: this.ttlSeconds } : undefined;
  }

  playlists(): Promise<RawPlaylist[]> {
    return this.get('playlist');
  }

  playlist(id: number): Promise<RawPlaylist> {
    return this.get(`playlist/${id}`);
  }

  entries(playlistId: number): Promise<RawEntry[]> {
    return this.get(`playlist/${playlistId}/playlistentry`);
  }

  mediaFile(id: number): Promise<RawMediaFile> {
    return this.get(`mediafile/${id}`);
  }
}

interface ApolloContext {
  readonly dataSources: { readonly viewneo: ViewneoAPI };
}

type Content = RawMediaFile | RawPlaylist;

// Only what Q0..Q3 read: playlists(first), Playlist id/name/entries, PlaylistEntry id/index/duration/content.
const resolvers = {
  Query: {
    playlists: async (_: unknown, args: { first?: number | null }, { dataSources }: ApolloContext) => {
      const playlists = await dataSources.viewneo.playlists();
      return { edges: playlists.slice(0, args.first ?? 20).map((node) => ({ node })), totalCount: playlists.length };
    },
  },
  Playlist: {
    id: (p: RawPlaylist) => globalId('Playlist', p.id),
    entries: async (p: RawPlaylist, _: unknown, { dataSources }: ApolloContext) => playOrder(await dataSources.viewneo.entries(p.id)),
  },
  PlaylistEntry: {
    id: (e: RawEntry) => entryGlobalId(e),
    content: (e: RawEntry, _: unknown, { dataSources }: ApolloContext): Promise<Content> | null => {
      if (e.media_file_id) return dataSources.viewneo.mediaFile(e.media_file_id);
      if (e.playlist_id_as_nested_playlist) return dataSources.viewneo.playlist(e.playlist_id_as_nested_playlist);
      return null;
    },
  },
  MediaFile: {
    id: (f: RawMediaFile) => globalId('MediaFile', f.id),
    kind: (f: RawMediaFile) => mediaKind(f),
  },
  PlaylistContent: {
    __resolveType: (c: Content) => ('attachable_type' in c ? 'MediaFile' : 'Playlist'),
  },
  Node: {
    __resolveType: (c: Content) => ('attachable_type' in c ? 'MediaFile' : 'Playlist'),
  },
};

/**
 * Apollo Server 5 (standalone, node:http) over viewneo with `@apollo/datasource-rest`, on the
 * gateway's schema.graphql; a positive `cacheTtlMs` becomes the data source's cache TTL.
 */
export const startApollo: StartPeer = async ({ sandboxUrl, cacheTtlMs }) => {
  const typeDefs = await readFile(new URL('schema.graphql', REPO_ROOT), 'utf8');
  const server = new ApolloServer<ApolloContext>({ typeDefs, resolvers });
  const baseURL = `${sandboxUrl}/api/v1.0/`;
  const ttlSeconds = Math.ceil(cacheTtlMs / 1000);
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => ({
      dataSources: { viewneo: new ViewneoAPI({ cache: server.cache, baseURL }, bearerToken(req.headers.authorization), ttlSeconds) },
    }),
  });
  return Number(new URL(url).port);
};
