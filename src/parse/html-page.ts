/** One pass over an HTML page for what autodiscovery needs: feed links, `<base>`, canonical URL, channel meta.
 * Used by parseFeed (an HTML page where a feed was expected) and by the fetch stage's `discover`. */
import { Parser } from 'htmlparser2';
import type { FeedLink } from './errors.js';

export interface PageScan {
  /** `<link rel="alternate">` feeds in document order, absolute, http(s) only, de-duplicated. */
  feedLinks: FeedLink[];
  canonical?: string;
  /** `<meta itemprop="channelId" content="…">` (YouTube). */
  metaChannelId?: string;
}

const FEED_TYPES = new Set([
  'application/rss+xml',
  'application/atom+xml',
  'application/rdf+xml',
  'application/feed+json',
  'application/json',
]);
/** WordPress puts `rel="alternate" type="application/json"` on every page for its REST API: not a feed. */
const WORDPRESS_REST = /\/wp-json\//;

/** Resolves `href` against `base`; undefined unless the result is http(s). */
function resolveHttp(href: string | undefined, base: string | undefined): string | undefined {
  if (!href?.trim()) return undefined;
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

export function scanPage(html: string, pageUrl?: string): PageScan {
  const raw: { href: string; type: string; title?: string }[] = [];
  let baseHref: string | undefined;
  let canonicalHref: string | undefined;
  let metaChannelId: string | undefined;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name === 'base' && baseHref === undefined && attrs.href) baseHref = attrs.href;
        else if (name === 'meta' && attrs.itemprop === 'channelId' && attrs.content)
          metaChannelId ??= attrs.content.trim();
        else if (name === 'link' && attrs.href) {
          const rels = (attrs.rel ?? '').toLowerCase().split(/\s+/);
          if (rels.includes('canonical')) canonicalHref ??= attrs.href;
          const type = (attrs.type ?? '').toLowerCase().split(';')[0]!.trim();
          if (rels.includes('alternate') && FEED_TYPES.has(type)) {
            raw.push({
              href: attrs.href,
              type,
              ...(attrs.title?.trim() ? { title: attrs.title.trim() } : {}),
            });
          }
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);

  // <base> applies to the whole document, links before it included; only an http(s) base counts.
  const base = resolveHttp(baseHref, pageUrl) ?? pageUrl;
  const seen = new Set<string>();
  const feedLinks: FeedLink[] = [];
  for (const link of raw) {
    const url = resolveHttp(link.href, base);
    if (!url || seen.has(url) || (link.type === 'application/json' && WORDPRESS_REST.test(url))) continue;
    seen.add(url);
    feedLinks.push({ url, type: link.type, ...(link.title ? { title: link.title } : {}) });
  }
  const canonical = resolveHttp(canonicalHref, base);
  return { feedLinks, ...(canonical ? { canonical } : {}), ...(metaChannelId ? { metaChannelId } : {}) };
}
