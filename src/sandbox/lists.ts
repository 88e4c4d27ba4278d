/** The list resources whose answer shape can be configured. */
export type ListResource = 'playlist' | 'playlistentry' | 'mediafile' | 'template';

/**
 * How a list is answered: a plain array, a Laravel LengthAwarePaginator, a simple paginator
 * (no total, last_page, last_page_url) or an API-resource collection (data, links, meta).
 */
export type ListShape = 'array' | 'paginator' | 'simple' | 'resource';

/** A list's shape and page size (the page size is unused for 'array'). */
export interface ListSetting {
  shape: ListShape;
  perPage: number;
}

/** Laravel's default page size, used when a shape is set without one. */
export const DEFAULT_PER_PAGE = 15;

/** The shapes the sandbox starts with (and returns to on reset). */
export function defaultListSettings(): Record<ListResource, ListSetting> {
  return {
    playlist: { shape: 'array', perPage: DEFAULT_PER_PAGE },
    playlistentry: { shape: 'array', perPage: DEFAULT_PER_PAGE },
    mediafile: { shape: 'paginator', perPage: DEFAULT_PER_PAGE },
    template: { shape: 'resource', perPage: 2 },
  };
}

/**
 * Renders `items` in the configured shape. `path` is the absolute URL of the list without a query;
 * page links are `path?page=N`. The page comes from `?page=` (1 when absent or not a positive
 * integer, as Laravel does); `?per_page=` is deliberately ignored.
 */
export function renderList<T>(items: T[], setting: ListSetting, path: string, query: URLSearchParams): unknown {
  if (setting.shape === 'array') return items;
  const perPage = setting.perPage;
  const page = pageNumber(query.get('page'));
  const offset = (page - 1) * perPage;
  const data = items.slice(offset, offset + perPage);
  const from = data.length > 0 ? offset + 1 : null;
  const to = data.length > 0 ? offset + data.length : null;
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const url = (n: number): string => `${path}?page=${n}`;
  const hasMore = items.length > offset + perPage;
  const prev = page > 1 ? url(page - 1) : null;
  const next = hasMore ? url(page + 1) : null;
  if (setting.shape === 'simple') {
    return {
      current_page: page,
      data,
      first_page_url: url(1),
      from,
      next_page_url: next,
      path,
      per_page: perPage,
      prev_page_url: prev,
      to,
    };
  }
  if (setting.shape === 'resource') {
    return {
      data,
      links: { first: url(1), last: url(lastPage), prev, next },
      meta: { current_page: page, from, last_page: lastPage, path, per_page: perPage, to, total: items.length },
    };
  }
  return {
    current_page: page,
    data,
    first_page_url: url(1),
    from,
    last_page: lastPage,
    last_page_url: url(lastPage),
    next_page_url: next,
    path,
    per_page: perPage,
    prev_page_url: prev,
    to,
    total: items.length,
  };
}

function pageNumber(raw: string | null): number {
  const page = raw !== null && /^\d+$/.test(raw) ? Number(raw) : 1;
  return Number.isSafeInteger(page) && page >= 1 ? page : 1;
}
