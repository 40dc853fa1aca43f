/** Atom 1.0 (RFC 4287) and Atom 0.3 → the model. */
import type { Attachment, Author, FeedItem, JsonFeed } from '../model.js';
import { withoutXmlForbidden } from '../xml-chars.js';
import { type MapContext, warn } from './context.js';
import { type BodyText, readDate, setBody, urlText } from './fields.js';
import { readItemMedia } from './media.js';
import { uniqueAuthors } from './people.js';
import { collapseSpace, hashId, htmlToPlainLine } from './text.js';
import { joinBase, resolveHtmlUrls, resolveReference, resolveRelativeId, resolveUrl } from './urls.js';
import {
  child,
  childrenNamed,
  hasElementChildren,
  innerMarkup,
  textOf,
  type XmlDocument,
  type XmlElement,
} from './xml.js';

const XHTML_XMLNS = /\s+xmlns=["']http:\/\/www\.w3\.org\/1999\/xhtml["']/g;

export function mapAtom(ctx: MapContext, root: XmlElement): JsonFeed {
  // Atom without its namespace declaration still happens; read bare names then.
  const a = root.name === 'atom:feed' ? 'atom:' : '';
  const is03 =
    (root.attrs.version ?? '').trim() === '0.3' ||
    Object.values(root.attrs).includes('http://purl.org/atom/ns#');
  const base = joinBase(ctx.base, root.attrs['xml:base']);
  const feed: JsonFeed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: plainText(readText(ctx, child(root, `${a}title`))),
    items: [],
    _tributary: { format: is03 ? 'atom03' : 'atom10', bozo: false, warnings: ctx.warnings },
  };
  const links = readLinks(ctx.doc, root, a, base);
  if (links.alternate) feed.home_page_url = links.alternate;
  if (links.self) feed.feed_url = links.self;
  if (links.next) feed.next_url = links.next;
  if (links.hubs.length > 0) feed.hubs = links.hubs.map((url) => ({ type: 'WebSub', url }));

  const subtitle = readText(ctx, child(root, `${a}subtitle`) ?? child(root, `${a}tagline`));
  if (subtitle?.value)
    feed.description = subtitle.html ? resolveHtmlUrls(subtitle.value, base) : subtitle.value;
  const icon = resolveUrl(
    urlText(ctx.doc, child(root, `${a}icon`)) || urlText(ctx.doc, child(root, `${a}logo`)),
    base,
  );
  if (icon) feed.icon = icon;
  const lang = root.attrs['xml:lang'];
  if (lang) feed.language = lang;
  const authors = readAuthors(ctx.doc, root, a, base);
  if (authors) feed.authors = authors;

  for (const entry of childrenNamed(root, `${a}entry`)) feed.items.push(mapEntry(ctx, entry, a, base));
  return feed;
}

function mapEntry(ctx: MapContext, el: XmlElement, a: string, feedBase: string | undefined): FeedItem {
  const base = joinBase(feedBase, el.attrs['xml:base']);
  const links = readLinks(ctx.doc, el, a, base);
  const media = readItemMedia(el, base, links.enclosures);
  const item: FeedItem = { id: '' };

  const title = plainText(readText(ctx, child(el, `${a}title`))) || media.title;
  if (title) item.title = title;
  if (links.alternate) item.url = links.alternate;
  if (links.related && links.related !== links.alternate) item.external_url = links.related;

  const contentEl = child(el, `${a}content`);
  const content = readBodyText(ctx, contentEl, base);
  setBody(item, content, readBodyText(ctx, child(el, `${a}summary`), base), media.description);
  if (!content?.value && contentEl?.attrs.src && !item.url) {
    // Out-of-line content: the document lives elsewhere.
    const src = resolveUrl(contentEl.attrs.src, content?.base);
    if (src) item.url = src;
  }

  const published = readDate(
    ctx,
    child(el, `${a}published`),
    child(el, `${a}issued`),
    child(el, `${a}created`),
    child(el, 'dc:date'),
  );
  if (published) item.date_published = published;
  const modified = readDate(ctx, child(el, `${a}updated`), child(el, `${a}modified`));
  if (modified) item.date_modified = modified;

  const authors = readAuthors(ctx.doc, el, a, base);
  if (authors) item.authors = authors;
  const tags = new Set(atomCategories(el, a));
  for (const c of childrenNamed(el, 'dc:subject')) {
    const t = collapseSpace(textOf(c));
    if (t) tags.add(t);
  }
  if (tags.size > 0) item.tags = [...tags];
  if (media.attachments) item.attachments = media.attachments;
  if (media.image) item.image = media.image;
  if (media.youtubeId) item._youtube_id = media.youtubeId;

  const source = child(el, `${a}source`);
  if (source) {
    const srcLinks = readLinks(ctx.doc, source, a, base);
    const srcTitle = plainText(readText(ctx, child(source, `${a}title`)));
    item._source = {
      ...(srcTitle && { title: srcTitle }),
      ...(srcLinks.alternate && { url: srcLinks.alternate }),
      ...(srcLinks.self && { feed_url: srcLinks.self }),
    };
  }

  const id = resolveRelativeId(collapseSpace(urlText(ctx.doc, child(el, `${a}id`))), base);
  if (!id) warn(ctx, 'entry without <id>');
  item.id =
    id || item.url || hashId(item.title, item.date_published ?? item.date_modified, item.content_html);
  return item;
}

/** `<category term>` (else its label or text), each once. */
export function atomCategories(el: XmlElement, a: string): string[] {
  const tags = new Set<string>();
  for (const c of childrenNamed(el, `${a}category`)) {
    const t = collapseSpace(c.attrs.term || c.attrs.label || textOf(c));
    if (t) tags.add(t);
  }
  return [...tags];
}

interface AtomLinks {
  alternate?: string;
  self?: string;
  next?: string;
  related?: string;
  hubs: string[];
  enclosures: Attachment[];
}

function readLinks(doc: XmlDocument, el: XmlElement, a: string, base: string | undefined): AtomLinks {
  const out: AtomLinks = { hubs: [], enclosures: [] };
  let alternateIsHtml = false;
  for (const link of el.children) {
    if (typeof link === 'string' || (link.name !== `${a}link` && link.name !== 'atom:link')) continue;
    const href = resolveReference(
      link.attrs.href ?? link.attrs.url ?? urlText(doc, link),
      joinBase(base, link.attrs['xml:base']),
    );
    if (!href) continue;
    const rel = (link.attrs.rel ?? 'alternate').trim().toLowerCase();
    const type = link.attrs.type?.trim().toLowerCase();
    if (rel === 'alternate') {
      // Prefer the HTML alternate when an entry lists several (e.g. html and a JSON representation).
      const isHtml = !type || type === 'text/html' || type === 'application/xhtml+xml';
      if (!out.alternate || (isHtml && !alternateIsHtml)) {
        out.alternate = href;
        alternateIsHtml = isHtml;
      }
    } else if (rel === 'self') out.self ??= href;
    else if (rel === 'next') out.next ??= href;
    else if (rel === 'related') out.related ??= href;
    else if (rel === 'hub') out.hubs.push(href);
    else if (rel === 'enclosure') {
      const att: Attachment = { url: href };
      if (type) att.mime_type = type;
      const size = Number(link.attrs.length);
      if (Number.isFinite(size) && size > 0) att.size_in_bytes = Math.floor(size);
      if (link.attrs.title) att.title = link.attrs.title;
      out.enclosures.push(att);
    }
  }
  return out;
}

export function readAuthors(
  doc: XmlDocument,
  el: XmlElement,
  a: string,
  base: string | undefined,
): Author[] | undefined {
  const people: (Author | undefined)[] = [];
  for (const p of childrenNamed(el, `${a}author`)) {
    const name = collapseSpace(textOf(child(p, `${a}name`)));
    const uri = child(p, `${a}uri`) ?? child(p, `${a}url`) ?? child(p, `${a}homepage`);
    const url = resolveUrl(
      urlText(doc, uri),
      joinBase(joinBase(base, p.attrs['xml:base']), uri?.attrs['xml:base']),
    );
    const email = collapseSpace(textOf(child(p, `${a}email`)));
    const author: Author = {};
    if (name) author.name = name;
    else if (email) author.name = email;
    else if (!hasElementChildren(p) && textOf(p)) author.name = collapseSpace(textOf(p));
    if (url) author.url = url;
    if (email) author._email = email;
    people.push(author);
  }
  for (const c of childrenNamed(el, 'dc:creator')) {
    const name = collapseSpace(textOf(c));
    if (name) people.push({ name });
  }
  return uniqueAuthors(people);
}

/** A content or summary element as read, with the base its own xml:base makes for its relative URLs. */
export function readBodyText(
  ctx: MapContext,
  el: XmlElement | undefined,
  base: string | undefined,
): BodyText | undefined {
  const text = readText(ctx, el);
  return text && { ...text, base: joinBase(base, el?.attrs['xml:base']) };
}

/** Reads a text construct: Atom 1.0 `type` text/html/xhtml or a MIME type (base64 unless textual or XML),
 * Atom 0.3 `mode` escaped/xml/base64. Base64 is decoded only when it is base64 of UTF-8 text: producers put
 * MIME types on plain text too (`<title type="application/x-custom">Hello</title>`, JSON content). */
function readText(ctx: MapContext, el: XmlElement | undefined): BodyText | undefined {
  if (!el) return undefined;
  const type = (el.attrs.type ?? 'text').trim().toLowerCase();
  const mode = el.attrs.mode?.trim().toLowerCase();
  const isMime = type.includes('/');
  const textual = !isMime || type.startsWith('text/') || type.endsWith('+xml') || type.endsWith('/xml');
  if (mode === 'base64' || (!mode && !textual)) {
    const bytes = base64Bytes(textOf(el));
    const decoded = bytes && utf8Text(bytes);
    if (decoded !== undefined) return { html: type.includes('html') || !textual, value: decoded.trim() };
    if (bytes && !textual && /(?:^|:)content$/.test(el.name)) {
      // Binary media (an image, an archive) inline: nothing a reader can be shown as text.
      warn(ctx, `base64 ${type} content is binary: left out`);
      return { html: false, value: '' };
    }
  }
  if (type === 'xhtml') {
    // Atom 1.0: the wrapping div is not part of the content (RFC 4287 §3.1.1.3).
    const div = child(el, 'xhtml:div') ?? child(el, 'div');
    return { html: true, value: innerMarkup(ctx.doc, div ?? el, true) };
  }
  if (type === 'application/xhtml+xml') {
    // Atom 0.3 inline XHTML: everything inside is content, the div included, minus its namespace declaration.
    return { html: true, value: innerMarkup(ctx.doc, el, true).replace(XHTML_XMLNS, '') };
  }
  if (type === 'html' || type === 'text/html' || hasElementChildren(el)) {
    // Producers that mix up html and xhtml wrap the HTML in the XHTML div: the div is only a wrapper, and
    // its text (escaped HTML) or its markup is the content.
    const only = el.children.length === 1 ? el.children[0] : undefined;
    const wrapper = typeof only === 'object' && only.name === 'xhtml:div' ? only : undefined;
    return { html: true, value: innerMarkup(ctx.doc, wrapper ?? el) };
  }
  return { html: false, value: textOf(el) };
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The bytes `raw` encodes when it is well-formed base64 (whitespace aside); else undefined. */
function base64Bytes(raw: string): Buffer | undefined {
  const compact = raw.replace(/\s+/g, '');
  return compact.length % 4 === 0 && BASE64.test(compact) ? Buffer.from(compact, 'base64') : undefined;
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** `bytes` as text when they are valid UTF-8 holding only characters XML allows; else undefined. */
function utf8Text(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = STRICT_UTF8.decode(bytes);
  } catch {
    return undefined;
  }
  return withoutXmlForbidden(text) === text ? text : undefined;
}

function plainText(t: BodyText | undefined): string {
  if (!t) return '';
  return t.html ? htmlToPlainLine(t.value) : collapseSpace(t.value);
}
