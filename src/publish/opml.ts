/** `/opml.xml`: the blogroll, every source still followed (gone and retired ones left out), as OPML 2.0;
 * a feed that moved is listed where it lives now. */
import { pollUrl, type Source } from '../store/index.js';
import { publicUrl } from '../url-display.js';
import { sourceName } from './attribution.js';
import type { SiteInfo } from './site.js';
import { httpUrl } from './urls.js';
import { XML_DECLARATION, xmlAttrs, xmlElement } from './xml.js';

export interface OpmlOutline {
  title: string;
  xmlUrl: string;
  htmlUrl?: string;
  /** `/`-paths: the first is the folder the outline is written in, the others its `category` attribute. */
  categories?: readonly string[];
  /** The config's `face:` and `person:`, as plain attributes of those names (OPML 2.0 lets an outline carry
   * any), so a planet's people survive export and import; its `homepage:` is the `htmlUrl`. */
  face?: string;
  person?: string;
}

/** `modified`: when the list of sources last changed. */
export function renderOpml(site: SiteInfo, sources: readonly Source[], modified: Date): string {
  const outlines = sources
    .filter((s) => s.status !== 'gone' && s.retiredAt === undefined)
    .map((s) => sourceOutline(s, publicUrl(pollUrl(s))));
  return renderOpmlOutlines(site.title, outlines, modified);
}

/** A source as an outline: the name the site shows for it, its site (the configured home page, else the
 * feed's), `xmlUrl` (default: its URL), its categories, face and person. */
export function sourceOutline(
  source: Pick<Source, 'url' | 'name' | 'title' | 'homePageUrl'> & Partial<Pick<Source, 'options'>>,
  xmlUrl = source.url,
): OpmlOutline {
  const { categories, face, person, homepage } = source.options ?? {};
  return {
    title: sourceName(source),
    xmlUrl,
    htmlUrl: httpUrl(homepage) ?? httpUrl(source.homePageUrl),
    ...(categories?.length && { categories }),
    ...(face && { face }),
    ...(person && { person }),
  };
}

/** A folder of the blogroll: its outlines and sub-folders, in the order they first appear. */
interface Folder {
  name: string;
  items: (Folder | OpmlOutline)[];
  folders: Map<string, Folder>;
}

/** Any list of feeds as OPML 2.0 (also `tributary export`, which lists the config file's sources), each in
 * the folder its first category names, so that importing it again gives the same categories. */
export function renderOpmlOutlines(title: string, outlines: readonly OpmlOutline[], modified: Date): string {
  const root: Folder = { name: '', items: [], folders: new Map() };
  for (const outline of outlines) {
    let folder = root;
    for (const name of outline.categories?.[0]?.split('/') ?? []) {
      let sub = folder.folders.get(name);
      if (!sub) {
        sub = { name, items: [], folders: new Map() };
        folder.folders.set(name, sub);
        folder.items.push(sub);
      }
      folder = sub;
    }
    folder.items.push(outline);
  }
  const lines: string[] = [];
  const write = (item: Folder | OpmlOutline) => {
    if ('items' in item) {
      lines.push(`<outline${xmlAttrs({ text: item.name, title: item.name })}>\n`);
      item.items.forEach(write);
      lines.push('</outline>\n');
      return;
    }
    const { title, xmlUrl, htmlUrl, categories = [], face, person } = item;
    const category =
      categories.length > 1
        ? categories
            .slice(1)
            .map((c) => `/${c}`)
            .join(',')
        : undefined;
    const attrs = { type: 'rss', text: title, title, xmlUrl, htmlUrl, category, face, person };
    lines.push(`<outline${xmlAttrs(attrs)}/>\n`);
  };
  root.items.forEach(write);
  return [
    XML_DECLARATION,
    '<opml version="2.0">\n<head>',
    xmlElement('title', title),
    xmlElement('dateModified', modified.toUTCString()),
    xmlElement('docs', 'http://opml.org/spec2.opml'),
    '</head>\n<body>\n',
    ...lines,
    '</body>\n</opml>\n',
  ].join('');
}
