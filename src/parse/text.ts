/** Small text helpers shared by the format mappers. */
import { createHash } from 'node:crypto';
import { decodeHTML } from 'entities';

const COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
// Elements whose content is never shown as text.
const INVISIBLE = /<(script|style|noscript|template)\b[\s\S]*?(?:<\/\1\s*>|$)/gi;
// A tag, stepping over quoted attribute values that may hold '>'.
const TAG = /<(?:[^>"']|"[^"]*"|'[^']*')*>/g;
// Tags that break a line in a browser; inline tags (`<em>Breaking</em>: news`) join their text without a space.
const LINE_BREAKING_TAG =
  /^<\/?(?:br|p|div|li|dt|dd|h[1-6]|hr|tr|td|th|table|ul|ol|dl|blockquote|pre|section|article|header|footer)\b/i;
// ASCII whitespace only: a no-break or thin space in a title is deliberate.
const WS_RUN = /[ \t\r\n\f]+/g;

/** An HTML fragment as one line of plain text: tags removed (a space for those that break a line), entities
 * decoded, whitespace collapsed. For titles and names, where markup has no place. */
export function htmlToPlainLine(html: string): string {
  let s = html;
  if (s.indexOf('<') !== -1)
    s = s
      .replace(COMMENT, '')
      .replace(INVISIBLE, ' ')
      .replace(TAG, (tag) => (LINE_BREAKING_TAG.test(tag) ? ' ' : ''));
  if (s.indexOf('&') !== -1) s = decodeHTML(s);
  return s.replace(WS_RUN, ' ').trim();
}

/** Collapses whitespace in text that is already plain. */
export function collapseSpace(text: string): string {
  // Most names and tags are already clean: skip the replace (and its allocation) then.
  if (!NEEDS_COLLAPSE.test(text)) return text;
  return text.replace(WS_RUN, ' ').trim();
}
const NEEDS_COLLAPSE = /[\t\r\n\f]| {2}|^ | $/;

const LOOKS_LIKE_MARKUP = /<\/?[a-z][a-z0-9]*[\s/>]|&(?:[a-z]+|#\d+|#x[0-9a-f]+);/i;
/** True when a string from a text-only field carries markup (RSS titles often do). */
export function looksLikeHtml(s: string): boolean {
  return LOOKS_LIKE_MARKUP.test(s);
}

/** A stable id for an item that has neither guid nor link. */
export function hashId(...parts: (string | undefined)[]): string {
  const h = createHash('sha1');
  for (const p of parts) h.update(p ?? '').update('\u0000');
  return `urn:sha1:${h.digest('hex')}`;
}
