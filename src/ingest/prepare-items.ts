/** Parsed items → what the store keeps: HTML sanitized once, here, at ingest (never at display time). */
import { sanitizeHtml } from '../content/sanitize.js';
import type { FeedItem } from '../model.js';

export function prepareItems(items: FeedItem[], feedUrl: string): FeedItem[] {
  return items.map((item) => {
    const baseUrl = item.url ?? feedUrl;
    const out: FeedItem = { ...item };
    if (item.content_html) out.content_html = sanitizeHtml(item.content_html, { baseUrl });
    // Summaries are HTML as often as not (RSS description); sanitize those that carry markup.
    if (item.summary && /[<&]/.test(item.summary)) out.summary = sanitizeHtml(item.summary, { baseUrl });
    return out;
  });
}
