/** `/rss.xml`: the river as RSS 2.0, each item with `<source url>` naming the feed it came from. */
import {
  type FeedEntry,
  type FeedInput,
  feedChannel,
  feedEntry,
  feedUpdated,
  guessProofTitle,
} from './feed-entry.js';
import { XML_DECLARATION, xmlAttrs, xmlElement } from './xml.js';

export function renderRss(input: FeedInput): string {
  const { title, description, home, self, hub } = feedChannel(input, 'rss.xml');
  const parts = [
    XML_DECLARATION,
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel>\n',
    xmlElement('title', title),
    xmlElement('link', home),
    xmlElement('description', description ?? title),
    self ? `<atom:link${xmlAttrs({ rel: 'self', type: 'application/rss+xml', href: self })}/>` : '',
    hub ? `<atom:link${xmlAttrs({ rel: 'hub', href: hub })}/>` : '',
    xmlElement('lastBuildDate', feedUpdated(input).toUTCString()),
    '<generator>Tributary</generator>\n',
  ];
  for (const entry of input.entries) parts.push(rssItem(feedEntry(entry, input.sources)));
  parts.push('</channel>\n</rss>\n');
  return parts.join('');
}

function rssItem(e: FeedEntry): string {
  const { item } = e;
  // A guid is a permalink only when it is the post's own link; other ids (tag: URIs, numbers) are opaque.
  const isPermaLink = item.id === e.url ? 'true' : 'false';
  const parts = [
    '<item>',
    xmlElement('title', guessProofTitle(item.title)),
    xmlElement('link', e.url),
    xmlElement('guid', item.id, { isPermaLink }),
    xmlElement('pubDate', new Date(e.published).toUTCString()),
  ];
  // RSS <author> must be an email address; dc:creator carries a name.
  for (const author of e.authors) parts.push(xmlElement('dc:creator', author.name));
  for (const tag of item.tags ?? []) parts.push(xmlElement('category', tag));
  // RSS has one body field, and it is HTML: a text summary reaches it through bodyHtml, escaped.
  parts.push(xmlElement('description', e.contentHtml));
  // RSS 2.0 allows one enclosure per item.
  const enclosure = item.attachments?.[0];
  if (enclosure) {
    parts.push(
      `<enclosure${xmlAttrs({
        url: enclosure.url,
        length: String(enclosure.size_in_bytes ?? 0),
        type: enclosure.mime_type ?? 'application/octet-stream',
      })}/>`,
    );
  }
  parts.push(xmlElement('source', e.origin.title, { url: e.origin.feedUrl }), '</item>\n');
  return parts.join('');
}
