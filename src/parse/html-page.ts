/** An HTML page where a feed was expected: read the feeds it advertises (`<link rel="alternate">`). */
import { Parser } from 'htmlparser2';
import type { FeedLink } from './errors.js';
import { joinBase, resolveUrl } from './urls.js';

const FEED_TYPES = new Set([
  'application/rss+xml',
  'application/atom+xml',
  'application/rdf+xml',
  'application/feed+json',
  'application/json',
  'application/x.atom+xml',
  'application/x-atom+xml',
  'text/xml',
  'application/xml',
]);
const MAX_LINKS = 20;

/** Feed links in document order, resolved against `<base href>` and the page URL, http(s) only, unique. */
export function findFeedLinks(html: string, pageUrl?: string): FeedLink[] {
  let base = pageUrl;
  const links: FeedLink[] = [];
  const seen = new Set<string>();
  let done = false;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (done) return;
        if (name === 'base' && attrs.href) base = joinBase(base, attrs.href);
        else if (name === 'link') {
          const rels = (attrs.rel ?? '').toLowerCase().split(/\s+/);
          const type = (attrs.type ?? '').toLowerCase().split(';')[0]!.trim();
          if (!rels.includes('alternate') || !FEED_TYPES.has(type)) return;
          const url = resolveUrl(attrs.href, base);
          if (!url || seen.has(url)) return;
          seen.add(url);
          const link: FeedLink = { url, type };
          if (attrs.title?.trim()) link.title = attrs.title.trim();
          links.push(link);
          if (links.length >= MAX_LINKS) done = true;
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  return links;
}
