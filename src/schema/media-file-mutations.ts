import * as mediaFiles from '../resolvers/media-files.js';
import { builder } from './builder.js';
import { encodeGlobalId, parseFolderId, parseViewneoId } from './ids.js';

const CreateWebsiteInput = builder.inputType('CreateWebsiteInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    url: t.string({ required: true, description: 'An absolute http(s) URL.' }),
    parentDirectoryId: t.id({ description: 'Folder to put it in; the top level when absent.' }),
    headers: t.field({
      type: 'JSON',
      description: 'Request headers viewneo sends when it fetches the page, as an object of names to string values.',
    }),
  }),
});

const TemplateTextInput = builder.inputType('TemplateTextInput', {
  description: 'The text that replaces the placeholder of one text element of a template.',
  fields: (t) => ({
    element: t.string({ required: true, description: 'Name of a TextElement of the template.' }),
    text: t.string({ required: true }),
  }),
});

builder.mutationFields((t) => ({
  uploadMediaFile: t.field({
    type: 'MediaFile',
    description: 'Uploads a file into the media library (GraphQL multipart request). Files over the MAX_UPLOAD_BYTES limit are refused.',
    args: {
      file: t.arg({ type: 'File', required: true }),
      parentDirectoryId: t.arg.id({ description: 'Folder to put it in; the top level when absent.' }),
      name: t.arg.string({ description: "File name to store; the upload's own name when absent." }),
    },
    resolve: (_root, args, ctx) =>
      mediaFiles.uploadMediaFile(ctx.viewneo, { ...args, parentDirectoryId: parseFolderId(args.parentDirectoryId) || null }),
  }),
  createWebsite: t.field({
    type: 'MediaFile',
    description: 'Adds a web page to the media library.',
    args: { input: t.arg({ type: CreateWebsiteInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      mediaFiles.createWebsite(ctx.viewneo, { ...input, parentDirectoryId: parseFolderId(input.parentDirectoryId) || null }),
  }),
  createContentFromTemplate: t.field({
    type: 'MediaFile',
    description: "Makes content from a template, filling its text elements' placeholders.",
    args: {
      templateId: t.arg.id({ required: true }),
      parentDirectoryId: t.arg.id({ description: 'Folder to put it in; the top level when absent.' }),
      name: t.arg.string(),
      texts: t.arg({ type: [TemplateTextInput] }),
    },
    resolve: (_root, args, ctx) =>
      mediaFiles.createContentFromTemplate(ctx.viewneo, {
        ...args,
        templateId: parseViewneoId(String(args.templateId), 'Template', 'templateId'),
        parentDirectoryId: parseFolderId(args.parentDirectoryId) || null,
      }),
  }),
}));

const UpdateMediaFileInput = builder.inputType('UpdateMediaFileInput', {
  description: 'A rename and/or a move; at least one.',
  fields: (t) => ({
    name: t.string({ description: '1 to 255 characters; surrounding spaces are trimmed.' }),
    parentDirectoryId: t.id({ description: 'The folder to move it into; "0" for the top level. Not the folder itself nor one inside it.' }),
  }),
});

builder.mutationFields((t) => ({
  createFolder: t.field({
    type: 'MediaFile',
    description: 'Makes a folder in the media library.',
    args: {
      name: t.arg.string({ required: true }),
      parentDirectoryId: t.arg.id({ description: 'Folder to put it in; the top level when absent.' }),
    },
    resolve: (_root, args, ctx) =>
      mediaFiles.createFolder(ctx.viewneo, { name: args.name, parentDirectoryId: parseFolderId(args.parentDirectoryId) || null }),
  }),
  updateMediaFile: t.field({
    type: 'MediaFile',
    description:
      'Renames and/or moves a media file or folder; with ifUnmodifiedSince, refused with CONFLICT when it changed after that instant.',
    args: {
      id: t.arg.id({ required: true }),
      input: t.arg({ type: UpdateMediaFileInput, required: true }),
      ifUnmodifiedSince: t.arg({ type: 'DateTime', description: 'The updatedAt you last saw.' }),
    },
    resolve: (_root, { id, input, ifUnmodifiedSince }, ctx) =>
      mediaFiles.updateMediaFile(
        ctx.viewneo,
        parseViewneoId(String(id), 'MediaFile'),
        { name: input.name ?? null, parentDirectoryId: parseFolderId(input.parentDirectoryId) },
        ifUnmodifiedSince,
      ),
  }),
  deleteMediaFile: t.field({
    type: 'ID',
    description: 'Deletes a media file (a folder with everything in it) and answers its global id.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const fileId = parseViewneoId(String(id), 'MediaFile');
      await ctx.viewneo.deleteMediaFile(fileId);
      return encodeGlobalId('MediaFile', fileId);
    },
  }),
}));
