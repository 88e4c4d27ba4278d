/** Fields a list can be ordered by. */
export type OrderField = 'NAME' | 'CREATED_AT' | 'UPDATED_AT';
export type OrderDirection = 'ASC' | 'DESC';

/** An `orderBy` argument. */
export interface Order {
  readonly field: OrderField;
  readonly direction?: OrderDirection | null;
}

interface Sortable {
  readonly id: number;
  readonly name: string;
  readonly createdAt: string | null;
  readonly updatedAt: string | null;
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

function compare(a: Sortable, b: Sortable, field: OrderField): number {
  if (field === 'NAME') return collator.compare(a.name, b.name);
  const key = field === 'CREATED_AT' ? 'createdAt' : 'updatedAt';
  // ISO-8601 UTC strings sort as text; a missing time sorts first.
  return (a[key] ?? '').localeCompare(b[key] ?? '');
}

/**
 * Items whose name contains `search` (case- and accent-insensitive), in `order` (ties by
 * id, so pages stay stable), or in viewneo's order without one. Never mutates `items`.
 */
export function searchAndSort<T extends Sortable>(items: readonly T[], search?: string | null, order?: Order | null): T[] {
  const needle = search?.trim() ? fold(search.trim()) : null;
  const found = needle === null ? [...items] : items.filter((item) => fold(item.name).includes(needle));
  if (!order) return found;
  const sign = order.direction === 'DESC' ? -1 : 1;
  return found.sort((a, b) => sign * (compare(a, b, order.field) || a.id - b.id));
}

function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}
