import * as mediaFiles from '../resolvers/media-files.js';
import { builder } from './builder.js';
import { encodeGlobalId, parseFolderId, parseViewneoId } from './ids.js';

const FOLDER =
  'Folder to put it in (a MediaFile global id or viewneo id of a folder; BAD_USER_INPUT for anything else); the top level when absent or "0".';

const CreateWebsiteInput = builder.inputType('CreateWebsiteInput', {
  description: 'A new WEBSITE item of the media library: a web page screens show.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'Name in the media library, 1 to 255 characters; surrounding spaces are trimmed.' }),
    url: t.string({ required: true, description: 'An absolute http(s) URL, at most 2048 characters.' }),
    parentDirectoryId: t.id({ description: FOLDER }),
    headers: t.field({
      type: 'JSON',
      description:
        'Request headers viewneo sends when it fetches the page, as an object of names to single-line string values; none when absent.',
    }),
  }),
});

const TemplateTextInput = builder.inputType('TemplateTextInput', {
  description: 'The text that replaces the placeholder of one text element of a template.',
  fields: (t) => ({
    element: t.string({ required: true, description: 'Name of a TextElement of the template; BAD_USER_INPUT for any other name.' }),
    text: t.string({ required: true, description: 'The text shown in place of the placeholder.' }),
  }),
});

builder.mutationFields((t) => ({
  uploadMediaFile: t.field({
    type: 'MediaFile',
    description:
      'Uploads a file into the media library (GraphQL multipart request; send the graphql-require-preflight: 1 header). Files over the MAX_UPLOAD_BYTES limit are refused (413).',
    args: {
      file: t.arg({ type: 'File', required: true, description: 'The file part of the multipart request; must not be empty.' }),
      parentDirectoryId: t.arg.id({ description: FOLDER }),
      name: t.arg.string({ description: "File name to store; the upload's own name when absent." }),
    },
    resolve: (_root, args, ctx) =>
      mediaFiles.uploadMediaFile(ctx.viewneo, { ...args, parentDirectoryId: parseFolderId(args.parentDirectoryId) || null }),
  }),
  createWebsite: t.field({
    type: 'MediaFile',
    description: 'Adds a web page to the media library and answers the new WEBSITE item.',
    args: { input: t.arg({ type: CreateWebsiteInput, required: true, description: 'The page and where to file it.' }) },
    resolve: (_root, { input }, ctx) =>
      mediaFiles.createWebsite(ctx.viewneo, { ...input, parentDirectoryId: parseFolderId(input.parentDirectoryId) || null }),
  }),
  createContentFromTemplate: t.field({
    type: 'MediaFile',
    description:
      "Makes content from a template, filling its text elements' placeholders, and answers the new CONTENT item; NOT_FOUND when viewneo has no such template.",
    args: {
      templateId: t.arg.id({ required: true, description: 'A Template global id, or its viewneo id.' }),
      parentDirectoryId: t.arg.id({ description: FOLDER }),
      name: t.arg.string({ description: "Name of the new item; viewneo's choice when absent or blank." }),
      texts: t.arg({ type: [TemplateTextInput], description: 'Texts for some of its text elements; the others keep their placeholders.' }),
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
    name: t.string({ description: 'New name, 1 to 255 characters; surrounding spaces are trimmed. Absent: unchanged.' }),
    parentDirectoryId: t.id({
      description: 'The folder to move it into; "0" for the top level. Not the folder itself nor one inside it. Absent: not moved.',
    }),
  }),
});

builder.mutationFields((t) => ({
  createFolder: t.field({
    type: 'MediaFile',
    description: 'Makes a folder in the media library and answers it (kind DIRECTORY).',
    args: {
      name: t.arg.string({ required: true, description: '1 to 255 characters; surrounding spaces are trimmed.' }),
      parentDirectoryId: t.arg.id({ description: FOLDER }),
    },
    resolve: (_root, args, ctx) =>
      mediaFiles.createFolder(ctx.viewneo, { name: args.name, parentDirectoryId: parseFolderId(args.parentDirectoryId) || null }),
  }),
  updateMediaFile: t.field({
    type: 'MediaFile',
    description:
      'Renames and/or moves a media file or folder; with ifUnmodifiedSince, refused with CONFLICT when it changed after that instant.',
    args: {
      id: t.arg.id({ required: true, description: 'A MediaFile global id, or its viewneo id.' }),
      input: t.arg({ type: UpdateMediaFileInput, required: true, description: 'The new name and/or folder.' }),
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
    description:
      'Deletes a media file (a folder with everything in it) and answers its global id; NOT_FOUND when viewneo has no such file.',
    args: { id: t.arg.id({ required: true, description: 'A MediaFile global id, or its viewneo id.' }) },
    resolve: async (_root, { id }, ctx) => {
      const fileId = parseViewneoId(String(id), 'MediaFile');
      await ctx.viewneo.deleteMediaFile(fileId);
      return encodeGlobalId('MediaFile', fileId);
    },
  }),
}));
