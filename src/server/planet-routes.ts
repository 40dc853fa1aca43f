/**
 * The planet's routes: tag, category and month pages, the feeds of a tag, a category or a source, the icon
 * and robots.txt. Paths are percent-encoded segment by segment (a tag may hold `/`, `&` or spaces).
 */
import { categoryKey } from '../config/categories.js';
import type { Month } from '../publish/archive.js';
import { type RiverCursor, type SourceId, tagKey } from '../store/index.js';

/** A part of the river with pages and feeds of its own. `tag` is a tag key, `category` a category key. */
export type Scope =
  | { kind: 'tag'; tag: string }
  | { kind: 'category'; category: string }
  | { kind: 'source'; id: SourceId };

export type ScopedFeedFormat = 'atom' | 'rss' | 'jsonFeed';
export type { Month };

export type PlanetRoute =
  | { kind: 'tag'; tag: string; before?: RiverCursor }
  | { kind: 'category'; category: string; before?: RiverCursor }
  | { kind: 'archive'; month: Month; before?: RiverCursor }
  | { kind: 'scopedFeed'; scope: Scope; format: ScopedFeedFormat }
  | { kind: 'favicon' }
  | { kind: 'robots' };

export const SCOPED_FEED_FILES: Record<ScopedFeedFormat, string> = {
  atom: 'atom.xml',
  rss: 'rss.xml',
  jsonFeed: 'feed.json',
};
const FEED_FORMATS = new Map(
  Object.entries(SCOPED_FEED_FILES).map(([format, file]) => [file, format as ScopedFeedFormat]),
);

/** The route `pathname` names among the planet's, or undefined. `before`: the page's cursor, if any. */
export function matchPlanetRoute(pathname: string, before: RiverCursor | undefined): PlanetRoute | undefined {
  if (pathname === '/favicon.ico') return { kind: 'favicon' };
  if (pathname === '/robots.txt') return { kind: 'robots' };
  const segments = decodeSegments(pathname);
  if (!segments) return undefined;
  const [section, ...rest] = segments;
  const format = FEED_FORMATS.get(rest.at(-1) ?? '');
  const scoped = format ? rest.slice(0, -1) : rest;
  const page = <R extends PlanetRoute>(route: R): R => (before ? { ...route, before } : route);
  let scope: Scope | undefined;
  if (section === 'tags' && scoped.length === 1) {
    const tag = tagKey(scoped[0]!);
    if (tag) scope = { kind: 'tag', tag };
  } else if (section === 'categories' && scoped.length > 0) {
    const category = categoryKey(scoped.join('/'));
    if (category) scope = { kind: 'category', category };
  } else if (
    section === 'sources' &&
    format &&
    scoped.length === 1 &&
    /^[1-9][0-9]{0,15}$/.test(scoped[0]!)
  ) {
    scope = { kind: 'source', id: Number(scoped[0]) };
  } else if (section === 'archive' && !format) {
    const month = monthOf(rest);
    return month ? page({ kind: 'archive', month }) : undefined;
  }
  if (!scope) return undefined;
  if (format) return { kind: 'scopedFeed', scope, format };
  if (scope.kind === 'tag') return page({ kind: 'tag', tag: scope.tag });
  if (scope.kind === 'category') return page({ kind: 'category', category: scope.category });
  return undefined;
}

/** `/archive/2024/05` → May 2024; only the form our links use (four-digit year, two-digit month). */
function monthOf([year, month, ...more]: string[]): Month | undefined {
  if (more.length > 0 || !/^[0-9]{4}$/.test(year ?? '') || !/^(0[1-9]|1[0-2])$/.test(month ?? ''))
    return undefined;
  return { year: Number(year), month: Number(month) };
}

/** The path's segments, percent-decoded; undefined for a malformed escape. */
function decodeSegments(pathname: string): string[] | undefined {
  try {
    return pathname.split('/').slice(1).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}
