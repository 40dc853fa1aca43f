/**
 * /search, between the reader and the store: the words typed become a search request (filters resolved
 * against the sources the site shows), and what can go wrong becomes a message for the reader — a query to
 * rephrase (400), one that ran out of time (503), too many searches at once (503 with Retry-After, see
 * server.ts) — never an error page.
 */
import { sourceName } from '../publish/index.js';
import {
  parseSearch,
  type SearchRequest,
  SearchSyntaxError,
  SearchTimeoutError,
  type Source,
  type SourceId,
} from '../store/index.js';

/** The store's request for page `page` (from 1) of `pageSize` results of what the reader typed; `sources`
 * is asked for only when the search names some. */
export async function searchRequest(
  query: string,
  sources: () => Promise<ReadonlyMap<SourceId, Source>>,
  page: number,
  pageSize: number,
): Promise<SearchRequest> {
  const { sources: names, tags, ...terms } = parseSearch(query);
  return {
    ...terms,
    ...(names.length > 0 && { sourceIds: sourceIds(names, await sources()) }),
    ...(tags.length > 0 && { tags }),
    limit: pageSize,
    offset: (page - 1) * pageSize,
  };
}

/** The sources `source:` names: by number, or by name as pages show it (the configured name or the feed's
 * title), in any case. A name no source has is an error, not an empty result. */
function sourceIds(names: string[], sources: ReadonlyMap<SourceId, Source>): SourceId[] {
  const ids = new Set<SourceId>();
  for (const name of names) {
    const wanted = name.toLowerCase();
    const named = [...sources.values()].filter(
      (s) =>
        String(s.id) === name ||
        [sourceName(s), s.name, s.title].some((n) => n?.trim().toLowerCase() === wanted),
    );
    if (named.length === 0) {
      throw new SearchSyntaxError(
        `No source is called “${name}”: use a name or number from the Sources page, as in source:3.`,
      );
    }
    for (const s of named) ids.add(s.id);
  }
  return [...ids];
}

/** Said to a reader whose search was refused because too many are running (SearchBusyError). */
export const SEARCH_BUSY = 'Too many searches are running right now. Please try again in a few seconds.';

/**
 * What to tell the reader when this search could not be answered; undefined for a failure (a 500) and
 * for SearchBusyError, whose page is the same whatever the query (the server prepares it once).
 */
export function searchRefusal(error: unknown): { status: number; message: string } | undefined {
  if (error instanceof SearchSyntaxError) return { status: 400, message: error.message };
  if (error instanceof SearchTimeoutError) {
    return {
      status: 503,
      message: `This search took longer than ${error.timeLimitMs / 1000} s and was stopped. More specific words help: fewer OR and word* prefixes, or a source: or tag: filter.`,
    };
  }
  return undefined;
}

/** The line above the results. */
export function searchSummary(query: string, page: number, pageSize: number, shown: number, more: boolean) {
  if (page === 1 && !more) {
    if (shown === 0) return `No posts match “${query}”.`;
    return `${shown} ${shown === 1 ? 'post matches' : 'posts match'} “${query}”.`;
  }
  if (shown === 0) return `No more posts match “${query}”.`;
  const first = (page - 1) * pageSize + 1;
  return `Posts ${first}–${first + shown - 1} matching “${query}”, best first.`;
}
