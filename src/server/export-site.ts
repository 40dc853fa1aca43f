/**
 * Static export: the same pages and feeds as the live server, written as files that any static file
 * server (or a browser from disk) serves. Links point at the exported files, relative to each page, and
 * images the live site would proxy at copies in the export (export-images.ts).
 * Files are written, never deleted: export into an empty folder to drop pages of an older export.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SiteInfo } from '../publish/index.js';
import { encodeRiverCursor, type RiverCursor, type Store } from '../store/index.js';
import { type ExportImageOptions, ExportImages } from './export-images.js';
import { entryFile, exportLinks, type Links, riverPageFile, sourcePageFile } from './links.js';
import type { FeedFormat, Route } from './routes.js';
import { createSite, type SiteOptions } from './site.js';

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
  const linksFor = (path: string): Links =>
    images ? { ...exportLinks(path), image: images.mapFor(path) } : exportLinks(path);

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
    write(path, (await rendered.render(route, linksFor(path))).body);

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

  await writeRoute('sources/index.html', { kind: 'sources' });
  for (const source of await store.listSources()) {
    let cursor: RiverCursor | undefined;
    do {
      const token = cursor && encodeRiverCursor(cursor);
      const page = await store.river({
        sourceId: source.id,
        limit: pageSize,
        ...(cursor && { before: cursor }),
      });
      if (images) await images.copyFor(page.entries);
      await writeRoute(sourcePageFile(source.id, token), {
        kind: 'source',
        id: source.id,
        ...(cursor && { before: cursor }),
      });
      cursor = page.next;
    } while (cursor);
  }

  for (const [format, path] of Object.entries(FEED_FILES) as [FeedFormat, string][]) {
    await writeRoute(path, { kind: 'feed', format });
  }
  await writeRoute('style.css', { kind: 'style' });
  await write('404.html', rendered.notFound(exportLinks('404.html')).body);
  if (images) {
    result.images = images.copied;
    result.files += images.copied;
    result.imagesNotCopied = images.notCopied;
  }
  return result;
}
