import { gatewayOf } from '../../src/gateway.js';
import { listen } from '../../src/http/serve.js';
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
  physicalFile: (id) => client.getPhysicalFile(token, id, scope),
  addPlaylistEntry: (playlistId, entry) => client.createPlaylistEntry(token, playlistId, entry, scope),
  // No preconditions either: what a hand-written resolver over REST would do.
  updatePlaylistEntry: (playlistId, entryId, entry) => client.updatePlaylistEntry(token, playlistId, entryId, entry, scope),
  removePlaylistEntry: (playlistId, entryId) => client.deletePlaylistEntry(token, playlistId, entryId, scope),
  unmodifiedPlaylistEntries: (playlistId) => client.listPlaylistEntries(token, playlistId, scope),
  async reindexPlaylistEntries(playlistId, writes) {
    for (const { id, index } of writes) await client.updatePlaylistEntry(token, playlistId, id, { index }, scope);
  },
  createFolder: (input) => client.createFolder(token, input, scope),
  updateMediaFile: (id, change) => client.updateMediaFile(token, id, change, scope),
  deleteMediaFile: (id) => client.deleteMediaFile(token, id, scope),
  // No planner, so nothing to read ahead.
  readAhead: () => undefined,
  plannedLists: () => [],
  updateTemplate: (id, input) => client.updateTemplate(token, id, input, scope),
  deleteTemplate: (id) => client.deleteTemplate(token, id, scope),
  updateWebsite: (id, change) => client.updateWebsite(token, id, change, scope),
});

/** The same Pothos schema over naive sessions and CACHE_TTL_MS=0, whatever the mode. */
export const startNaive: StartPeer = async (settings) => {
  const config = benchConfig({ ...settings, cacheTtlMs: 0 });
  const gateway = gatewayOf({ ...createServices(config), openSession: openNaiveSession });
  return (await listen(gateway.listener, config.port, config.host)).port;
};
