import { gatewayError } from '../errors.js';

/** GraphQL types whose objects carry a global id. */
export type NodeTypename = 'Playlist' | 'PlaylistEntry' | 'MediaFile' | 'Template' | 'Website';
const NODE_TYPENAMES: readonly string[] = ['Playlist', 'PlaylistEntry', 'MediaFile', 'Template', 'Website'];

// Encoded ids by typename and local id, remembered: a warm answer lists the same objects' ids again and again.
const encoded = new Map<string, Map<string | number | bigint, string>>();
const MAX_ENCODED_PER_TYPE = 50_000;

/** Relay global id: base64 of `Typename:localId`. */
export function encodeGlobalId(typename: string, localId: string | number | bigint): string {
  let ids = encoded.get(typename);
  if (ids === undefined) {
    ids = new Map();
    encoded.set(typename, ids);
  }
  let id = ids.get(localId);
  if (id === undefined) {
    id = Buffer.from(`${typename}:${localId}`, 'utf8').toString('base64');
    if (ids.size >= MAX_ENCODED_PER_TYPE) ids.clear();
    ids.set(localId, id);
  }
  return id;
}

/**
 * Decodes a global id made by {@link encodeGlobalId}; BAD_USER_INPUT for anything else, so
 * garbage never reaches a loader.
 */
export function decodeGlobalId(globalId: string): { typename: NodeTypename; id: string } {
  const decoded = /^[A-Za-z0-9+/]{4,200}={0,2}$/.test(globalId) ? Buffer.from(globalId, 'base64').toString('utf8') : '';
  const match = /^([A-Za-z]+):(\d{1,15}(?::\d{1,15})?)$/.exec(decoded);
  if (!match || !NODE_TYPENAMES.includes(match[1]!)) {
    throw gatewayError('BAD_USER_INPUT', `Expected a global id of a ${NODE_TYPENAMES.join(', ')}, got "${globalId.slice(0, 100)}"`);
  }
  return { typename: match[1] as NodeTypename, id: match[2]! };
}

/**
 * The viewneo id named by an `id` argument: a global id of `typename`, or the plain viewneo
 * integer ("1001"). BAD_USER_INPUT for anything else.
 */
export function parseViewneoId(raw: string, typename: NodeTypename, argument = 'id'): number {
  const plain = /^\d{1,15}$/.test(raw) ? raw : undefined;
  let local = plain;
  if (local === undefined) {
    let decoded: { typename: NodeTypename; id: string } | undefined;
    try {
      decoded = decodeGlobalId(raw);
    } catch {
      decoded = undefined;
    }
    if (decoded?.typename === typename && /^\d+$/.test(decoded.id)) local = decoded.id;
  }
  const id = Number(local);
  if (local === undefined || !Number.isSafeInteger(id) || id < 1) {
    throw gatewayError(
      'BAD_USER_INPUT',
      `Expected "${argument}" to be a ${typename} global id or a positive viewneo id, got "${raw.slice(0, 100)}"`,
      {
        argument,
      },
    );
  }
  return id;
}

/** {@link parseViewneoId} of an optional argument: null when it is absent or null. */
export function parseOptionalViewneoId(raw: string | number | null | undefined, typename: NodeTypename, argument: string): number | null {
  return raw == null ? null : parseViewneoId(String(raw), typename, argument);
}

/** Parses the numeric local id of a Playlist, MediaFile, Template or Website global id. */
export function numericLocalId(localId: string): number {
  const id = Number(localId);
  if (!/^\d+$/.test(localId) || !Number.isSafeInteger(id)) {
    throw gatewayError('BAD_USER_INPUT', `Expected a numeric local id, got "${localId}"`);
  }
  return id;
}

/** The local id of a playlist entry's global id: `playlistId:entryId` (viewneo reads entries per playlist). */
export function entryLocalId(entry: { readonly playlistId: number; readonly id: number }): string {
  return `${entry.playlistId}:${entry.id}`;
}

/** The playlist and entry ids of a local id made by {@link entryLocalId}; BAD_USER_INPUT for anything else. */
export function parseEntryLocalId(localId: string): { playlistId: number; entryId: number } {
  const match = /^(\d+):(\d+)$/.exec(localId);
  if (!match) throw gatewayError('BAD_USER_INPUT', `Expected a PlaylistEntry global id, got local id "${localId}"`);
  return { playlistId: Number(match[1]), entryId: Number(match[2]) };
}

/** Parses an optional folder argument: a MediaFile id, or "0" for the top level. */
export function parseFolderId(raw: string | number | null | undefined): number | null {
  if (raw == null) return null;
  return String(raw) === '0' ? 0 : parseViewneoId(String(raw), 'MediaFile', 'parentDirectoryId');
}

/** Pothos `isTypeOf` for objects of the gateway's model, which name their GraphQL type in `__typename`. */
export function hasTypename(typename: string): (value: unknown) => boolean {
  return (value) => (value as { __typename?: unknown }).__typename === typename;
}

/** The playlist and entry of a PlaylistEntry global id; BAD_USER_INPUT naming `argument` for anything else. */
export function parseEntryId(raw: string, argument: string): { playlistId: number; entryId: number } {
  let decoded: { typename: NodeTypename; id: string } | undefined;
  try {
    decoded = decodeGlobalId(raw);
  } catch {
    decoded = undefined;
  }
  const match = decoded?.typename === 'PlaylistEntry' ? /^(\d+):(\d+)$/.exec(decoded.id) : null;
  if (!match) {
    throw gatewayError(
      'BAD_USER_INPUT',
      `Expected "${argument}" to be a PlaylistEntry global id (its id field), got "${raw.slice(0, 100)}"`,
      {
        argument,
      },
    );
  }
  return { playlistId: Number(match[1]), entryId: Number(match[2]) };
}

/** A representation's key fields, as a router sends them to `_entities`: a global id or a viewneo id. */
export interface EntityKey {
  readonly id?: unknown;
  readonly viewneoId?: unknown;
}

/** The argument a malformed `_entities` representation is reported under. */
export const REPRESENTATIONS = 'representations';

/**
 * The viewneo id a Playlist, MediaFile or Template representation names by `viewneoId` or by its
 * global `id`; BAD_USER_INPUT naming `representations` for anything else.
 */
export function entityViewneoId(typename: Exclude<NodeTypename, 'PlaylistEntry'>, key: EntityKey): number {
  if (key.viewneoId !== undefined) {
    const id = key.viewneoId;
    if (typeof id === 'number' && Number.isSafeInteger(id) && id > 0) return id;
    return badRepresentation(typename, 'viewneoId', 'a positive integer', id);
  }
  let decoded: { typename: NodeTypename; id: string } | null;
  try {
    decoded = typeof key.id === 'string' ? decodeGlobalId(key.id) : null;
  } catch {
    decoded = null;
  }
  const id = Number(decoded?.id);
  if (decoded?.typename !== typename || !Number.isSafeInteger(id) || id < 1) {
    return badRepresentation(typename, 'id', `a ${typename} global id`, key.id);
  }
  return id;
}

function badRepresentation(typename: string, field: string, expected: string, got: unknown): never {
  throw gatewayError(
    'BAD_USER_INPUT',
    `Expected a ${typename} representation's "${field}" to be ${expected}, got ${JSON.stringify(got)?.slice(0, 100) ?? 'nothing'}`,
    { argument: REPRESENTATIONS },
  );
}
