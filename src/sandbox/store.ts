import type { ListResource, ListSetting } from './lists.js';
import type { SandboxAccountData } from './model.js';

/** One account's mutable data, and the id its next playlist gets (ids are never reused). */
export interface AccountStore {
  data: SandboxAccountData;
  nextPlaylistId: number;
}

/** Wraps seeded data in a store. */
export function accountStore(data: SandboxAccountData): AccountStore {
  return { data, nextPlaylistId: Math.max(0, ...data.playlists.map((p) => p.id)) + 1 };
}

/** What an authenticated API request gives its handler. */
export interface ApiContext {
  store: AccountStore;
  query: URLSearchParams;
  body: unknown;
  /** Absolute URL of the requested path, without the query: the `path` of paginated lists. */
  listPath: string;
  lists: Record<ListResource, ListSetting>;
}
