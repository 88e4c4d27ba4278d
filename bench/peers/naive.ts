import { gatewayOf } from '../../src/gateway.js';
import { listen } from '../../src/serve.js';
import { createServices } from '../../src/services.js';
import type { OpenSession } from '../../src/session/session.js';
import { benchConfig } from './gateway.js';
import type { StartPeer } from './types.js';

/**
 * A session with no batching, no per-request de-duplication and no cache: every read calls
 * viewneo, as a hand-written resolver over REST would. Writes go straight through too.
 */
export const openNaiveSession: OpenSession = ({ client, token, scope }) => ({
  playlists: () => client.listPlaylists(token, scope),
  playlist: (id) => client.getPlaylist(token, id, scope),
  playlistEntries: (id) => client.listPlaylistEntries(token, id, scope),
  mediaFiles: () => client.listMediaFiles(token, scope),
  mediaFile: (id) => client.getMediaFile(token, id, scope),
  templates: () => client.listTemplates(token, scope),
  template: (id) => client.getTemplate(token, id, scope),
  website: (id) => client.getWebsite(token, id, scope),
  createPlaylist: (input) => client.createPlaylist(token, input, scope),
  updatePlaylist: (id, input) => client.updatePlaylist(token, id, input, scope),
  deletePlaylist: (id) => client.deletePlaylist(token, id, scope),
  createWebsite: (input) => client.createWebsite(token, input, scope),
  uploadMediaFile: (input) => client.uploadMediaFile(token, input, scope),
  createTemplate: (input) => client.createTemplate(token, input, scope),
  createContentFromTemplate: (input) => client.createContentFromTemplate(token, input, scope),
});

/** The same Pothos schema over naive sessions and CACHE_TTL_MS=0, whatever the mode. */
export const startNaive: StartPeer = async (settings) => {
  const config = benchConfig({ ...settings, cacheTtlMs: 0 });
  const gateway = gatewayOf({ ...createServices(config), openSession: openNaiveSession });
  return (await listen(gateway, config.port, config.host)).port;
};
