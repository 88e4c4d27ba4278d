/** The field extension that holds a list's assumed size, for the cost estimate (plugins/cost.ts). */
export const ASSUMED_SIZE = 'assumedListSize';

/**
 * A list field's extensions stating how many items it is assumed to hold per parent when no
 * argument bounds it: what viewneo's data usually holds, not its maximum (which it does not
 * document). Lists without it count 10.
 */
export function assumedSize(items: number): { readonly extensions: { readonly [ASSUMED_SIZE]: number } } {
  return { extensions: { [ASSUMED_SIZE]: items } };
}
