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
}

/** `modified`: when the list of sources last changed. */
export function renderOpml(site: SiteInfo, sources: readonly Source[], modified: Date): string {
  const outlines = sources
    .filter((s) => s.status !== 'gone' && s.retiredAt === undefined)
    .map((s) => sourceOutline(s, publicUrl(pollUrl(s))));
  return renderOpmlOutlines(site.title, outlines, modified);
}

/** A source as an outline: the name the site shows for it, its site, and `xmlUrl` (default: its URL). */
export function sourceOutline(
  source: Pick<Source, 'url' | 'name' | 'title' | 'homePageUrl'>,
  xmlUrl = source.url,
): OpmlOutline {
  return { title: sourceName(source), xmlUrl, htmlUrl: httpUrl(source.homePageUrl) };
}

/** Any list of feeds as OPML 2.0 (also `tributary export`, which lists the config file's sources). */
export function renderOpmlOutlines(title: string, outlines: readonly OpmlOutline[], modified: Date): string {
  const lines = outlines.map(({ title, xmlUrl, htmlUrl }) => {
    return `<outline${xmlAttrs({ type: 'rss', text: title, title, xmlUrl, htmlUrl })}/>\n`;
  });
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
