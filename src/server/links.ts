/**
 * Where a page's links point. The live server uses clean paths (`/sources/3`); the static export uses file
 * names relative to the page (`../sources/3.html`), so the exported folder works under any static server
 * and from any sub-path.
 */
import type { ImageUrlMap } from '../content/image-urls.js';
import type { FaceView } from '../publish/index.js';
import type { EntryId, SourceId, SourcesCursor } from '../store/index.js';
import { exportPlanetLinks, livePlanetLinks, type PlanetLinks } from './planet-links.js';
import { encodeSourcesCursor, type SourcesListing, sourcesQueryString } from './sources-query.js';

export interface Links extends PlanetLinks {
  home: string;
  /** The river page that starts after the cursor token. */
  riverPage(token: string): string;
  sources: string;
  /** A page of `/sources`; the static export has its unfiltered pages only (no server to filter). */
  sourcesPage(listing: SourcesListing): string;
  /** The sources filter form's action; absent in the static export. */
  sourcesFilter?: string;
  source(id: SourceId, token?: string): string;
  people: string;
  /** A page of `/people`: the one after the cursor token (people-page.ts), else the first. */
  peoplePage(token?: string): string;
  entry(id: EntryId): string;
  /** The search form's action; absent in the static export (no server to search). */
  search?: string;
  style: string;
  atom: string;
  rss: string;
  jsonFeed: string;
  opml: string;
  digest: string;
  /** A file of the theme (`logo.png`) at its hashed name; throws for a file the theme does not have. */
  theme(file: string): string;
  /** A face's image: the theme file the config names (`face: jo.png`) when the theme has it, else the URL. */
  face(view: FaceView): string | undefined;
  /** Where posts' images load from (the image proxy, the export's copies); absent, from where they are. */
  image?: ImageUrlMap;
}

/** Where a theme file is, from the site's root (`theme/logo.Ab3dE9xQ1z.png`), if the theme has it:
 * `Site.themeFile`. */
export type ThemeFiles = (file: string) => string | undefined;

/** `links.theme` and `links.face` for pages whose way to the site's root is `root`. */
function themeLinks(root: string, themeFile: ThemeFiles): Pick<Links, 'theme' | 'face'> {
  return {
    theme: (file) => {
      const path = themeFile(file);
      if (path === undefined) throw new Error(`links.theme('${file}'): the theme has no such file`);
      return `${root}${path}`;
    },
    face: (view) => {
      const path = view.faceFile === undefined ? undefined : themeFile(view.faceFile);
      return path === undefined ? view.face : `${root}${path}`;
    },
  };
}

export function liveLinks(styleVersion: string, themeFile: ThemeFiles): Links {
  return {
    home: '/',
    riverPage: (token) => `/?before=${encodeURIComponent(token)}`,
    sources: '/sources',
    sourcesPage: (listing) => `/sources${sourcesQueryString(listing)}`,
    sourcesFilter: '/sources',
    source: (id, token) => (token ? `/sources/${id}?before=${encodeURIComponent(token)}` : `/sources/${id}`),
    entry: (id) => `/entries/${id}`,
    people: '/people',
    peoplePage: (token) => (token ? `/people?after=${token}` : '/people'),
    search: '/search',
    // Versioned, so the stylesheet can be cached for a year and still change with a new release.
    style: `/style.css?v=${styleVersion}`,
    atom: '/atom.xml',
    rss: '/rss.xml',
    jsonFeed: '/feed.json',
    opml: '/opml.xml',
    digest: '/digest.txt',
    ...themeLinks('/', themeFile),
    ...livePlanetLinks(),
  };
}

/** Links for an exported file at `filePath` (relative to the export root, `/`-separated). */
export function exportLinks(filePath: string, themeFile: ThemeFiles): Links {
  const root = exportRoot(filePath);
  return {
    home: `${root}index.html`,
    riverPage: (token) => `${root}${riverPageFile(token)}`,
    sources: `${root}sources/index.html`,
    sourcesPage: (listing) => `${root}${sourcesPageFile(listing.after)}`,
    source: (id, token) => `${root}${sourcePageFile(id, token)}`,
    entry: (id) => `${root}${entryFile(id)}`,
    people: `${root}${peoplePageFile()}`,
    peoplePage: (token) => `${root}${peoplePageFile(token)}`,
    style: `${root}style.css`,
    atom: `${root}atom.xml`,
    rss: `${root}rss.xml`,
    jsonFeed: `${root}feed.json`,
    opml: `${root}opml.xml`,
    digest: `${root}digest.txt`,
    ...themeLinks(root, themeFile),
    ...exportPlanetLinks(root),
  };
}

/** The way from an exported file at `filePath` back to the export root: `../` per folder, or nothing. */
export function exportRoot(filePath: string): string {
  return '../'.repeat(filePath.split('/').length - 1);
}

/** Export file names, shared by the links above and the writer. Cursor tokens are `[0-9a-z_-]` only. */
export function riverPageFile(token: string): string {
  return `page/${token}.html`;
}

export function sourcesPageFile(after?: SourcesCursor): string {
  return after ? `sources/page/${encodeSourcesCursor(after)}.html` : 'sources/index.html';
}

export function sourcePageFile(id: SourceId, token?: string): string {
  return token ? `sources/${id}/page/${token}.html` : `sources/${id}.html`;
}

/** Cursor tokens of /people are base64url: safe in a file name as they are. */
export function peoplePageFile(token?: string): string {
  return token ? `people/page/${token}.html` : 'people/index.html';
}

export function entryFile(id: EntryId): string {
  return `entries/${id}.html`;
}
