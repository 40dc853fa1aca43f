/**
 * Where the planet's pages and feeds live: on the server, clean paths (`/tags/c%2B%2B`); in the static
 * export, files (`tags/c%2B%2B.html`, whose link escapes the `%` again so a static server finds the file).
 */
import { createHash } from 'node:crypto';
import { type Month, SCOPED_FEED_FILES, type Scope, type ScopedFeedFormat } from './planet-routes.js';

/** Paths of the planet's pages and feeds. `tag` and `category` take keys (tagKey, categoryKey). */
export interface PlanetPaths {
  tag(tag: string, token?: string): string;
  category(category: string, token?: string): string;
  archive(month: Month, token?: string): string;
  /** A scope's first page (a source's is its page). */
  scope(scope: Scope): string;
  scopedFeed(scope: Scope, format: ScopedFeedFormat): string;
  favicon: string;
  robots: string;
}

/** Links from the current page, plus the same from the site's root (for feeds' absolute URLs). */
export interface PlanetLinks extends PlanetPaths {
  fromRoot: PlanetPaths;
}

/** A path segment: percent-encoded, and never `.` or `..`, which would step out of its folder. */
function segment(text: string): string {
  return /^\.+$/.test(text) ? text.replace(/\./g, '%2E') : encodeURIComponent(text);
}

const monthPath = ({ year, month }: Month) => `archive/${year}/${String(month).padStart(2, '0')}`;

/** The folder a scope's pages and feeds hang from, made of `segmentOf`'d names. */
function scopeBase(scope: Scope, segmentOf: (text: string) => string): string {
  if (scope.kind === 'tag') return `tags/${segmentOf(scope.tag)}`;
  if (scope.kind === 'category') return `categories/${scope.category.split('/').map(segmentOf).join('/')}`;
  return `sources/${scope.id}`;
}

/** Root-relative paths on the server. */
const LIVE: PlanetPaths = {
  tag: (tag, token) => paged(scopeBase({ kind: 'tag', tag }, segment), token),
  category: (category, token) => paged(scopeBase({ kind: 'category', category }, segment), token),
  archive: (month, token) => paged(monthPath(month), token),
  scope: (scope) => scopeBase(scope, segment),
  scopedFeed: (scope, format) => `${scopeBase(scope, segment)}/${SCOPED_FEED_FILES[format]}`,
  favicon: 'favicon.ico',
  robots: 'robots.txt',
};

function paged(path: string, token: string | undefined): string {
  return token ? `${path}?before=${encodeURIComponent(token)}` : path;
}

/** A file name segment: a name too long for a file system is replaced by its hash. */
function fileSegment(text: string): string {
  const name = segment(text);
  return name.length <= 120 ? name : createHash('sha256').update(text).digest('base64url').slice(0, 32);
}

/** Root-relative file paths of the static export, as written (export-site.ts writes these). */
export const EXPORT_FILES: PlanetPaths = {
  tag: (tag, token) => pageFile(scopeBase({ kind: 'tag', tag }, fileSegment), token),
  category: (category, token) => pageFile(scopeBase({ kind: 'category', category }, fileSegment), token),
  archive: (month, token) => pageFile(monthPath(month), token),
  scope: (scope) => `${scopeBase(scope, fileSegment)}.html`,
  scopedFeed: (scope, format) => `${scopeBase(scope, fileSegment)}/${SCOPED_FEED_FILES[format]}`,
  favicon: 'favicon.ico',
  robots: 'robots.txt',
};

function pageFile(base: string, token: string | undefined): string {
  return token ? `${base}/page/${token}.html` : `${base}.html`;
}

/** Every path of `paths` passed through `change`. */
function mapPaths(paths: PlanetPaths, change: (path: string) => string): PlanetPaths {
  const mapped = Object.entries(paths).map(([name, value]) => [
    name,
    typeof value === 'function' ? (...args: never[]) => change(value(...args)) : change(value),
  ]);
  return Object.fromEntries(mapped) as PlanetPaths;
}

export function livePlanetLinks(): PlanetLinks {
  return { ...mapPaths(LIVE, (path) => `/${path}`), fromRoot: LIVE };
}

/** Links for an exported page `root` (`../`…) below the export's root. */
export function exportPlanetLinks(root: string): PlanetLinks {
  // A file name's `%` is a character of its own: escaped, so the static server decodes back to it.
  const hrefs = mapPaths(EXPORT_FILES, (file) => file.replace(/%/g, '%25'));
  return { ...mapPaths(hrefs, (href) => root + href), fromRoot: hrefs };
}
