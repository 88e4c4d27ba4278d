import type { MediaFile, PhysicalFile } from '../domain/model.js';
import * as mediaFiles from '../resolvers/media-files.js';
import { builder, byIdOrViewneoId } from './builder.js';
import { arrayConnection } from './connection.js';
import { entityViewneoId, hasTypename, numericLocalId, parseFolderId, parseViewneoId } from './ids.js';
import { assumedSize } from './list-size.js';

const MediaFileStatus = builder.enumType('MediaFileStatus', {
  description: "Where viewneo is in preparing a media file for screens (viewneo's `status`).",
  values: {
    WAITING: { description: 'Not processed yet, e.g. still uploading.' },
    CONVERTING: { description: 'Being converted for playback.' },
    ERROR: { description: 'The conversion failed.' },
    CONVERTED: { description: 'Ready to play.' },
  } as const,
});

const MediaFileKind = builder.enumType('MediaFileKind', {
  description: "What a media-library item is (viewneo's `attachable_type`).",
  values: {
    DIRECTORY: { description: 'A folder: it holds other items (see `children`); it cannot be added to a playlist.' },
    WEBSITE: { description: 'A web page (see `website`).' },
    TEMPLATE: { description: 'A template (see `template`).' },
    CONTENT: { description: 'Content made from a template with createContentFromTemplate.' },
    PHYSICAL_FILE: { description: 'An uploaded file: image, video, … (see `file`).' },
  } as const,
});

const Thumbnail = builder.objectRef<NonNullable<MediaFile['thumbnail']>>('MediaFileThumbnail').implement({
  description: 'The preview image viewneo made for a media file.',
  fields: (t) => ({
    hash: t.exposeString('hash', { description: 'Identifier of the image file, made by viewneo.' }),
    extension: t.exposeString('extension', {
      nullable: true,
      description: 'File extension of the image, e.g. "jpg"; null when viewneo does not say.',
    }),
    mimeType: t.exposeString('mimeType', {
      nullable: true,
      description: 'MIME type of the image, e.g. "image/jpeg"; null when viewneo does not say.',
    }),
  }),
});

const MediaFileConnection = builder.connectionObject(
  {
    type: 'MediaFile',
    name: 'MediaFileConnection',
    shareable: true,
    description: 'One page of a list of media-library items, with the size of the whole list.',
  },
  { name: 'MediaFileEdge', shareable: true, description: 'A media-library item in a page of them, with its cursor.' },
);

const PhysicalFileRef = builder.objectRef<PhysicalFile>('PhysicalFile').implement({
  description: 'The file behind an uploaded media file, as viewneo stored and converted it.',
  fields: (t) => ({
    originalName: t.exposeString('originalName', { nullable: true, description: 'The name the file was uploaded with.' }),
    extension: t.exposeString('extension', { nullable: true, description: 'File extension, e.g. "mp4"; null when viewneo does not say.' }),
    mimeType: t.exposeString('mimeType', { nullable: true, description: 'MIME type, e.g. "video/mp4"; null when viewneo does not say.' }),
    fileSize: t.exposeInt('fileSize', { nullable: true, description: 'Size in bytes; null when viewneo does not say.' }),
    duration: t.exposeFloat('duration', {
      nullable: true,
      description: 'Playing time in seconds (0 for still images); null when viewneo does not say.',
    }),
    width: t.exposeInt('width', { nullable: true, description: 'Width in pixels; null when viewneo does not say.' }),
    height: t.exposeInt('height', { nullable: true, description: 'Height in pixels; null when viewneo does not say.' }),
  }),
});

const MediaFileRef = builder.node('MediaFile', {
  description: 'An item of the media library: an upload, a website, template content, or a folder.',
  id: { resolve: (f) => f.id, parse: numericLocalId },
  loadOne: (id, ctx) => ctx.viewneo.mediaFile(id),
  isTypeOf: hasTypename('MediaFile'),
  fields: (t) => ({
    viewneoId: t.exposeInt('id', { description: 'Its own integer id in viewneo.' }),
    name: t.exposeString('name', { description: 'Name shown in the media library, 1 to 255 characters.' }),
    status: t.expose('status', { type: MediaFileStatus, description: 'Whether viewneo has made it ready to play.' }),
    kind: t.expose('kind', { type: MediaFileKind, description: 'What the item is; says which of `file`, `website`, `template` is set.' }),
    thumbnail: t.expose('thumbnail', {
      type: Thumbnail,
      nullable: true,
      description: 'The preview image; null when viewneo has none (e.g. folders).',
    }),
    attachableId: t.exposeInt('attachableId', {
      nullable: true,
      description: 'The viewneo id of what the item is (its website, template, content or uploaded file).',
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
      ...assumedSize(5),
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
    createdAt: t.expose('createdAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it was created; null when viewneo does not say.',
    }),
    updatedAt: t.expose('updatedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it last changed; pass it as `ifUnmodifiedSince` to refuse a write over a change you have not seen.',
    }),
  }),
});

// A federation entity (FEDERATION=true): a router resolves it by either key through the session, as `node(id)` does.
builder.asEntity(MediaFileRef, {
  key: byIdOrViewneoId,
  resolveReference: (key, ctx) => ctx.viewneo.mediaFile(entityViewneoId('MediaFile', key)),
});

// The filter arguments shared by Query.mediaFiles and MediaFile.children.
const filterArgs = builder.args((t) => ({
  kind: t.field({ type: [MediaFileKind], description: 'Only items of these kinds; absent: all kinds.' }),
  status: t.field({ type: [MediaFileStatus], description: 'Only items in these statuses; absent: all statuses.' }),
  search: t.string({ description: 'Only items whose name contains this, ignoring case and accents.' }),
  orderBy: t.field({ type: 'ListOrder', description: "Order; viewneo's order without it." }),
}));

builder.queryFields((t) => ({
  mediaFiles: t.connection(
    {
      type: 'MediaFile',
      description:
        "The caller's media library, a page at a time: every item of every folder (folders included), or one folder's direct children with parentDirectoryId.",
      args: {
        parentDirectoryId: t.arg.id({
          description: 'Only the direct children of this folder (a MediaFile global id or viewneo id); "0" for the top level.',
        }),
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
    args: { id: t.arg.id({ required: true, description: 'A MediaFile global id, or its viewneo id ("1001").' }) },
    resolve: (_root, { id }, ctx) => ctx.viewneo.mediaFile(parseViewneoId(String(id), 'MediaFile')),
  }),
}));
