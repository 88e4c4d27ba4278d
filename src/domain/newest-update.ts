/** The latest `updatedAt` of `objects` (ISO-8601), or null when none says. */
export function newestUpdate(objects: readonly { readonly updatedAt: string | null }[]): string | null {
  let newest: string | null = null;
  for (const { updatedAt } of objects) {
    if (updatedAt !== null && (newest === null || Date.parse(updatedAt) > Date.parse(newest))) newest = updatedAt;
  }
  return newest;
}
