/** parseFeed: bytes (or text) of any feed format → the JSON Feed 1.1 model. */
import { sanitizeHtml } from '../content/sanitize.js';
import type { JsonFeed, ParseOptions } from '../model.js';
import { mapAtom } from './atom.js';
import { mapCdf } from './cdf.js';
import type { MapContext } from './context.js';
import { decodeFeedBytes } from './encoding.js';
import { FeedError } from './errors.js';
import { scanPage } from './html-page.js';
import { mapJsonFeed } from './jsonfeed.js';
import { mapRss, rssFormat } from './rss.js';
import { resolveUrl } from './urls.js';
import type { Utf8View } from './utf8-view.js';
import { descendants, parseXml, type XmlElement } from './xml.js';

export { FeedError } from './errors.js';

/** Reads a feed. Throws `FeedError` when the input is not a feed (for an HTML page, with the feeds it links). */
export function parseFeed(input: Uint8Array | string, options: ParseOptions = {}): JsonFeed {
  const warnings: string[] = [];
  let bozo = false;
  // The document: its text, or a view of its UTF-8 bytes that the XML reader decodes piece by piece.
  let source: string | Utf8View;
  let encoding: string | undefined;
  const contentType = options.contentType ?? header(options.headers, 'content-type');
  if (typeof input === 'string') {
    source = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  } else {
    if (input.length >= 2 && input[0] === 0x1f && input[1] === 0x8b) {
      throw new FeedError('binary', 'gzip-compressed bytes, not a feed (the response was not decompressed)');
    }
    const decoded = decodeFeedBytes(input, contentType);
    source = decoded.view ?? decoded.text;
    encoding = decoded.encoding;
    bozo = decoded.bozo;
    warnings.push(...decoded.warnings);
  }

  // What is looked for in the view (whitespace, `{`, `<`) is ASCII, which reads as itself.
  const view = typeof source === 'string' ? source : source.latin1;
  const text = () => (typeof source === 'string' ? source : source.text());
  const start = firstSignificant(view);
  if (start === -1) throw new FeedError('empty', 'the document is empty');
  // Content-Location names the document's own URL when the server says it differs from the request.
  const contentLocation = header(options.headers, 'content-location');
  const base = (contentLocation && resolveUrl(contentLocation, options.url)) || options.url;

  let feed: JsonFeed;
  const first = view.charCodeAt(start);
  if (first === 0x7b /* { */ || first === 0x5b /* [ */) {
    let data: unknown;
    try {
      data = JSON.parse(text().slice(start));
    } catch (e) {
      throw new FeedError('malformed', `invalid JSON: ${(e as Error).message}`);
    }
    feed = mapJsonFeed(data, base, contentType, warnings);
  } else {
    const doc = parseXml(source);
    if (!doc.root) throw new FeedError('malformed', 'no XML document element found');
    if (doc.problems.length > 0) {
      bozo = true;
      warnings.push(...doc.problems);
    }
    const ctx: MapContext = { doc, base, warnings };
    let root = doc.root;
    if (!isFeedRoot(root.name) && isHtmlRoot(root.name)) {
      // Some servers wrap a feed in an HTML page (a CMS template around the feed output): read the feed inside.
      const inner = findFeedElement(root);
      if (inner) {
        warnings.push(`feed wrapped in an HTML page (<${inner.name}> inside <${root.name}>)`);
        bozo = true;
        root = inner;
      }
    }
    const name = root.name;
    if (name === 'rss' || name === 'rdf:rdf') feed = mapRss(ctx, root, rssFormat(root));
    else if (name === 'atom:feed' || name === 'feed') feed = mapAtom(ctx, root);
    else if (name === 'channel' && !hasNamespace(root)) feed = mapCdf(ctx, root);
    else if (isHtmlRoot(name) || doc.htmlDoctype) {
      const links = scanPage(text(), base).feedLinks;
      throw new FeedError(
        'html-page',
        links.length > 0
          ? `an HTML page, not a feed; it links ${links.length} feed(s): ${links.map((l) => l.url).join(', ')}`
          : 'an HTML page, not a feed, and it links no feed',
        links,
      );
    } else {
      throw new FeedError('not-a-feed', `an XML document of another kind (root element <${name}>)`);
    }
  }
  // Item HTML is sanitized once per stored entry at ingest; the feed's own description has no such later
  // step (source pages, OPML, library users show it as is), so it leaves the parser already safe.
  if (feed.description && /[<&]/.test(feed.description))
    feed.description = sanitizeHtml(feed.description, { baseUrl: base });
  // JSON Feed 1.1: items without authors are by the feed's authors. Applied here, once for every format, so
  // the river, the merged feeds, the digest and `tributary parse` all credit the same person.
  const feedAuthors = feed.authors;
  if (feedAuthors) for (const item of feed.items) item.authors ??= feedAuthors.map((a) => ({ ...a }));
  if (feed._tributary.warnings.some((w) => w.startsWith('unreadable date'))) bozo = true;
  feed._tributary.bozo = bozo || feed._tributary.bozo;
  if (encoding) feed._tributary.encoding = encoding;
  return feed;
}

function firstSignificant(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9 && c !== 0xfeff) return i;
  }
  return -1;
}

function hasNamespace(el: { attrs: Record<string, string> }): boolean {
  return Object.keys(el.attrs).some((k) => k === 'xmlns' || k.startsWith('xmlns:'));
}

/** A header by name, whatever the case the caller wrote the names in. */
function header(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (headers[name] !== undefined) return headers[name];
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

const isFeedRoot = (name: string) =>
  name === 'rss' || name === 'rdf:rdf' || name === 'atom:feed' || name === 'feed';
const isHtmlRoot = (name: string) => name === 'html' || name === 'xhtml:html';

function findFeedElement(root: XmlElement): XmlElement | undefined {
  for (const el of descendants(root)) if (isFeedRoot(el.name)) return el;
  return undefined;
}
