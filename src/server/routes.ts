/** The site's routes, parsed from a request path and query. Shared by the HTTP server and the static export. */
import { decodeRiverCursor, type EntryId, type RiverCursor, type SourceId } from '../store/index.js';
import { decodePeopleCursor } from './people-page.js';
import { matchPlanetRoute, type PlanetRoute } from './planet-routes.js';
import { parseSourcesListing, type SourcesListing, sourcesQueryString } from './sources-query.js';

export type FeedFormat = 'atom' | 'rss' | 'jsonFeed' | 'opml' | 'digest';

export type Route =
  | { kind: 'river'; before?: RiverCursor }
  | { kind: 'sources'; listing: SourcesListing }
  | { kind: 'source'; id: SourceId; before?: RiverCursor }
  | { kind: 'entry'; id: EntryId }
  | { kind: 'search'; query: string; page: number }
  | { kind: 'feed'; format: FeedFormat }
  | { kind: 'style' }
  /** A theme file by its hashed path (`theme/logo.Ab3dE9xQ1z.png`). */
  | { kind: 'themeAsset'; path: string }
  | { kind: 'people'; after?: string }
  | PlanetRoute;

const FEED_PATHS: Record<string, FeedFormat> = {
  '/atom.xml': 'atom',
  '/rss.xml': 'rss',
  '/feed.json': 'jsonFeed',
  '/opml.xml': 'opml',
  '/digest.txt': 'digest',
};

/** Ids in paths: a positive decimal integer that JavaScript holds exactly. */
const ID = /^[1-9][0-9]{0,15}$/;
/** Search result pages offered: beyond them, better words serve the reader better than paging. */
export const MAX_SEARCH_PAGE = 50;
const SEARCH_PAGE = /^[1-9][0-9]?$/;

/** The route a path names, or undefined (404) — including for a `before` cursor this site did not make. */
export function matchRoute(pathname: string, params: URLSearchParams): Route | undefined {
  const feed = FEED_PATHS[pathname];
  if (feed) return { kind: 'feed', format: feed };
  if (pathname === '/style.css') return { kind: 'style' };
  if (pathname.startsWith('/theme/')) return { kind: 'themeAsset', path: pathname.slice(1) };
  if (pathname === '/sources' || pathname === '/sources/') {
    const listing = parseSourcesListing(params);
    return listing && { kind: 'sources', listing };
  }
  if (pathname === '/people' || pathname === '/people/') {
    const token = params.get('after');
    if (token === null) return { kind: 'people' };
    const after = decodePeopleCursor(token);
    return after === undefined ? undefined : { kind: 'people', after };
  }
  if (pathname === '/search') {
    // The query is kept whole: one too long is told so (site.ts), not cut short into another search.
    const page = params.get('page') ?? '1';
    if (!SEARCH_PAGE.test(page) || Number(page) > MAX_SEARCH_PAGE) return undefined;
    return { kind: 'search', query: (params.get('q') ?? '').trim(), page: Number(page) };
  }
  const before = params.get('before');
  const cursor = before === null ? undefined : decodeRiverCursor(before);
  if (before !== null && !cursor) return undefined;
  const planet = matchPlanetRoute(pathname, cursor);
  if (planet) return planet;
  if (pathname === '/' || pathname === '/index.html')
    return cursor ? { kind: 'river', before: cursor } : { kind: 'river' };
  const match = /^\/(sources|entries)\/([^/]+)$/.exec(pathname);
  if (!match || !ID.test(match[2]!)) return undefined;
  const id = Number(match[2]);
  if (match[1] === 'entries') return { kind: 'entry', id };
  return cursor ? { kind: 'source', id, before: cursor } : { kind: 'source', id };
}

/** Operations endpoints, served fresh on every request (never through the page cache, never exported). */
export function matchOperationsRoute(pathname: string): 'metrics' | 'healthz' | undefined {
  if (pathname === '/metrics') return 'metrics';
  if (pathname === '/healthz') return 'healthz';
  return undefined;
}

/** The WebSub callback `/websub/<sourceId>/<token>` (GET verification, POST content), served fresh. */
export function matchWebSubCallback(pathname: string): { sourceId: SourceId; token: string } | undefined {
  const match = /^\/websub\/([^/]+)\/([A-Za-z0-9_-]{1,64})$/.exec(pathname);
  if (!match || !ID.test(match[1]!)) return undefined;
  return { sourceId: Number(match[1]), token: match[2]! };
}

/** A string naming the route exactly: the response cache's key. */
export function routeKey(route: Route): string {
  switch (route.kind) {
    case 'river':
      return route.before ? `river:${route.before.publishedMs}:${route.before.id}` : 'river';
    case 'source':
      return `source:${route.id}${route.before ? `:${route.before.publishedMs}:${route.before.id}` : ''}`;
    case 'entry':
      return `entry:${route.id}`;
    case 'search':
      return `search:${route.page}:${route.query}`;
    case 'feed':
      return `feed:${route.format}`;
    case 'themeAsset':
      return `theme:${route.path}`;
    case 'tag':
    case 'category':
    case 'archive':
    case 'scopedFeed':
      return JSON.stringify(route);
    case 'sources':
      return `sources${sourcesQueryString(route.listing)}`;
    case 'people':
      return `people:${route.after ?? ''}`;
    default:
      return route.kind;
  }
}
