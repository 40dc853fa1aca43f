/** OPML subscription lists, read for `tributary import` (writing them is the publish stage's renderOpml). */
import { FeedError } from '../parse/errors.js';
import { child, parseXml, type XmlElement } from '../parse/xml.js';
import { categoryPath } from './categories.js';
import type { SourceConfig } from './config.js';
import { face } from './schema.js';

export interface OpmlImport {
  /** The feeds listed, in document order, de-duplicated; each folder path and `category` attribute (OPML
   * 2.0: comma-separated `/`-paths) becomes one of its categories, the folder's first. */
  sources: SourceConfig[];
  /** What was passed over and why, for the user (outlines that are not feeds). */
  notes: string[];
}

/** Outline types that are not feeds: subscribing to them would poll a web page. */
const NOT_FEEDS: Record<string, string> = {
  link: 'a link to a page',
  include: 'another outline document to include',
};

export function readOpml(text: string): OpmlImport {
  const doc = parseXml(text);
  if (doc.root?.name !== 'opml') {
    throw new FeedError('not-a-feed', `not an OPML document (root element <${doc.root?.name ?? 'none'}>)`);
  }
  const sources: SourceConfig[] = [];
  const notes: string[] = [];
  const seen = new Set<string>();
  // Depth-first in document order, iteratively (a deep document cannot overflow the stack); each outline
  // with the path of the folders it is in.
  const todo = outlinesIn(child(doc.root, 'body') ?? doc.root, '');
  for (let next = todo.pop(); next; next = todo.pop()) {
    const { el, folder } = next;
    const name = (el.attrs.title ?? el.attrs.text ?? '').trim();
    const type = el.attrs.type?.trim().toLowerCase() ?? '';
    const notFeed = NOT_FEEDS[type];
    if (notFeed) {
      notes.push(
        `skipped "${name}" (${el.attrs.url ?? el.attrs.xmlurl ?? 'no URL'}): an outline of type="${type}" is ${notFeed}, not a feed`,
      );
      continue;
    }
    const url = feedUrl(el.attrs.xmlurl ?? el.attrs.url);
    // An outline without a feed is a folder: its name is the next segment of its outlines' category.
    todo.push(...outlinesIn(el, url ? folder : categoryPath(`${folder}/${name}`)));
    if (!url || seen.has(url)) continue;
    seen.add(url);
    const categories = [
      ...new Set([folder, ...(el.attrs.category ?? '').split(',').map(categoryPath)]),
    ].filter(Boolean);
    sources.push({
      url,
      ...(name && { name }),
      ...(categories.length > 0 && { categories }),
      ...personOf(el, notes, name || url),
    });
  }
  return { sources, notes };
}

/**
 * The `face` and `person` attributes of an outline (as renderOpml writes them, and as a planet's own keys
 * are named), checked as the config checks them: a bad face is left out with a note. An outline naming a
 * person is a person's feed: its `htmlUrl` is their home page (`homepage`); without one, the home page stays
 * the feed's to say.
 */
function personOf(el: XmlElement, notes: string[], named: string): Partial<SourceConfig> {
  const out: Partial<SourceConfig> = {};
  const { face: rawFace, person, htmlurl } = el.attrs;
  if (rawFace?.trim()) {
    try {
      out.face = face(rawFace, 'face') as string;
    } catch (e) {
      notes.push(`left out the face of "${named}": ${(e as Error).message}`);
    }
  }
  if (person?.trim()) {
    out.person = person.trim();
    const homepage = feedUrl(htmlurl);
    if (homepage) out.homepage = homepage;
  }
  return out;
}

/** The outlines directly in `el`, last first (to be popped in document order). */
function outlinesIn(el: XmlElement, folder: string): { el: XmlElement; folder: string }[] {
  const out: { el: XmlElement; folder: string }[] = [];
  for (const c of el.children) if (typeof c !== 'string' && c.name === 'outline') out.push({ el: c, folder });
  return out.reverse();
}

/** An http(s) URL (a feed's, a home page's), normalised; undefined for anything else. */
function feedUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  try {
    const url = new URL(raw.trim()).href;
    return /^https?:/.test(url) ? url : undefined;
  } catch {
    return undefined;
  }
}
