/** Text for XML 1.0 documents: characters XML forbids are removed, markup characters escaped. */
import { withoutXmlForbidden } from '../xml-chars.js';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Escaped for element content and attribute values alike. */
export function xmlEscape(text: string): string {
  return withoutXmlForbidden(text).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** `<name attr="…">text</name>`, or nothing when the text is absent. */
export function xmlElement(
  name: string,
  text: string | undefined,
  attrs: Record<string, string | undefined> = {},
): string {
  if (text === undefined) return '';
  return `<${name}${xmlAttrs(attrs)}>${xmlEscape(text)}</${name}>`;
}

/** ` a="1" b="2"`, skipping absent values. */
export function xmlAttrs(attrs: Record<string, string | undefined>): string {
  let out = '';
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined) out += ` ${name}="${xmlEscape(value)}"`;
  }
  return out;
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n';
