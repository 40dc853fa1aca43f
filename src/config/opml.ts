/** OPML subscription lists, read for `tributary import` (writing them is the publish stage's renderOpml). */
import { FeedError } from '../parse/errors.js';
import { descendants, parseXml } from '../parse/xml.js';
import type { SourceConfig } from './config.js';

/** The feeds an OPML document lists, in document order, de-duplicated. Nested folders are flattened. */
export function readOpml(text: string): SourceConfig[] {
  const doc = parseXml(text);
  if (doc.root?.name !== 'opml') {
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
