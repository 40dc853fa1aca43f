/**
 * Static export: the same pages and feeds as the live server, written as files that any static file
 * server (or a browser from disk) serves. Links point at the exported files, relative to each page.
 * Files are written, never deleted: export into an empty folder to drop pages of an older export.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SiteInfo } from '../publish/index.js';
import { encodeRiverCursor, type RiverCursor, type SourcesCursor, type Store } from '../store/index.js';
import { entryFile, exportLinks, riverPageFile, sourcePageFile, sourcesPageFile } from './links.js';
import type { FeedFormat, Route } from './routes.js';
import { createSite, type SiteOptions } from './site.js';
import { DEFAULT_SOURCES_PAGE } from './sources-query.js';

export interface ExportResult {
  /** Files written, and how many of them are river pages and post permalinks. */
  files: number;
  riverPages: number;
  entries: number;
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
  options: Omit<SiteOptions, 'store' | 'site'> = {},
): Promise<ExportResult> {
  const rendered = createSite({ ...options, store, site });
  const pageSize = options.pageSize ?? 30;
  const made = new Set<string>();
  const result: ExportResult = { files: 0, riverPages: 0, entries: 0 };

  async function write(path: string, body: string): Promise<void> {
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
    write(path, (await rendered.render(route, exportLinks(path))).body);

  // The river, page by page, following the same cursors the pages link to; each post's permalink too.
  let before: RiverCursor | undefined;
  do {
    const page = await store.river({ limit: pageSize, ...(before && { before }) });
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

  // The sources pages, following the same cursors the pages link to.
  let after: SourcesCursor | undefined;
  do {
    const listing = { size: DEFAULT_SOURCES_PAGE, ...(after && { after }) };
    await writeRoute(sourcesPageFile(after), { kind: 'sources', listing });
    after = (await store.sourcesPage({ limit: listing.size, ...(after && { after }) })).next;
  } while (after);
  for (const source of await store.listSources()) {
    let cursor: RiverCursor | undefined;
    do {
      const token = cursor && encodeRiverCursor(cursor);
      await writeRoute(sourcePageFile(source.id, token), {
        kind: 'source',
        id: source.id,
        ...(cursor && { before: cursor }),
      });
      cursor = (
        await store.river({ sourceId: source.id, limit: pageSize, ...(cursor && { before: cursor }) })
      ).next;
    } while (cursor);
  }

  for (const [format, path] of Object.entries(FEED_FILES) as [FeedFormat, string][]) {
    await writeRoute(path, { kind: 'feed', format });
  }
  await writeRoute('style.css', { kind: 'style' });
  await write('404.html', rendered.notFound(exportLinks('404.html')).body);
  return result;
}
