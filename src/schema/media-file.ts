import type { MediaFile, PhysicalFile } from '../domain/model.js';
import * as mediaFiles from '../resolvers/media-files.js';
import { builder } from './builder.js';
import { arrayConnection } from './connection.js';
import { hasTypename, numericLocalId, parseFolderId, parseViewneoId } from './ids.js';

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

const MediaFileConnection = builder.connectionObject({ type: 'MediaFile', name: 'MediaFileConnection' }, { name: 'MediaFileEdge' });

const PhysicalFileRef = builder.objectRef<PhysicalFile>('PhysicalFile').implement({
  description: 'The file behind an uploaded media file, as viewneo stored and converted it.',
  fields: (t) => ({
    originalName: t.exposeString('originalName', { nullable: true, description: 'The name the file was uploaded with.' }),
    extension: t.exposeString('extension', { nullable: true }),
    mimeType: t.exposeString('mimeType', { nullable: true }),
    fileSize: t.exposeInt('fileSize', { nullable: true, description: 'Bytes.' }),
    duration: t.exposeFloat('duration', { nullable: true, description: 'Seconds (0 for still images).' }),
    width: t.exposeInt('width', { nullable: true, description: 'Pixels.' }),
    height: t.exposeInt('height', { nullable: true, description: 'Pixels.' }),
  }),
});

builder.node('MediaFile', {
  description: 'An item of the media library: an upload, a website, template content, or a folder.',
  id: { resolve: (f) => f.id, parse: numericLocalId },
  loadOne: (id, ctx) => ctx.viewneo.mediaFile(id),
  isTypeOf: hasTypename('MediaFile'),
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
      type: 'MediaFile',
      nullable: true,
      description: 'The folder it is in; null at the top level.',
      resolve: (file, _args, ctx) => mediaFiles.mediaFileParent(ctx.viewneo, file),
    }),
    path: t.field({
      type: ['MediaFile'],
      description: 'The folders from the top level down to the one this item is in (the item itself excluded).',
      resolve: (file, _args, ctx) => mediaFiles.mediaFilePath(ctx.viewneo, file),
    }),
    children: t.connection(
      {
        type: 'MediaFile',
        description: "A folder's direct children; empty for anything that is not a folder.",
        args: filterArgs,
        resolve: (file, args, ctx) => arrayConnection(args, () => mediaFiles.mediaFileChildren(ctx.viewneo, file, args)),
      },
      MediaFileConnection,
    ),
    template: t.field({
      type: 'Template',
      nullable: true,
      description: 'The template, when the kind is TEMPLATE.',
      resolve: (file, _args, ctx) => mediaFiles.mediaFileTemplate(ctx.viewneo, file),
    }),
    website: t.field({
      type: 'Website',
      nullable: true,
      description: 'The web page, when the kind is WEBSITE.',
      resolve: (file, _args, ctx) => mediaFiles.mediaFileWebsite(ctx.viewneo, file),
    }),
    file: t.field({
      type: PhysicalFileRef,
      nullable: true,
      description: 'The uploaded file, when the kind is PHYSICAL_FILE.',
      resolve: (file, _args, ctx) => mediaFiles.mediaFilePhysicalFile(ctx.viewneo, file),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
    updatedAt: t.expose('updatedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it last changed; pass it as `ifUnmodifiedSince` to refuse a write over a change you have not seen.',
    }),
  }),
});

// The filter arguments shared by Query.mediaFiles and MediaFile.children.
const filterArgs = builder.args((t) => ({
  kind: t.field({ type: [MediaFileKind], description: 'Only these kinds.' }),
  status: t.field({ type: [MediaFileStatus], description: 'Only these statuses.' }),
  search: t.string({ description: 'Only items whose name contains this, ignoring case and accents.' }),
  orderBy: t.field({ type: 'ListOrder', description: "Order; viewneo's order without it." }),
}));

builder.queryFields((t) => ({
  mediaFiles: t.connection(
    {
      type: 'MediaFile',
      description: "The caller's media library: every folder flattened, or one folder with parentDirectoryId.",
      args: {
        parentDirectoryId: t.arg.id({ description: 'Only the direct children of this folder; "0" for the top level.' }),
        ...filterArgs,
      },
      resolve: (_root, args, ctx) =>
        arrayConnection(args, () =>
          mediaFiles.listMediaFiles(ctx.viewneo, { ...args, parentDirectoryId: parseFolderId(args.parentDirectoryId) }),
        ),
    },
    MediaFileConnection,
  ),
  mediaFile: t.field({
    type: 'MediaFile',
    nullable: true,
    description: 'One media file by global id or viewneo id; null when viewneo has no such file.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.viewneo.mediaFile(parseViewneoId(String(id), 'MediaFile')),
  }),
}));
