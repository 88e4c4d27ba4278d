import type { TemplateElement } from '../domain/model.js';
import * as templates from '../resolvers/templates.js';
import { builder } from './builder.js';
import { arrayConnection } from './connection.js';
import { encodeGlobalId, hasTypename, numericLocalId, parseViewneoId } from './ids.js';

const TextDirection = builder.enumType('TextDirection', { values: ['LTR', 'RTL'] as const });

const TemplateElementRef = builder.objectRef<TemplateElement>('TemplateElement').implement({
  description: 'A text or media element placed on a template.',
  fields: (t) => ({
    name: t.exposeString('name', { nullable: true }),
    drawableType: t.exposeString('drawableType', { nullable: true, description: '"TextElement" or "MediaFile".' }),
    x: t.exposeFloat('x', { nullable: true }),
    y: t.exposeFloat('y', { nullable: true }),
    width: t.exposeFloat('width', { nullable: true }),
    height: t.exposeFloat('height', { nullable: true }),
    angle: t.exposeFloat('angle', { nullable: true }),
    zIndex: t.exposeInt('zIndex', { nullable: true }),
    inactive: t.exposeBoolean('inactive', { description: 'True when the element is hidden.' }),
    drawable: t.expose('drawable', { type: 'JSON', nullable: true, description: 'The drawable and its styling, as viewneo sends it.' }),
  }),
});

builder.node('Template', {
  description: 'A layout that content is made from.',
  id: { resolve: (t) => t.id, parse: numericLocalId },
  loadOne: (id, ctx) => ctx.viewneo.template(id),
  isTypeOf: hasTypename('Template'),
  fields: (t) => ({
    viewneoId: t.exposeInt('id', { description: "viewneo's own integer id." }),
    name: t.exposeString('name'),
    textDirection: t.expose('textDirection', { type: TextDirection }),
    externalDataUrl: t.exposeString('externalDataUrl', { nullable: true, description: 'RSS, Atom, JSON or XML source.' }),
    externalDataType: t.exposeString('externalDataType', { nullable: true }),
    backgroundColor: t.exposeString('backgroundColor', { nullable: true, description: 'e.g. "#FFFFFF".' }),
    width: t.exposeFloat('width', { nullable: true }),
    height: t.exposeFloat('height', { nullable: true }),
    widthUnit: t.exposeString('widthUnit', { nullable: true }),
    heightUnit: t.exposeString('heightUnit', { nullable: true }),
    defaultDuration: t.exposeInt('defaultDuration', { description: 'Seconds.' }),
    elements: t.expose('elements', { type: [TemplateElementRef] }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: true }),
  }),
});

const TemplateConnection = builder.connectionObject(
  {
    type: 'Template',
    name: 'TemplateConnection',
  },
  { name: 'TemplateEdge' },
);

builder.queryFields((t) => ({
  templates: t.connection(
    {
      type: 'Template',
      description: "The caller's templates.",
      resolve: (_root, args, ctx) => arrayConnection(args, () => ctx.viewneo.templates()),
    },
    TemplateConnection,
  ),
  template: t.field({
    type: 'Template',
    nullable: true,
    description: 'One template by global id or viewneo id; null when viewneo has no such template.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.viewneo.template(parseViewneoId(String(id), 'Template')),
  }),
}));

const TemplateElementInput = builder.inputType('TemplateElementInput', {
  description: 'One element of a new template: set `text` for a text element or `mediaFileId` for a media element.',
  fields: (t) => ({
    name: t.string({ required: true }),
    text: t.string({ description: 'Placeholder text of a text element.' }),
    mediaFileId: t.int({ description: 'viewneo id of the media file a media element shows.' }),
    x: t.float(),
    y: t.float(),
    width: t.float(),
    height: t.float(),
    angle: t.float(),
    zIndex: t.int(),
    inactive: t.boolean({ description: 'Hidden when true.' }),
  }),
});

const CreateTemplateInput = builder.inputType('CreateTemplateInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    textDirection: t.field({ type: TextDirection }),
    backgroundColor: t.string({ description: '"#RRGGBB"; white when absent.' }),
    width: t.float({ description: '1920 when absent.' }),
    height: t.float({ description: '1080 when absent.' }),
    widthUnit: t.string(),
    heightUnit: t.string(),
    defaultDuration: t.int({ description: 'Seconds; 30 when absent.' }),
    externalDataUrl: t.string(),
    elements: t.field({ type: [TemplateElementInput] }),
  }),
});

builder.mutationField('createTemplate', (t) =>
  t.field({
    type: 'Template',
    description: 'Creates a template with its elements.',
    args: { input: t.arg({ type: CreateTemplateInput, required: true }) },
    resolve: (_root, { input }, ctx) => templates.createTemplate(ctx.viewneo, input),
  }),
);

builder.mutationFields((t) => ({
  updateTemplate: t.field({
    type: 'Template',
    description: 'Replaces a template, elements included, as when creating it.',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: CreateTemplateInput, required: true }) },
    resolve: (_root, { id, input }, ctx) => templates.updateTemplate(ctx.viewneo, parseViewneoId(String(id), 'Template'), input),
  }),
  deleteTemplate: t.field({
    type: 'ID',
    description: 'Deletes a template and answers its global id.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const templateId = parseViewneoId(String(id), 'Template');
      await ctx.viewneo.deleteTemplate(templateId);
      return encodeGlobalId('Template', templateId);
    },
  }),
}));
