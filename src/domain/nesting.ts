/**
 * Whether playlist `from` reaches playlist `target` by nesting (itself included), given each
 * playlist's nested playlists. Playlists not in `nested` nest nothing. A player expanding a
 * playlist that reaches itself would loop forever.
 */
export function reaches(from: number, target: number, nested: ReadonlyMap<number, readonly number[]>): boolean {
  const seen = new Set<number>();
  const queue = [from];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (id === target) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    queue.push(...(nested.get(id) ?? []));
  }
  return false;
}

/**
 * Whether moving folder-or-file `id` into folder `parent` would put a folder inside itself: true
 * when `parent` is `id` or lies below it (its chain of parents reaches `id`). A cycle already in
 * the data ends the walk.
 */
export function movesIntoItself(id: number, parent: number | null, parentOf: (id: number) => number | null): boolean {
  const seen = new Set<number>();
  for (let at = parent; at !== null && !seen.has(at); at = parentOf(at)) {
    if (at === id) return true;
    seen.add(at);
  }
  return false;
}
