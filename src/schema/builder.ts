import SchemaBuilder from '@pothos/core';
import DirectivePlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
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
 * The federation plugin's directives (`@key`, `@shareable`) live in type extensions: only the
 * subgraph schema (`toSubGraphSchema`) prints or serves them; `toSchema()` is the public schema.
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
  // Federation last: it reads the resolvers the others made.
  plugins: [RelayPlugin, DirectivePlugin, FederationPlugin],
  defaultFieldNullability: false,
  relay: {
    cursorType: 'String',
    encodeGlobalID: encodeGlobalId,
    decodeGlobalID: decodeGlobalId,
    nodeTypeOptions: {
      description: 'A viewneo object with a global id: Playlist, PlaylistEntry, MediaFile, Template or Website. Refetch one with node(id).',
    },
    idFieldOptions: {
      description:
        'Global id (Relay): an opaque string naming the type and the viewneo object. Accepted by node(id), nodes(ids) and every id argument.',
    },
    nodeQueryOptions: {
      description:
        'Any viewneo object by its global id; null when viewneo has no such object for the caller. BAD_USER_INPUT for a string that is no global id of this gateway.',
      args: { id: { description: 'A global id (an `id` field), not a plain viewneo id.' } },
    },
    nodesQueryOptions: {
      description:
        'Several viewneo objects by global id, in the order of `ids`; null in the place of each one viewneo does not have. BAD_USER_INPUT when any id is no global id of this gateway.',
      args: { ids: { description: 'Global ids (`id` fields), not plain viewneo ids.' } },
    },
    pageInfoTypeOptions: {
      description: 'Where a page of a connection lies in the whole list, and the cursors to page on from it.',
      shareable: true,
    },
    pageInfoFieldOptions: { description: 'Where this page lies in the whole list.' },
    hasNextPageFieldOptions: { description: 'Whether items follow this page: page on with `first` and `after: endCursor`.' },
    hasPreviousPageFieldOptions: { description: 'Whether items precede this page: page back with `last` and `before: startCursor`.' },
    startCursorFieldOptions: { description: "The first edge's cursor; null when the page is empty." },
    endCursorFieldOptions: { description: "The last edge's cursor; null when the page is empty." },
    edgesFieldOptions: { nullable: false, description: 'The items of this page, each with its cursor, in list order.' },
    nodeFieldOptions: { nullable: false, description: 'The item.' },
    cursorFieldOptions: {
      description:
        "Opaque position of this item in the list as this field's arguments filter and order it; pass it as `after` or `before` with the same arguments.",
    },
    firstArgOptions: {
      description:
        'Page size from the start (or from `after`), 0 to 100; 20 when neither `first` nor `last` is given. BAD_USER_INPUT beyond.',
    },
    afterArgOptions: { description: 'A cursor from this connection: the page starts after that item.' },
    lastArgOptions: { description: 'Page size from the end (or from `before`), 0 to 100. BAD_USER_INPUT beyond.' },
    beforeArgOptions: { description: 'A cursor from this connection: the page ends before that item.' },
  },
});

builder.queryType({
  description:
    "Reads of viewneo data, made with the caller's own viewneo token (Authorization: Bearer); without a usable token they fail with UNAUTHENTICATED.",
});
builder.mutationType({
  description:
    "Writes to viewneo with the caller's token, and the OAuth token exchange. Input is checked before any upstream call (BAD_USER_INPUT names the argument).",
});

/** The keys of Playlist, MediaFile and Template as federation entities: the global id, or the viewneo id. */
export const byIdOrViewneoId = [builder.selection<{ id: string }>('id'), builder.selection<{ viewneoId: number }>('viewneoId')];

builder.globalConnectionField('totalCount', (t) =>
  t.int({
    nullable: false,
    description: 'Number of items in the whole list, across all pages.',
    resolve: (parent) => parent.totalCount,
  }),
);
