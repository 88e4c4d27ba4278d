import type { DefaultConnectionArguments } from '@pothos/plugin-relay';
import type { Context } from '../context.js';
import { gatewayError } from '../errors.js';
import { requireName } from '../input.js';
import { resources } from '../viewneo/resources.js';
import type { Template } from '../viewneo/types.js';
import { arrayConnection } from './connection.js';

/** A page of the caller's templates. */
export function listTemplates(ctx: Context, args: DefaultConnectionArguments) {
  return arrayConnection(args, () => ctx.loaders.templates.load('all'));
}

/** One template of the caller; null when viewneo has none with that id. */
export function templateById(ctx: Context, id: number): Promise<Template | null> {
  return ctx.loaders.template.load(id);
}

/** Input of `Mutation.createTemplate`, as the schema delivers it. */
export interface CreateTemplateArgs {
  readonly name: string;
  readonly textDirection?: 'LTR' | 'RTL' | null;
  readonly backgroundColor?: string | null;
  readonly width?: number | null;
  readonly height?: number | null;
  readonly widthUnit?: string | null;
  readonly heightUnit?: string | null;
  readonly defaultDuration?: number | null;
  readonly externalDataUrl?: string | null;
  readonly elements?:
    | readonly {
        readonly name: string;
        readonly text?: string | null;
        readonly mediaFileId?: number | null;
        readonly x?: number | null;
        readonly y?: number | null;
        readonly width?: number | null;
        readonly height?: number | null;
        readonly angle?: number | null;
        readonly zIndex?: number | null;
        readonly inactive?: boolean | null;
      }[]
    | null;
}

/**
 * Creates a template with its elements (an element is a text, or shows a media file) and
 * drops the caller's cached template list.
 */
export async function createTemplate(ctx: Context, input: CreateTemplateArgs): Promise<Template> {
  const token = ctx.requireToken();
  const name = requireName(input.name, 'input.name');
  if (input.backgroundColor != null && !/^#[0-9A-Fa-f]{6}$/.test(input.backgroundColor)) {
    throw gatewayError('BAD_USER_INPUT', `Expected "backgroundColor" to be "#RRGGBB", got "${input.backgroundColor.slice(0, 20)}"`, {
      argument: 'input.backgroundColor',
    });
  }
  const elements = (input.elements ?? []).map((e, i) => {
    if ((e.text == null) === (e.mediaFileId == null)) {
      throw gatewayError('BAD_USER_INPUT', `Expected element ${i} ("${e.name.slice(0, 50)}") to set exactly one of text, mediaFileId`, {
        argument: `input.elements.${i}`,
      });
    }
    return {
      name: e.name,
      drawableType: e.text != null ? ('TextElement' as const) : ('MediaFile' as const),
      x: e.x ?? 0,
      y: e.y ?? 0,
      width: e.width ?? 100,
      height: e.height ?? 100,
      angle: e.angle ?? 0,
      zIndex: e.zIndex ?? i,
      inactive: e.inactive ?? false,
      text: e.text ?? null,
      mediaFileId: e.mediaFileId ?? null,
    };
  });
  const created = await ctx.client.createTemplate(
    token,
    {
      name,
      textDirection: input.textDirection ?? 'LTR',
      backgroundColor: input.backgroundColor ?? '#FFFFFF',
      width: input.width ?? 1920,
      height: input.height ?? 1080,
      widthUnit: input.widthUnit ?? 'px',
      heightUnit: input.heightUnit ?? 'px',
      defaultDuration: input.defaultDuration ?? 30,
      externalDataUrl: input.externalDataUrl ?? null,
      elements,
    },
    ctx.scope,
  );
  await ctx.invalidate([resources.templates]);
  ctx.loaders.templates.clearAll();
  ctx.loaders.template.prime(created.id, created);
  return created;
}
