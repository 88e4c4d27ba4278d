import { parseViewneoId } from '../resolvers/ids.js';
import * as mediaFiles from '../resolvers/media-files.js';
import { numericLocalId } from '../resolvers/nodes.js';
import type { MediaFile } from '../viewneo/types.js';
import { builder } from './builder.js';

const MediaFileStatus = builder.enumType('MediaFileStatus', {
  values: ['WAITING', 'CONVERTING', 'ERROR', 'CONVERTED'] as const,
});

const MediaFileKind = builder.enumType('MediaFileKind', {
  description: 'What a media-library item is (viewneo\'s `attachable_type`).',
  values: ['DIRECTORY', 'WEBSITE', 'TEMPLATE', 'CONTENT', 'PHYSICAL_FILE'] as const,
});

/** The `MediaFile` object type. */
export const MediaFileRef = builder.objectRef<MediaFile>('MediaFile');

builder.node(MediaFileRef, {
  description: 'An item of the media library: an upload, a website, template content, or a folder.',
  id: { resolve: (f) => f.id, parse: numericLocalId },
  loadOne: (id, ctx) => mediaFiles.mediaFileById(ctx, id),
  isTypeOf: (value) => (value as MediaFile).__typename === 'MediaFile',
  fields: (t) => ({
    viewneoId: t.exposeInt('id', { description: "viewneo's own integer id." }),
    name: t.exposeString('name'),
    status: t.expose('status', { type: MediaFileStatus }),
    kind: t.expose('kind', { type: MediaFileKind }),
    parentDirectory: t.field({
      type: MediaFileRef,
      nullable: true,
      description: 'The folder it is in; null at the top level.',
      resolve: (file, _args, ctx) => mediaFiles.mediaFileParent(ctx, file),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: true }),
  }),
});

/** `MediaFileConnection`: a page of MediaFile objects with `totalCount`. */
export const MediaFileConnection = builder.connectionObject({
  type: MediaFileRef,
  name: 'MediaFileConnection',
}, { name: 'MediaFileEdge' });

builder.queryFields((t) => ({
  mediaFiles: t.connection({
    type: MediaFileRef,
    description: "The caller's media library, all folders flattened.",
    resolve: (_root, args, ctx) => mediaFiles.listMediaFiles(ctx, args),
  }, MediaFileConnection),
  mediaFile: t.field({
    type: MediaFileRef,
    nullable: true,
    description: 'One media file by global id or viewneo id; null when viewneo has no such file.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => mediaFiles.mediaFileById(ctx, parseViewneoId(String(id), 'MediaFile')),
  }),
}));
