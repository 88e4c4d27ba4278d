import { parseViewneoId } from '../resolvers/ids.js';
import * as mediaFiles from '../resolvers/media-files.js';
import { numericLocalId } from '../resolvers/nodes.js';
import type { MediaFile } from '../viewneo/types.js';
import { builder } from './builder.js';
import { ListOrder } from './ordering.js';
import { TemplateRef } from './template.js';
import { WebsiteRef } from './website.js';

const MediaFileStatus = builder.enumType('MediaFileStatus', {
  values: ['WAITING', 'CONVERTING', 'ERROR', 'CONVERTED'] as const,
});

const MediaFileKind = builder.enumType('MediaFileKind', {
  description: "What a media-library item is (viewneo's `attachable_type`).",
  values: ['DIRECTORY', 'WEBSITE', 'TEMPLATE', 'CONTENT', 'PHYSICAL_FILE'] as const,
});

const Thumbnail = builder.objectRef<NonNullable<MediaFile['thumbnail']>>('MediaFileThumbnail').implement({
  description: 'The preview image viewneo made for a media file.',
  fields: (t) => ({
    hash: t.exposeString('hash'),
    extension: t.exposeString('extension', { nullable: true }),
    mimeType: t.exposeString('mimeType', { nullable: true }),
  }),
});

/** The `MediaFile` object type. */
export const MediaFileRef = builder.objectRef<MediaFile>('MediaFile');

/** `MediaFileConnection`: a page of MediaFile objects with `totalCount`. */
export const MediaFileConnection = builder.connectionObject({ type: MediaFileRef, name: 'MediaFileConnection' }, { name: 'MediaFileEdge' });

/** Parses an optional folder argument: a MediaFile id, or "0" for the top level. */
export function parseFolderId(raw: string | number | null | undefined): number | null {
  if (raw == null) return null;
  return String(raw) === '0' ? 0 : parseViewneoId(String(raw), 'MediaFile', 'parentDirectoryId');
}

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
    thumbnail: t.expose('thumbnail', { type: Thumbnail, nullable: true, description: 'null when viewneo has none (e.g. folders).' }),
    attachableId: t.exposeInt('attachableId', {
      nullable: true,
      description: 'viewneo id of what the item is (its website, template, content or uploaded file).',
    }),
    parentDirectory: t.field({
      type: MediaFileRef,
      nullable: true,
      description: 'The folder it is in; null at the top level.',
      resolve: (file, _args, ctx) => mediaFiles.mediaFileParent(ctx, file),
    }),
    path: t.field({
      type: [MediaFileRef],
      description: 'The folders from the top level down to the one this item is in (the item itself excluded).',
      resolve: (file, _args, ctx) => mediaFiles.mediaFilePath(ctx, file),
    }),
    children: t.connection(
      {
        type: MediaFileRef,
        description: "A folder's direct children; empty for anything that is not a folder.",
        args: filterArgs,
        resolve: (file, args, ctx) => mediaFiles.mediaFileChildren(ctx, file, args),
      },
      MediaFileConnection,
    ),
    template: t.field({
      type: TemplateRef,
      nullable: true,
      description: 'The template, when the kind is TEMPLATE.',
      resolve: (file, _args, ctx) => mediaFiles.mediaFileTemplate(ctx, file),
    }),
    website: t.field({
      type: WebsiteRef,
      nullable: true,
      description: 'The web page, when the kind is WEBSITE.',
      resolve: (file, _args, ctx) => mediaFiles.mediaFileWebsite(ctx, file),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: true }),
  }),
});

// The filter arguments shared by Query.mediaFiles and MediaFile.children.
const filterArgs = builder.args((t) => ({
  kind: t.field({ type: [MediaFileKind], description: 'Only these kinds.' }),
  status: t.field({ type: [MediaFileStatus], description: 'Only these statuses.' }),
  search: t.string({ description: 'Only items whose name contains this, ignoring case and accents.' }),
  orderBy: t.field({ type: ListOrder, description: "Order; viewneo's order without it." }),
}));

builder.queryFields((t) => ({
  mediaFiles: t.connection(
    {
      type: MediaFileRef,
      description: "The caller's media library: every folder flattened, or one folder with parentDirectoryId.",
      args: {
        parentDirectoryId: t.arg.id({ description: 'Only the direct children of this folder; "0" for the top level.' }),
        ...filterArgs,
      },
      resolve: (_root, args, ctx) => mediaFiles.listMediaFiles(ctx, { ...args, parentDirectoryId: parseFolderId(args.parentDirectoryId) }),
    },
    MediaFileConnection,
  ),
  mediaFile: t.field({
    type: MediaFileRef,
    nullable: true,
    description: 'One media file by global id or viewneo id; null when viewneo has no such file.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => mediaFiles.mediaFileById(ctx, parseViewneoId(String(id), 'MediaFile')),
  }),
}));
