import * as mediaFiles from '../resolvers/media-files.js';
import { builder } from './builder.js';
import { parseFolderId, parseViewneoId } from './ids.js';

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
