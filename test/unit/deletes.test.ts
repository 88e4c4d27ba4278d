import { describe, expect, it } from 'vitest';
import { type GoneMedia, goneWithMediaFile, goneWithTemplate, showsGone } from '../../src/domain/cascade.js';
import type { MediaFile, MediaFileKind, PlaylistEntry } from '../../src/domain/model.js';
import { entriesPlaylistId, resourceName } from '../../src/session/resources.js';

const file = (id: number, kind: MediaFileKind, parentDirectoryId: number | null = null, attachableId: number | null = null): MediaFile => ({
  __typename: 'MediaFile',
  id,
  name: `file ${id}`,
  status: 'CONVERTED',
  kind,
  parentDirectoryId,
  attachableId,
  thumbnail: null,
  companyId: null,
  createdAt: null,
  updatedAt: null,
});

// 1 holds 2 (a folder holding 4) and 3; folder 5 holds 7; 6 and 7 are template 30's TEMPLATE media files; 8 is content.
const FILES = [
  file(1, 'DIRECTORY'),
  file(2, 'DIRECTORY', 1),
  file(3, 'PHYSICAL_FILE', 1),
  file(4, 'WEBSITE', 2),
  file(5, 'DIRECTORY'),
  file(6, 'TEMPLATE', null, 30),
  file(7, 'TEMPLATE', 5, 30),
  file(8, 'CONTENT', null, 30),
  file(9, 'TEMPLATE', null, 31),
];
const ids = (gone: GoneMedia) => (gone === 'unknown' ? gone : [...gone].sort((a, b) => a - b));

describe('goneWithMediaFile', () => {
  it.each([
    ['a file alone', 3, FILES, undefined, [3]],
    ['a folder with everything below it', 1, FILES, undefined, [1, 2, 3, 4]],
    ['a folder with the one file in it', 5, FILES, undefined, [5, 7]],
    ['an id the list lacks alone', 99, FILES, undefined, [99]],
    ['without the list, a file known to be no folder alone', 3, undefined, FILES[2], [3]],
    ['without the list, what viewneo has not alone', 3, undefined, null, [3]],
    ['without the list, a folder as unknown', 1, undefined, FILES[0], 'unknown'],
    ['without the list or the file, unknown', 3, undefined, undefined, 'unknown'],
  ] as const)('takes %s', (_, id, files, one, expected) => {
    expect(ids(goneWithMediaFile(id, files, one))).toEqual(expected);
  });

  it('ends the walk at a cycle in the data', () => {
    expect(ids(goneWithMediaFile(1, [file(1, 'DIRECTORY', 2), file(2, 'DIRECTORY', 1)], undefined))).toEqual([1, 2]);
  });
});

describe('goneWithTemplate', () => {
  it.each([
    ['its TEMPLATE media files and every CONTENT one', 30, FILES, [6, 7, 8]],
    ['only CONTENT when it has no TEMPLATE media file', 32, FILES, [8]],
    ['unknown without the media list', 30, undefined, 'unknown'],
  ] as const)('takes %s', (_, id, files, expected) => {
    expect(ids(goneWithTemplate(id, files))).toEqual(expected);
  });
});

describe('showsGone', () => {
  const entry = (mediaFileId: number | null, nestedPlaylistId: number | null = null) =>
    ({ mediaFileId, nestedPlaylistId }) as PlaylistEntry;
  it.each([
    ['an entry of a gone file', [entry(3), entry(4)], new Set([4]), true],
    ['no gone file', [entry(3)], new Set([4]), false],
    ['a nested playlist of the same id', [entry(null, 4)], new Set([4]), false],
    ['any media file when what is gone is unknown', [entry(3)], 'unknown', true],
    ['nothing for only nested playlists, even unknown', [entry(null, 4)], 'unknown', false],
    ['nothing for a playlist that does not exist', null, 'unknown', false],
  ] as const)('sees %s', (_, entries, gone, expected) => {
    expect(showsGone(entries, gone)).toBe(expected);
  });
});

describe('entriesPlaylistId', () => {
  it("reads the playlist back from its entries' resource name, and nothing from other names", () => {
    expect(entriesPlaylistId(resourceName({ kind: 'playlistEntries', id: 1017 }))).toBe(1017);
    for (const name of [resourceName({ kind: 'playlist', id: 1017 }), resourceName({ kind: 'playlists' }), 'playlist:x:entries'])
      expect(entriesPlaylistId(name)).toBeUndefined();
  });
});
