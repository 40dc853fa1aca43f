/** `/atom.xml`: the river as Atom 1.0 (RFC 4287), each entry with a `<source>` naming the feed it came from. */
import { formatRfc3339 } from '../rfc3339.js';
import { type FeedEntry, type FeedInput, feedChannel, feedEntry, feedUpdated } from './feed-entry.js';
import { XML_DECLARATION, xmlAttrs, xmlElement } from './xml.js';

export function renderAtom(input: FeedInput): string {
  const { title, description, home, self, id, hub } = feedChannel(input, 'atom.xml');
  const parts = [
    XML_DECLARATION,
    '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:yt="http://www.youtube.com/xml/schemas/2015">\n',
    xmlElement('id', id),
    xmlElement('title', title, { type: 'text' }),
    xmlElement('subtitle', description, { type: 'text' }),
    xmlElement('updated', formatRfc3339(feedUpdated(input))),
    self ? `<link${xmlAttrs({ rel: 'self', type: 'application/atom+xml', href: self })}/>` : '',
    home ? `<link${xmlAttrs({ rel: 'alternate', type: 'text/html', href: home })}/>` : '',
    hub ? `<link${xmlAttrs({ rel: 'hub', href: hub })}/>` : '',
    '<generator>Tributary</generator>\n',
  ];
  for (const entry of input.entries) parts.push(atomEntry(feedEntry(entry, input.sources)));
  parts.push('</feed>\n');
  return parts.join('');
}

function atomEntry(e: FeedEntry): string {
  const { item } = e;
  const parts = [
    '<entry>',
    xmlElement('id', item.id),
    xmlElement('title', item.title ?? '', { type: 'text' }),
    e.url ? `<link${xmlAttrs({ rel: 'alternate', type: 'text/html', href: e.url })}/>` : '',
    xmlElement('published', e.published),
    xmlElement('updated', e.updated),
  ];
  for (const author of e.authors) {
    parts.push(`<author>${xmlElement('name', author.name)}${xmlElement('uri', author.url)}</author>`);
  }
  for (const tag of item.tags ?? []) parts.push(`<category${xmlAttrs({ term: tag })}/>`);
  for (const a of item.attachments ?? []) {
    parts.push(
      `<link${xmlAttrs({
        rel: 'enclosure',
        href: a.url,
        type: a.mime_type,
        length: a.size_in_bytes?.toString(),
        title: a.title,
      })}/>`,
    );
  }
  if (item._youtube_id) parts.push(xmlElement('yt:videoId', item._youtube_id));
  parts.push(xmlElement('summary', item.summary, { type: 'text' }));
  parts.push(xmlElement('content', e.contentHtml || undefined, { type: 'html' }));
  const { origin } = e;
  parts.push(
    '<source>',
    xmlElement('id', origin.feedUrl),
    xmlElement('title', origin.title, { type: 'text' }),
    `<link${xmlAttrs({ rel: 'self', href: origin.feedUrl })}/>`,
    origin.homePageUrl
      ? `<link${xmlAttrs({ rel: 'alternate', type: 'text/html', href: origin.homePageUrl })}/>`
      : '',
    '</source>',
    '</entry>\n',
  );
  return parts.join('');
}
