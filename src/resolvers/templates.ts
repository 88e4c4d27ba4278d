import type { Template } from '../domain/model.js';
import { gatewayError } from '../errors.js';
import { requireName } from '../input.js';
import type { ViewneoSession } from '../session/session.js';
import type { TemplateInput } from '../viewneo/inputs.js';

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

/** Creates a template with its elements (an element is a text, or shows a media file). */
export function createTemplate(viewneo: ViewneoSession, input: CreateTemplateArgs): Promise<Template> {
  return viewneo.createTemplate(validTemplate(input));
}

/** Replaces a template, elements included, as when creating it; with `ifUnmodifiedSince`, only if nobody changed it since. */
export function updateTemplate(
  viewneo: ViewneoSession,
  id: number,
  input: CreateTemplateArgs,
  ifUnmodifiedSince?: string | null,
): Promise<Template> {
  return viewneo.updateTemplate(id, validTemplate(input), { ifUnmodifiedSince });
}

/** Checks a template and fills in viewneo's defaults, before any upstream call. */
function validTemplate(input: CreateTemplateArgs): TemplateInput {
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
  return {
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
  };
}
