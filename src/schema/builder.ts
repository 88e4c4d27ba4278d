import SchemaBuilder from '@pothos/core';
import RelayPlugin from '@pothos/plugin-relay';
import type { Context } from '../context.js';
import type { MediaFile, Playlist, PlaylistEntry, Template, Website } from '../domain/model.js';
import type { Order } from '../domain/ordering.js';
import type { PlayingNow } from '../domain/playing.js';
import type { TimelineSlot } from '../domain/timeline.js';
import { decodeGlobalId, encodeGlobalId } from './ids.js';

/**
 * The one Pothos builder every type file registers on. Types used by more than one file are
 * named here (`Objects`, `Inputs`) and referred to by name, so type files never import each other.
 */
export const builder = new SchemaBuilder<{
  Context: Context;
  Objects: {
    Playlist: Playlist;
    PlaylistEntry: PlaylistEntry;
    MediaFile: MediaFile;
    Template: Template;
    Website: Website;
    TimelineItem: TimelineSlot;
    PlayingNow: PlayingNow;
  };
  Inputs: { ListOrder: Order };
  Scalars: {
    DateTime: { Input: string; Output: string };
    Date: { Input: string; Output: string };
    Time: { Input: string; Output: string };
    /** Screen-local wall-clock seconds (see LocalSeconds); the scalar parses and formats the text. */
    LocalDateTime: { Input: number; Output: number };
    JSON: { Input: unknown; Output: unknown };
    File: { Input: File; Output: never };
  };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
  Connection: { totalCount: number };
}>({
  plugins: [RelayPlugin],
  defaultFieldNullability: false,
  relay: {
    cursorType: 'String',
    edgesFieldOptions: { nullable: false },
    nodeFieldOptions: { nullable: false },
    encodeGlobalID: encodeGlobalId,
    decodeGlobalID: decodeGlobalId,
  },
});

builder.queryType({ description: "Reads of viewneo data, made with the caller's own viewneo token." });
builder.mutationType({ description: 'Writes to viewneo, and the OAuth token exchange.' });

builder.globalConnectionField('totalCount', (t) =>
  t.int({
    nullable: false,
    description: 'Number of items in the whole list, across all pages.',
    resolve: (parent) => parent.totalCount,
  }),
);
