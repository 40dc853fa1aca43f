/** RSS 0.90–0.94, 2.0 and RSS 1.0 (RDF) → the model. */
import type { Author, FeedFormat, FeedItem, JsonFeed } from '../model.js';
import { atomCategories, readAuthors, readBodyText } from './atom.js';
import type { MapContext } from './context.js';
import { elementText, plainTitle, readDate, setBody, titleOf, urlText } from './fields.js';
import { itunesKeywords, readItemMedia, readItunesEpisode } from './media.js';
import { parsePerson, uniqueAuthors } from './people.js';
import { collapseSpace, hashId } from './text.js';
import { joinBase, resolveHtmlUrls, resolveReference, resolveUrl } from './urls.js';
import { child, childrenNamed, innerMarkup, textOf, type XmlDocument, type XmlElement } from './xml.js';

export function rssFormat(root: XmlElement): FeedFormat {
  if (root.name === 'rdf:rdf') {
    // RSS 0.90 lives in the Netscape namespace; RSS 1.0 in purl.org/rss/1.0/. Both map to bare names.
    const nsValues = Object.values(root.attrs).map((v) => v.toLowerCase());
    return nsValues.includes('http://my.netscape.com/rdf/simple/0.9/') ? 'rss090' : 'rss10';
  }
  const v = (root.attrs.version ?? '').trim();
  if (v === '0.91') return 'rss091';
  if (v === '0.92') return 'rss092';
  if (v === '0.93') return 'rss093';
  if (v === '0.94') return 'rss094';
  return 'rss20';
}

export function mapRss(ctx: MapContext, root: XmlElement, format: FeedFormat): JsonFeed {
  const channel = child(root, 'channel') ?? root;
  const base = joinBase(ctx.base, root.attrs['xml:base'] ?? channel.attrs['xml:base']);
  const feed: JsonFeed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: titleOf(ctx.doc, child(channel, 'title')) || titleOf(ctx.doc, child(channel, 'dc:title')),
    items: [],
    _tributary: { format, bozo: false, warnings: ctx.warnings },
  };

  const links = channelLinks(ctx.doc, channel, base);
  if (links.home) feed.home_page_url = links.home;
  if (links.self) feed.feed_url = links.self;
  if (links.next) feed.next_url = links.next;
  if (links.hubs.length > 0) feed.hubs = links.hubs.map((url) => ({ type: 'WebSub', url }));

  const description =
    child(channel, 'description') ??
    child(channel, 'dc:description') ??
    child(channel, 'itunes:summary') ??
    child(channel, 'itunes:subtitle');
  if (description) {
    const d = innerMarkup(ctx.doc, description);
    if (d) feed.description = resolveHtmlUrls(d, base);
  }
  const language = textOf(child(channel, 'language')) || textOf(child(channel, 'dc:language'));
  if (language) feed.language = language;
  const ttl = Number(textOf(child(channel, 'ttl')));
  if (Number.isFinite(ttl) && ttl > 0) feed._ttl_minutes = Math.min(Math.floor(ttl), 7 * 24 * 60);

  const image = child(channel, 'image') ?? child(root, 'image');
  const imageUrl = image
    ? resolveUrl(urlText(ctx.doc, child(image, 'url')) || image.attrs['rdf:resource'], base)
    : undefined;
  const itunesImage = child(channel, 'itunes:image');
  const icon = imageUrl ?? (itunesImage ? resolveUrl(itunesImage.attrs.href, base) : undefined);
  if (icon) feed.icon = icon;

  const authors = readPeople(ctx, channel, [
    'managingeditor',
    'author',
    'dc:creator',
    'dc:author',
    'itunes:author',
  ]);
  if (authors) feed.authors = authors;

  // RSS 2.0 puts items in <channel>; RSS 0.90 and 1.0 beside it, under <rdf:RDF>.
  const itemElements =
    channel === root
      ? childrenNamed(root, 'item')
      : [...childrenNamed(channel, 'item'), ...childrenNamed(root, 'item')];
  for (const el of itemElements) feed.items.push(mapItem(ctx, el, base));
  return feed;
}

function channelLinks(doc: XmlDocument, channel: XmlElement, base: string | undefined) {
  let home: string | undefined;
  let self: string | undefined;
  let next: string | undefined;
  const hubs: string[] = [];
  for (const c of channel.children) {
    if (typeof c === 'string') continue;
    if (c.name === 'link' && !home) home = resolveUrl(urlText(doc, c) || c.attrs.href, base);
    else if (c.name === 'atom:link') {
      const rel = (c.attrs.rel ?? 'alternate').toLowerCase();
      const href = resolveReference(c.attrs.href, base);
      if (!href) continue;
      if (rel === 'self') self ??= href;
      else if (rel === 'hub') hubs.push(href);
      else if (rel === 'next') next ??= href;
      else if (rel === 'alternate' && !home) home = href;
    }
  }
  return { home, self, next, hubs };
}

function mapItem(ctx: MapContext, el: XmlElement, channelBase: string | undefined): FeedItem {
  const base = joinBase(channelBase, el.attrs['xml:base']);
  const guidEl = child(el, 'guid');
  const guid = urlText(ctx.doc, guidEl);
  const linkEl = child(el, 'link');
  let url = resolveUrl(urlText(ctx.doc, linkEl) || linkEl?.attrs.href, base);
  if (!url) {
    for (const l of childrenNamed(el, 'atom:link')) {
      const rel = (l.attrs.rel ?? 'alternate').toLowerCase();
      if (rel === 'alternate') {
        url = resolveReference(l.attrs.href, base);
        if (url) break;
      }
    }
  }
  // A guid is a permalink unless it says otherwise (RSS 2.0); use it when there is no <link>, but only when
  // it is one: an opaque id ("ep-0042") resolved against the feed's URL would be a link to nowhere.
  const guidIsPermalink = (guidEl?.attrs.ispermalink ?? 'true').trim().toLowerCase() !== 'false';
  if (!url && guidIsPermalink && /^https?:\/\//i.test(guid)) url = resolveUrl(guid);
  if (!url && el.attrs['rdf:about']) url = resolveUrl(el.attrs['rdf:about'], base);

  const media = readItemMedia(el, base);
  const item: FeedItem = { id: '' };
  const title =
    titleOf(ctx.doc, child(el, 'title')) ||
    titleOf(ctx.doc, child(el, 'dc:title')) ||
    titleOf(ctx.doc, child(el, 'itunes:title')) ||
    plainTitle(media.title ?? '');
  if (title) item.title = title;
  if (url) item.url = url;

  const contentEl =
    child(el, 'content:encoded') ?? child(el, 'xhtml:body') ?? child(el, 'body') ?? child(el, 'fullitem');
  const descriptionEl = child(el, 'description') ?? child(el, 'dc:description');
  const summaryEl = descriptionEl ?? child(el, 'itunes:summary');
  // Atom elements some RSS feeds carry stand in for the RSS ones they lack.
  setBody(
    item,
    contentEl
      ? { html: true, value: innerMarkup(ctx.doc, contentEl), base }
      : readBodyText(ctx, child(el, 'atom:content'), base),
    summaryEl
      ? { html: true, value: innerMarkup(ctx.doc, summaryEl), base }
      : readBodyText(ctx, child(el, 'atom:summary'), base),
    media.description,
  );

  const published = readDate(
    ctx,
    child(el, 'pubdate'),
    child(el, 'dc:date'),
    child(el, 'dcterms:issued'),
    child(el, 'dcterms:created'),
    child(el, 'atom:published'),
  );
  if (published) item.date_published = published;
  // dc:date is "the date of last change" in Dublin Core, and often the only date an RDF item has.
  const modified = readDate(
    ctx,
    child(el, 'dcterms:modified'),
    child(el, 'atom:updated'),
    child(el, 'dc:date'),
  );
  if (modified) item.date_modified = modified;

  const authors = readPeople(ctx, el, ITEM_PEOPLE) ?? readAuthors(ctx.doc, el, 'atom:', base);
  if (authors) item.authors = authors;
  const tags = readTags(ctx, el) ?? atomCategories(el, 'atom:');
  if (tags.length > 0) item.tags = tags;

  if (media.attachments) item.attachments = media.attachments;
  if (media.image) item.image = media.image;
  if (media.youtubeId) item._youtube_id = media.youtubeId;
  const itunes = readItunesEpisode(el);
  if (itunes) item._itunes = itunes;

  const source = child(el, 'source');
  if (source) {
    const srcUrl = resolveUrl(source.attrs.url, base);
    const srcTitle = titleOf(ctx.doc, source);
    if (srcUrl || srcTitle)
      item._source = { ...(srcTitle && { title: srcTitle }), ...(srcUrl && { feed_url: srcUrl }) };
  }

  item.id =
    guid || url || el.attrs['rdf:about'] || hashId(item.title, item.date_published, item.content_html);
  return item;
}

const ITEM_PEOPLE = ['author', 'dc:creator', 'dc:author', 'itunes:author', 'dc:contributor'];

/** People from the elements `names`, in that order of names, then of the document. */
function readPeople(ctx: MapContext, el: XmlElement, names: readonly string[]): Author[] | undefined {
  const people: (Author | undefined)[] = [];
  for (const n of names)
    for (const c of el.children)
      if (typeof c !== 'string' && c.name === n) people.push(parsePerson(elementText(ctx.doc, c)));
  return uniqueAuthors(people);
}

/** Categories from RSS, Dublin Core, Media RSS and iTunes (whose categories nest: Technology > Gadgets). */
function readTags(ctx: MapContext, el: XmlElement): string[] | undefined {
  const tags = new Set<string>();
  const addItunes = (c: XmlElement) => {
    const t = collapseSpace(c.attrs.text ?? '');
    if (t) tags.add(t);
    for (const sub of childrenNamed(c, 'itunes:category')) addItunes(sub);
  };
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    if (c.name === 'category' || c.name === 'dc:subject' || c.name === 'media:category') {
      const t = collapseSpace(elementText(ctx.doc, c));
      if (t) tags.add(t);
    } else if (c.name === 'itunes:category') addItunes(c);
  }
  for (const k of itunesKeywords(el)) tags.add(k);
  return tags.size > 0 ? [...tags] : undefined;
}
