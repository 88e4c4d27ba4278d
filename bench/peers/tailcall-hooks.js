// The onResponseBody hooks of the Tailcall peer (tailcall.graphql). Tailcall runs them in its
// QuickJS worker: each gets the JSON text of one viewneo answer and returns the JSON text of the
// GraphQL value, as the gateway makes it (bench/peers/viewneo-json.ts): global ids (base64 of
// `Type:localId`), entries in play order, media kinds. Plain ES2020, no Node APIs (QuickJS has no
// Buffer or btoa).

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** base64 of an ASCII string (what Buffer.from(text).toString('base64') gives). */
function base64(text) {
  let out = '';
  let i = 0;
  for (; i + 2 < text.length; i += 3) {
    const n = (text.charCodeAt(i) << 16) | (text.charCodeAt(i + 1) << 8) | text.charCodeAt(i + 2);
    out += BASE64[n >> 18] + BASE64[(n >> 12) & 63] + BASE64[(n >> 6) & 63] + BASE64[n & 63];
  }
  const rest = text.length - i;
  if (rest > 0) {
    const n = (text.charCodeAt(i) << 16) | (rest === 2 ? text.charCodeAt(i + 1) << 8 : 0);
    out += `${BASE64[n >> 18]}${BASE64[(n >> 12) & 63]}${rest === 2 ? BASE64[(n >> 6) & 63] : '='}=`;
  }
  return out;
}

/** A viewneo playlist as the GraphQL Playlist, with its viewneo id for the entries' @http. */
function playlist(raw) {
  return { id: base64(`Playlist:${raw.id}`), name: raw.name, viewneoId: raw.id };
}

const KINDS = { Website: 'WEBSITE', Template: 'TEMPLATE', Content: 'CONTENT', PhysicalFile: 'PHYSICAL_FILE' };

/** GET /playlist: the connection of the first 20 (the benchmark's `first`). */
globalThis.playlistConnection = (text) =>
  JSON.stringify({
    edges: JSON.parse(text)
      .slice(0, 20)
      .map((raw) => ({ node: playlist(raw) })),
  });

/** GET /playlist/{id}/playlistentry: in play order (index, then id), each with the path of its content. */
globalThis.entries = (text) => {
  const list = JSON.parse(text);
  list.sort((a, b) => a.index - b.index || a.id - b.id);
  return JSON.stringify(
    list.map((e) => ({
      id: base64(`PlaylistEntry:${e.playlist_id}:${e.id}`),
      index: e.index,
      duration: e.duration,
      contentPath: e.media_file_id ? `mediafile/${e.media_file_id}` : `playlist/${e.playlist_id_as_nested_playlist}`,
    })),
  );
};

/** GET /mediafile/{id} or /playlist/{id} (a media file has `attachable_type`, null for a folder), with its union member in `type`. */
globalThis.content = (text) => {
  const raw = JSON.parse(text);
  if (!('attachable_type' in raw)) return JSON.stringify({ type: 'Playlist', ...playlist(raw) });
  const kind = raw.attachable_type === null ? 'DIRECTORY' : KINDS[raw.attachable_type.split('\\').pop()];
  if (kind === undefined) throw new Error(`unknown attachable_type ${raw.attachable_type}`);
  return JSON.stringify({ type: 'MediaFile', id: base64(`MediaFile:${raw.id}`), name: raw.name, kind });
};
