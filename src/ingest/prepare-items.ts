/** Parsed items → what the store keeps: HTML sanitized once, here, at ingest (never at display time). */
import { applyRules, type Rule } from '../content/rules.js';
import { sanitizeHtml } from '../content/sanitize.js';
import type { FeedItem } from '../model.js';

export interface PrepareOptions {
  /** Rule sets applied after sanitizing, in order: the global rules, then the source's (see content/rules.ts). */
  rules?: readonly (readonly Rule[])[];
}

/** Sanitizes, then applies the rules. */
export function prepareItems(items: FeedItem[], feedUrl: string, options: PrepareOptions = {}): FeedItem[] {
  const sanitized = sanitizeItems(items, feedUrl);
  return options.rules ? applyRules(sanitized, options.rules, { feedUrl }) : sanitized;
}

/** The items' HTML (content_html) sanitized, relative URLs resolved against each item's link (else the feed's URL). */
function sanitizeItems(items: FeedItem[], feedUrl: string): FeedItem[] {
  return items.map((item) => {
    const baseUrl = item.url ?? feedUrl;
    const out: FeedItem = { ...item };
    // Summaries are text in the model (the parser renders HTML ones), escaped wherever they are shown.
    if (item.content_html) out.content_html = sanitizeHtml(item.content_html, { baseUrl });
    return out;
  });
}
