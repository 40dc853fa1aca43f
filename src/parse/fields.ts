/** Field readers shared by the RSS and Atom mappers. */
import { htmlToText } from '../content/html-to-text.js';
import type { FeedItem } from '../model.js';
import { formatRfc3339 } from '../rfc3339.js';
import { type MapContext, warn } from './context.js';
import { parseDate } from './dates.js';
import { collapseSpace, htmlToPlainLine, looksLikeHtml } from './text.js';
import { resolveHtmlUrls } from './urls.js';
import {
  decodeAttribute,
  hasElementChildren,
  innerMarkup,
  textOf,
  type XmlDocument,
  type XmlElement,
} from './xml.js';

/** The first date among `elements` that parses, as RFC 3339 UTC. Unreadable dates are reported. */
export function readDate(ctx: MapContext, ...elements: (XmlElement | undefined)[]): string | undefined {
  for (const el of elements) {
    const raw = textOf(el);
    if (!raw) continue;
    const d = parseDate(raw);
    if (d) return formatRfc3339(d);
    warn(ctx, `unreadable date "${raw.slice(0, 60)}"`);
  }
  return undefined;
}

/** A title as plain text: RSS titles are text that often carries entities or tags. */
export function plainTitle(raw: string): string {
  return looksLikeHtml(raw) ? htmlToPlainLine(raw) : collapseSpace(raw);
}

/** The text of a whole element, markup written inside it included (`<guid><span>id-42</span></guid>`). */
export function elementText(doc: XmlDocument, el: XmlElement | undefined): string {
  if (!el) return '';
  return hasElementChildren(el) ? htmlToPlainLine(innerMarkup(doc, el)) : textOf(el);
}

/** An element's text read as a URL (or an id that usually is one): references decoded as in an attribute
 * (see decodeAttribute), from the source as written, since the tree holds text decoded by the rule for text. */
export function urlText(doc: XmlDocument, el: XmlElement | undefined): string {
  if (!el || hasElementChildren(el)) return elementText(doc, el);
  const raw = doc.source.slice(el.innerStart, el.innerEnd);
  // Only a bare `&` can decode differently; CDATA (where `&` is literal) is read as the tree has it.
  if (raw.indexOf('&') === -1 || raw.indexOf('<') !== -1) return textOf(el);
  return decodeAttribute(raw).trim();
}

/** A title element as plain text, whether its markup is escaped (`&lt;b&gt;`) or written (`<b>`). */
export function titleOf(doc: XmlDocument, el: XmlElement | undefined): string {
  return el && !hasElementChildren(el) ? plainTitle(textOf(el)) : elementText(doc, el);
}

/** A text construct as read: HTML or plain text, and the base its relative URLs resolve against. */
export interface BodyText {
  html: boolean;
  value: string;
  base?: string | undefined;
}

/** An HTML summary as the plain text the model's `summary` is (JSON Feed: "a plain text sentence or two"),
 * rendered as the digest renders posts. */
export function summaryText(html: string): string {
  return looksLikeHtml(html) ? htmlToText(html) : html.trim();
}

/**
 * An item's content and summary → its body fields. HTML content is `content_html`, text content
 * `content_text`; an HTML summary with no content is the post's body (most RSS descriptions, xkcd's Atom
 * summaries), else it is the summary, as text; `fallbackSummary` (media:description) when nothing else is there.
 */
export function setBody(
  item: FeedItem,
  content: BodyText | undefined,
  summary: BodyText | undefined,
  fallbackSummary?: string,
): void {
  if (content?.value) {
    if (content.html) item.content_html = resolveHtmlUrls(content.value, content.base);
    else item.content_text = content.value;
  }
  if (summary?.value) {
    if (summary.html && !item.content_html && !item.content_text)
      item.content_html = resolveHtmlUrls(summary.value, summary.base);
    else item.summary = summary.html ? summaryText(summary.value) : summary.value;
  }
  if (!item.content_html && !item.content_text && !item.summary && fallbackSummary)
    item.summary = fallbackSummary;
}
