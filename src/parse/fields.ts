/** Field readers shared by the RSS and Atom mappers. */
import { type MapContext, warn } from './context.js';
import { formatRfc3339, parseDate } from './dates.js';
import { collapseSpace, htmlToPlainLine, looksLikeHtml } from './text.js';
import { textOf, type XmlElement } from './xml.js';

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
