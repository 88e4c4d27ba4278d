import type { PlaylistEntry } from '../../src/domain/model.js';

let nextId = 1;

/** A playlist entry of playlist 1 showing media file 1 for 10 s under SCHEDULE with no restriction, with `fields` on top; a new id each call. */
export function entry(fields: Partial<PlaylistEntry> = {}): PlaylistEntry {
  return {
    __typename: 'PlaylistEntry',
    id: nextId++,
    playlistId: 1,
    index: 0,
    duration: 10,
    soundPlayed: false,
    playRule: 'SCHEDULE',
    startDate: null,
    endDate: null,
    startTime: null,
    endTime: null,
    weekdays: [],
    removeAfterEndDate: false,
    mediaFileId: 1,
    nestedPlaylistId: null,
    updatedAt: null,
    ...fields,
  };
}
