import type { DefaultConnectionArguments } from '@pothos/plugin-relay';
import type { Context } from '../context.js';
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
