/**
 * Whether the benchmark runs from its compiled build (`dist-bench/`, as `npm run bench` runs
 * it: the peers as production runs them, without a TypeScript loader), or from source under tsx.
 */
export const COMPILED = import.meta.url.endsWith('.js');

/** The repository root, from either tree. */
export const REPO_ROOT = new URL(COMPILED ? '../../' : '../', import.meta.url);
