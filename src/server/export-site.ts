/**
 * Static export: the same pages and feeds as the live server, written as files that any static file
 * server (or a browser from disk) serves. Links point at the exported files, relative to each page, and
 * images the live site would proxy at copies in the export (export-images.ts).
 * Files are written, never deleted: export into an empty folder to drop pages of an older export.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { categoryKey, inCategory } from '../config/categories.js';
import {
  dateLabels,
  faceUrls,
  type Month,
  monthOf,
  monthStart,
  nextMonth,
  type SiteInfo,
} from '../publish/index.js';
import {
  encodeRiverCursor,
  type RiverCursor,
  type RiverQuery,
  type SourcesCursor,
  type Store,
} from '../store/index.js';
import { type ExportImageOptions, ExportImages } from './export-images.js';
import {
  entryFile,
  exportLinks,
  type Links,
  peoplePageFile,
  riverPageFile,
  sourcePageFile,
  sourcesPageFile,
} from './links.js';
import { encodePeopleCursor, PEOPLE_PAGE_SIZE } from './people-page.js';
import { EXPORT_FILES } from './planet-links.js';
import { SCOPED_FEED_FILES, type Scope, type ScopedFeedFormat } from './planet-routes.js';
import type { FeedFormat, Route } from './routes.js';
import { createSite, type SiteOptions } from './site.js';
import { DEFAULT_SOURCES_PAGE } from './sources-query.js';

export interface ExportResult {
  /** Files written, and how many of them are river pages and post permalinks. */
  files: number;
  riverPages: number;
  entries: number;
  /** Images copied into the export, and those left at their own address (failed, refused, over the bounds). */
  images: number;
  imagesNotCopied: number;
}

const FEED_FILES: Record<FeedFormat, string> = {
  atom: 'atom.xml',
  rss: 'rss.xml',
  jsonFeed: 'feed.json',
  opml: 'opml.xml',
  digest: 'digest.txt',
};

export async function exportSite(
  store: Store,
  outDir: string,
  site: SiteInfo,
  options: Omit<SiteOptions, 'store' | 'site'> & { images?: ExportImageOptions } = {},
): Promise<ExportResult> {
  const rendered = createSite({ ...options, store, site });
  const pageSize = options.pageSize ?? 30;
  const made = new Set<string>();
  const result: ExportResult = { files: 0, riverPages: 0, entries: 0, images: 0, imagesNotCopied: 0 };
  const images = options.images?.mode !== 'off' && new ExportImages(outDir, options.images ?? {});
  const linksFor = (path: string): Links => {
    const links = exportLinks(path, rendered.themeFile);
    return images ? { ...links, image: images.mapFor(path) } : links;
  };

  async function write(path: string, body: string | Buffer): Promise<void> {
    const file = join(outDir, path);
    const dir = dirname(file);
    if (!made.has(dir)) {
      await mkdir(dir, { recursive: true });
      made.add(dir);
    }
    await writeFile(file, body);
    result.files++;
  }
  const writeRoute = async (path: string, route: Route) =>
    write(path, (await rendered.render(route, linksFor(path))).body);

  // The sources' faces first: every page that names a source may show its face.
  const sources = await store.listSources();
  if (images) await images.copyImages(faceUrls(sources));

  // The river, page by page, following the same cursors the pages link to; each post's permalink too.
  let before: RiverCursor | undefined;
  do {
    const page = await store.river({ limit: pageSize, ...(before && { before }) });
    if (images) await images.copyFor(page.entries);
    await writeRoute(before ? riverPageFile(encodeRiverCursor(before)) : 'index.html', {
      kind: 'river',
      ...(before && { before }),
    });
    result.riverPages++;
    for (const entry of page.entries) {
      await writeRoute(entryFile(entry.id), { kind: 'entry', id: entry.id });
      result.entries++;
    }
    before = page.next;
  } while (before);

  /** Each page of a listing, following the cursors its "Older posts" links follow. */
  async function eachPage(
    query: Omit<RiverQuery, 'limit'>,
    writePage: (cursor?: RiverCursor) => Promise<void>,
  ) {
    let cursor: RiverCursor | undefined;
    do {
      const page = await store.river({ ...query, limit: pageSize, ...(cursor && { before: cursor }) });
      if (images) await images.copyFor(page.entries);
      await writePage(cursor);
      cursor = page.next;
    } while (cursor);
  }
  const token = (cursor?: RiverCursor) => cursor && encodeRiverCursor(cursor);
  const paged = (cursor?: RiverCursor) => (cursor ? { before: cursor } : {});
  const writeFeeds = async (scope: Scope) => {
    for (const format of Object.keys(SCOPED_FEED_FILES) as ScopedFeedFormat[])
      await writeRoute(EXPORT_FILES.scopedFeed(scope, format), { kind: 'scopedFeed', scope, format });
  };

  // The sources pages, following the same cursors the pages link to.
  let after: SourcesCursor | undefined;
  do {
    const listing = { size: DEFAULT_SOURCES_PAGE, ...(after && { after }) };
    await writeRoute(sourcesPageFile(after), { kind: 'sources', listing });
    after = (await store.sourcesPage({ limit: listing.size, ...(after && { after }) })).next;
  } while (after);
  // The people pages, following the same cursors the pages link to.
  let person: string | undefined;
  do {
    const token = person === undefined ? undefined : encodePeopleCursor(person);
    await writeRoute(peoplePageFile(token), {
      kind: 'people',
      ...(person !== undefined && { after: person }),
    });
    person = (
      await store.peoplePage({ limit: PEOPLE_PAGE_SIZE, ...(person !== undefined && { after: person }) })
    ).next;
  } while (person !== undefined);
  for (const source of sources) {
    await eachPage({ sourceId: source.id }, (cursor) =>
      writeRoute(sourcePageFile(source.id, token(cursor)), {
        kind: 'source',
        id: source.id,
        ...paged(cursor),
      }),
    );
    await writeFeeds({ kind: 'source', id: source.id });
  }
  for (const tag of await store.riverTags()) {
    await eachPage({ tag }, (cursor) =>
      writeRoute(EXPORT_FILES.tag(tag, token(cursor)), { kind: 'tag', tag, ...paged(cursor) }),
    );
    await writeFeeds({ kind: 'tag', tag });
  }
  for (const category of categoriesOf(sources.flatMap((s) => s.options.categories ?? []))) {
    const ids = sources.filter((s) => inCategory(s.options.categories, category)).map((s) => s.id);
    await eachPage({ sourceIds: ids }, (cursor) =>
      writeRoute(EXPORT_FILES.category(category, token(cursor)), {
        kind: 'category',
        category,
        ...paged(cursor),
      }),
    );
    await writeFeeds({ kind: 'category', category });
  }
  // The months, newest first: each one's pages, then on to the latest month before it that has posts.
  const labels = dateLabels(site.timeZone);
  const newest = (await store.river({ limit: 1 })).entries[0];
  let month: Month | undefined = newest && monthOf(new Date(newest.item.date_published!), labels);
  while (month) {
    const shown = month;
    const start = monthStart(shown, site.timeZone);
    const end = { publishedMs: monthStart(nextMonth(shown), site.timeZone), id: 0 };
    await eachPage({ since: start, before: end }, (cursor) =>
      writeRoute(EXPORT_FILES.archive(shown, token(cursor)), {
        kind: 'archive',
        month: shown,
        ...paged(cursor),
      }),
    );
    const earlier = (await store.riverDatesAround(start)).before;
    month = earlier && monthOf(earlier, labels);
  }

  for (const [format, path] of Object.entries(FEED_FILES) as [FeedFormat, string][]) {
    await writeRoute(path, { kind: 'feed', format });
  }
  await writeRoute('style.css', { kind: 'style' });
  await writeRoute(EXPORT_FILES.favicon, { kind: 'favicon' });
  await writeRoute(EXPORT_FILES.robots, { kind: 'robots' });
  for (const asset of rendered.theme.assets.values()) await write(asset.path, asset.body);
  await write('404.html', rendered.notFound(linksFor('404.html')).body);
  if (images) {
    result.images = images.copied;
    result.files += images.copied;
    result.imagesNotCopied = images.notCopied;
  }
  return result;
}

/** Every category key the sources name, with the categories above them (`Tech/Linux` → `tech`, `tech/linux`). */
function categoriesOf(categories: string[]): Set<string> {
  const keys = new Set<string>();
  for (const category of categories) {
    const segments = categoryKey(category).split('/');
    for (let depth = 1; depth <= segments.length; depth++) keys.add(segments.slice(0, depth).join('/'));
  }
  return keys;
}
