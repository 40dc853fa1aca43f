/** `/opml.xml`: the blogroll, every source still published (gone feeds left out), as OPML 2.0. */
import type { Source } from '../store/index.js';
import { sourceName } from './attribution.js';
import type { SiteInfo } from './site.js';
import { httpUrl } from './urls.js';
import { XML_DECLARATION, xmlAttrs, xmlElement } from './xml.js';

/** `modified`: when the list of sources last changed. */
export function renderOpml(site: SiteInfo, sources: readonly Source[], modified: Date): string {
  const outlines = sources
    .filter((s) => s.status !== 'gone')
    .map((s) => {
      const name = sourceName(s);
      const attrs = { type: 'rss', text: name, title: name, xmlUrl: s.url, htmlUrl: httpUrl(s.homePageUrl) };
      return `<outline${xmlAttrs(attrs)}/>\n`;
    });
  return [
    XML_DECLARATION,
    '<opml version="2.0">\n<head>',
    xmlElement('title', site.title),
    xmlElement('dateModified', modified.toUTCString()),
    xmlElement('docs', 'http://opml.org/spec2.opml'),
    '</head>\n<body>\n',
    ...outlines,
    '</body>\n</opml>\n',
  ].join('');
}
