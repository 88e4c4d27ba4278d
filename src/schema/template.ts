import type { TemplateElement } from '../domain/model.js';
import * as templates from '../resolvers/templates.js';
import { builder, byIdOrViewneoId } from './builder.js';
import { arrayConnection } from './connection.js';
import { encodeGlobalId, entityViewneoId, hasTypename, numericLocalId, parseOptionalViewneoId, parseViewneoId } from './ids.js';

const TextDirection = builder.enumType('TextDirection', {
  description: "Writing direction of a template's texts.",
  values: {
    LTR: { description: 'Left to right.' },
    RTL: { description: 'Right to left.' },
  } as const,
});

const TemplateElementRef = builder.objectRef<TemplateElement>('TemplateElement').implement({
  description: 'A text or media element placed on a template.',
  fields: (t) => ({
    name: t.exposeString('name', {
      nullable: true,
      description: 'Name of the element (TemplateTextInput.element names a text element by it); null when viewneo has none.',
    }),
    drawableType: t.exposeString('drawableType', {
      nullable: true,
      description: '"TextElement" or "MediaFile"; null when viewneo does not say.',
    }),
    x: t.exposeFloat('x', { nullable: true, description: "Left edge, in the template's width unit; null when viewneo does not say." }),
    y: t.exposeFloat('y', { nullable: true, description: "Top edge, in the template's height unit; null when viewneo does not say." }),
    width: t.exposeFloat('width', { nullable: true, description: "Width, in the template's width unit; null when viewneo does not say." }),
    height: t.exposeFloat('height', {
      nullable: true,
      description: "Height, in the template's height unit; null when viewneo does not say.",
    }),
    angle: t.exposeFloat('angle', { nullable: true, description: 'Rotation in degrees; null when viewneo does not say.' }),
    zIndex: t.exposeInt('zIndex', {
      nullable: true,
      description: 'Stacking order: higher is drawn above lower; null when viewneo does not say.',
    }),
    inactive: t.exposeBoolean('inactive', { description: 'True when the element is hidden.' }),
    drawable: t.expose('drawable', { type: 'JSON', nullable: true, description: 'The drawable and its styling, as viewneo sends it.' }),
  }),
});

const TemplateRef = builder.node('Template', {
  description: 'A layout that content is made from.',
  id: { resolve: (t) => t.id, parse: numericLocalId },
  loadOne: (id, ctx) => ctx.viewneo.template(id),
  isTypeOf: hasTypename('Template'),
  fields: (t) => ({
    viewneoId: t.exposeInt('id', { description: 'Its own integer id in viewneo.' }),
    name: t.exposeString('name', { description: 'Name shown in viewneo, 1 to 255 characters.' }),
    textDirection: t.expose('textDirection', { type: TextDirection, description: 'Writing direction of its texts.' }),
    externalDataUrl: t.exposeString('externalDataUrl', {
      nullable: true,
      description: 'RSS, Atom, JSON or XML source the template shows data from; null when it has none.',
    }),
    externalDataType: t.exposeString('externalDataType', {
      nullable: true,
      description: 'Type of the externalDataUrl source, as viewneo sends it; null when it has none.',
    }),
    backgroundColor: t.exposeString('backgroundColor', {
      nullable: true,
      description: 'Background color, e.g. "#FFFFFF"; null when viewneo does not say.',
    }),
    width: t.exposeFloat('width', { nullable: true, description: 'Width, in widthUnit; null when viewneo does not say.' }),
    height: t.exposeFloat('height', { nullable: true, description: 'Height, in heightUnit; null when viewneo does not say.' }),
    widthUnit: t.exposeString('widthUnit', {
      nullable: true,
      description: 'Unit of width and x, e.g. "px"; null when viewneo does not say.',
    }),
    heightUnit: t.exposeString('heightUnit', {
      nullable: true,
      description: 'Unit of height and y, e.g. "px"; null when viewneo does not say.',
    }),
    defaultDuration: t.exposeInt('defaultDuration', { description: 'Seconds content made from it is shown by default.' }),
    elements: t.expose('elements', { type: [TemplateElementRef], description: 'Its text and media elements, as viewneo lists them.' }),
    createdAt: t.expose('createdAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it was created; null when viewneo does not say.',
    }),
    updatedAt: t.expose('updatedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it last changed; null when viewneo does not say.',
    }),
  }),
});

// A federation entity (FEDERATION=true): a router resolves it by either key through the session, as `node(id)` does.
builder.asEntity(TemplateRef, {
  key: byIdOrViewneoId,
  resolveReference: (key, ctx) => ctx.viewneo.template(entityViewneoId('Template', key)),
});

const TemplateConnection = builder.connectionObject(
  {
    type: 'Template',
    name: 'TemplateConnection',
    shareable: true,
    description: 'One page of a list of templates, with the size of the whole list.',
  },
  { name: 'TemplateEdge', shareable: true, description: 'A template in a page of templates, with its cursor.' },
);

builder.queryFields((t) => ({
  templates: t.connection(
    {
      type: 'Template',
      description: "The caller's templates, a page at a time, in viewneo's order.",
      resolve: (_root, args, ctx) => arrayConnection(args, () => ctx.viewneo.templates()),
    },
    TemplateConnection,
  ),
  template: t.field({
    type: 'Template',
    nullable: true,
    description: 'One template by global id or viewneo id; null when viewneo has no such template.',
    args: { id: t.arg.id({ required: true, description: 'A Template global id, or its viewneo id ("1001").' }) },
    resolve: (_root, { id }, ctx) => ctx.viewneo.template(parseViewneoId(String(id), 'Template')),
  }),
}));

const TemplateElementInput = builder.inputType('TemplateElementInput', {
  description:
    'One element of a new template: set exactly one of `text` (a text element) and `mediaFileId` (a media element); BAD_USER_INPUT otherwise.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'Name of the element; createContentFromTemplate names text elements by it.' }),
    text: t.string({ description: 'Placeholder text of a text element.' }),
    mediaFileId: t.id({ description: 'The media file a media element shows: a MediaFile global id, or its viewneo id ("2007").' }),
    x: t.float({ description: "Left edge, in the template's width unit; 0 when absent." }),
    y: t.float({ description: "Top edge, in the template's height unit; 0 when absent." }),
    width: t.float({ description: "Width, in the template's width unit; 100 when absent." }),
    height: t.float({ description: "Height, in the template's height unit; 100 when absent." }),
    angle: t.float({ description: 'Rotation in degrees; 0 when absent.' }),
    zIndex: t.int({ description: "Stacking order (higher above lower); the element's position in the list when absent." }),
    inactive: t.boolean({ description: 'Hidden when true; false when absent.' }),
  }),
});

const CreateTemplateInput = builder.inputType('CreateTemplateInput', {
  description: 'A whole template with its elements, for createTemplate and updateTemplate (which replaces everything).',
  fields: (t) => ({
    name: t.string({ required: true, description: '1 to 255 characters; surrounding spaces are trimmed.' }),
    textDirection: t.field({ type: TextDirection, description: 'Writing direction of its texts; LTR when absent.' }),
    backgroundColor: t.string({ description: '"#RRGGBB" (BAD_USER_INPUT otherwise); white when absent.' }),
    width: t.float({ description: 'Width, in widthUnit; 1920 when absent.' }),
    height: t.float({ description: 'Height, in heightUnit; 1080 when absent.' }),
    widthUnit: t.string({ description: 'Unit of width and the elements\' x and width; "px" when absent.' }),
    heightUnit: t.string({ description: 'Unit of height and the elements\' y and height; "px" when absent.' }),
    defaultDuration: t.int({ description: 'Seconds content made from it is shown by default; 30 when absent.' }),
    externalDataUrl: t.string({ description: 'RSS, Atom, JSON or XML source to show data from; none when absent.' }),
    elements: t.field({ type: [TemplateElementInput], description: 'Its text and media elements; none when absent.' }),
  }),
});

/**
 * The template input with each element's `mediaFileId` parsed to a viewneo id; BAD_USER_INPUT
 * naming its path (`input.elements.0.mediaFileId`) for anything but a MediaFile global id or a
 * viewneo id.
 */
function withMediaFileIds(input: typeof CreateTemplateInput.$inferInput): templates.CreateTemplateArgs {
  const elements = input.elements?.map((element, i) => ({
    ...element,
    mediaFileId: parseOptionalViewneoId(element.mediaFileId, 'MediaFile', `input.elements.${i}.mediaFileId`),
  }));
  return { ...input, elements };
}

builder.mutationField('createTemplate', (t) =>
  t.field({
    type: 'Template',
    description: 'Creates a template with its elements and answers it.',
    args: { input: t.arg({ type: CreateTemplateInput, required: true, description: 'The template and its elements.' }) },
    resolve: (_root, { input }, ctx) => templates.createTemplate(ctx.viewneo, withMediaFileIds(input)),
  }),
);

builder.mutationFields((t) => ({
  updateTemplate: t.field({
    type: 'Template',
    description: 'Replaces a template, elements included, as when creating it; NOT_FOUND when viewneo has no such template.',
    args: {
      id: t.arg.id({ required: true, description: 'A Template global id, or its viewneo id.' }),
      input: t.arg({
        type: CreateTemplateInput,
        required: true,
        description: 'The whole new template; absent fields take their defaults.',
      }),
      ifUnmodifiedSince: t.arg({
        type: 'DateTime',
        description: 'The updatedAt you last saw: the write is refused with CONFLICT when the template changed after it.',
      }),
    },
    resolve: (_root, { id, input, ifUnmodifiedSince }, ctx) =>
      templates.updateTemplate(ctx.viewneo, parseViewneoId(String(id), 'Template'), withMediaFileIds(input), ifUnmodifiedSince),
  }),
  deleteTemplate: t.field({
    type: 'ID',
    description: 'Deletes a template and answers its global id; NOT_FOUND when viewneo has no such template.',
    args: { id: t.arg.id({ required: true, description: 'A Template global id, or its viewneo id.' }) },
    resolve: async (_root, { id }, ctx) => {
      const templateId = parseViewneoId(String(id), 'Template');
      await ctx.viewneo.deleteTemplate(templateId);
      return encodeGlobalId('Template', templateId);
    },
  }),
}));
