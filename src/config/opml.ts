/** OPML 2.0 subscription lists: read (import) and written (export, and the site's /opml.xml blogroll). */
import { FeedError } from '../parse/errors.js';
import { descendants, parseXml } from '../parse/xml.js';
import type { SourceConfig } from './config.js';

/** The feeds an OPML document lists, in document order, de-duplicated. Nested folders are flattened. */
export function readOpml(text: string): SourceConfig[] {
  const doc = parseXml(text);
  if (!doc.root || doc.root.name !== 'opml') {
    throw new FeedError('not-a-feed', `not an OPML document (root element <${doc.root?.name ?? 'none'}>)`);
  }
  const out: SourceConfig[] = [];
  const seen = new Set<string>();
  const outlines = [...descendants(doc.root)].filter((el) => el.name === 'outline');
  // descendants() walks depth-first but not in document order; source offsets restore it.
  outlines.sort((a, b) => a.innerStart - b.innerStart);
  for (const el of outlines) {
    const raw = el.attrs.xmlurl ?? el.attrs.url;
    if (!raw) continue;
    let url: string;
    try {
      url = new URL(raw.trim()).href;
    } catch {
      continue;
    }
    if (!/^https?:/.test(url) || seen.has(url)) continue;
    seen.add(url);
    const name = (el.attrs.title ?? el.attrs.text ?? '').trim();
    out.push(name ? { url, name } : { url });
  }
  return out;
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
// XML 1.0 cannot carry these even escaped.
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
export function escapeXml(s: string): string {
  return s.replace(XML_FORBIDDEN, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

export interface OpmlOutline {
  url: string;
  title: string;
  htmlUrl?: string;
}

export function renderOpml(title: string, outlines: OpmlOutline[], now = new Date()): string {
  const lines = outlines.map((o) => {
    const html = o.htmlUrl ? ` htmlUrl="${escapeXml(o.htmlUrl)}"` : '';
    return `    <outline type="rss" text="${escapeXml(o.title)}" title="${escapeXml(o.title)}" xmlUrl="${escapeXml(o.url)}"${html}/>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head>
    <title>${escapeXml(title)}</title>
    <dateCreated>${now.toUTCString()}</dateCreated>
  </head>
  <body>
${lines.join('\n')}
  </body>
</opml>
`;
}
