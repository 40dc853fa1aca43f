/** Microsoft CDF (Channel Definition Format, 1997): a `<CHANNEL>` root with `<ITEM HREF>` children. Long dead
 * as a format, but old intranet "channels" still serve it and it costs a dozen lines. */
import type { JsonFeed } from '../model.js';
import { formatRfc3339 } from '../rfc3339.js';
import type { MapContext } from './context.js';
import { parseDate } from './dates.js';
import { plainTitle, summaryText } from './fields.js';
import { hashId } from './text.js';
import { resolveUrl } from './urls.js';
import { child, childrenNamed, innerMarkup, textOf, type XmlElement } from './xml.js';

export function mapCdf(ctx: MapContext, root: XmlElement): JsonFeed {
  const feed: JsonFeed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: plainTitle(textOf(child(root, 'title')) || root.attrs.title || ''),
    items: [],
    _tributary: { format: 'cdf', bozo: false, warnings: ctx.warnings },
  };
  const home = resolveUrl(root.attrs.href, ctx.base);
  if (home) feed.home_page_url = home;
  const abstract = child(root, 'abstract');
  if (abstract) feed.description = innerMarkup(ctx.doc, abstract);
  for (const el of childrenNamed(root, 'item')) {
    const url = resolveUrl(el.attrs.href, ctx.base);
    const title = plainTitle(textOf(child(el, 'title')));
    const lastmod = el.attrs.lastmod ? parseDate(el.attrs.lastmod) : null;
    const summary = child(el, 'abstract');
    feed.items.push({
      id: url ?? hashId(title, el.attrs.lastmod),
      ...(url && { url }),
      ...(title && { title }),
      ...(summary && { summary: summaryText(innerMarkup(ctx.doc, summary)) }),
      ...(lastmod && { date_modified: formatRfc3339(lastmod) }),
    });
  }
  return feed;
}
