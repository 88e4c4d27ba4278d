import type DataLoader from 'dataloader';
import type { LoaderDeps, Loaders } from '../../src/viewneo/loaders.js';
import { benchConfig, serveGateway } from './gateway.js';
import type { StartPeer } from './types.js';

/** Stands in for a DataLoader: every `load` calls viewneo; no batching, no per-request dedupe, no cache. */
function direct<K, V>(load: (key: K) => Promise<V>): DataLoader<K, V> {
  const loader = {
    load,
    loadMany: (keys: readonly K[]) => Promise.all(keys.map(load)),
    prime: () => loader,
    clear: () => loader,
    clearAll: () => loader,
  };
  return loader as unknown as DataLoader<K, V>;
}

/** Loaders that call the upstream client directly on every `load`. */
export function naiveLoaders({ token, client }: LoaderDeps): Loaders {
  return {
    playlists: direct(() => client.listPlaylists(token)),
    playlist: direct((id: number) => client.getPlaylist(token, id)),
    playlistEntries: direct((id: number) => client.listPlaylistEntries(token, id)),
    mediaFiles: direct(() => client.listMediaFiles(token)),
    mediaFile: direct((id: number) => client.getMediaFile(token, id)),
    templates: direct(() => client.listTemplates(token)),
    template: direct((id: number) => client.getTemplate(token, id)),
    website: direct((id: number) => client.getWebsite(token, id)),
  };
}

/** The same Pothos schema with naive loaders and CACHE_TTL_MS=0, whatever the mode. */
export const startNaive: StartPeer = async (settings) =>
  (await serveGateway(benchConfig({ ...settings, cacheTtlMs: 0 }), { createLoaders: naiveLoaders })).port;
