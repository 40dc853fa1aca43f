/** JSON Feed 1.0 and 1.1 → the model: the same shape, but every field checked, since JSON from the web is
 * as untrustworthy as XML (wrong types, hostile URLs, dates in any format). */
import type { Attachment, Author, FeedItem, JsonFeed } from '../model.js';
import { formatRfc3339 } from '../rfc3339.js';
import { warn } from './context.js';
import { parseDate } from './dates.js';
import { FeedError } from './errors.js';
import { uniqueAuthors } from './people.js';
import { collapseSpace, hashId, htmlToPlainLine, looksLikeHtml } from './text.js';
import { resolveHtmlUrls, resolveUrl } from './urls.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
// JSON escapes can carry what XML cannot: NUL and unpaired surrogates. Neither may reach the model.
const UNSAFE_CHAR = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSAFE_CHARS = new RegExp(UNSAFE_CHAR.source, 'g');
const str = (v: unknown): string | undefined => {
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  return UNSAFE_CHAR.test(v) ? v.replace(UNSAFE_CHARS, (c) => (c === '\u0000' ? '' : '\ufffd')) : v;
};

const VERSION_URL = /^https?:\/\/jsonfeed\.org\/version\/([\d.]*)/i;
const BARE_VERSION = /^1(?:\.\d+)?$/;
const JSON_FEED_TYPE = /^\s*application\/feed\+json\s*(;|$)/i;

/** Which JSON Feed version `data` is, with a warning when it had to be guessed; undefined when it is no JSON
 * Feed. Producers write the bare number ("1.1") or leave the version out; the content type or the shape
 * (a title beside an items array of JSON Feed items) still says what the document is. */
function jsonFeedVersion(
  data: unknown,
  contentType: string | undefined,
): { format: 'json10' | 'json11'; warning?: string } | undefined {
  if (!isObj(data)) return undefined;
  const format = (n: string) => (n === '1' || n === '1.0' ? 'json10' : 'json11');
  const { version } = data;
  if (typeof version === 'string') {
    const v = version.trim();
    const url = VERSION_URL.exec(v);
    if (url) return { format: format(url[1]!) };
    if (BARE_VERSION.test(v))
      return {
        format: format(v),
        warning: `JSON Feed "version" is "${v}", not https://jsonfeed.org/version/${v}`,
      };
    return undefined;
  }
  if (version !== undefined || !Array.isArray(data.items)) return undefined;
  if (!(contentType && JSON_FEED_TYPE.test(contentType)) && !hasJsonFeedShape(data)) return undefined;
  return { format: 'json11', warning: 'JSON Feed without "version" (read as 1.1)' };
}

function hasJsonFeedShape(data: Obj): boolean {
  if (typeof data.title !== 'string') return false;
  if (typeof data.home_page_url === 'string' || typeof data.feed_url === 'string') return true;
  return (data.items as unknown[]).some(
    (i) => isObj(i) && 'id' in i && ('url' in i || 'content_html' in i || 'content_text' in i),
  );
}

export function mapJsonFeed(
  data: unknown,
  base: string | undefined,
  contentType: string | undefined,
  warnings: string[],
): JsonFeed {
  const version = jsonFeedVersion(data, contentType);
  if (!version || !isObj(data))
    throw new FeedError(
      'not-a-feed',
      'JSON document is not a JSON Feed: it needs "version": "https://jsonfeed.org/version/1.1" (or a title and an items array)',
    );
  const ctx = { warnings };
  if (version.warning) warn(ctx, version.warning);
  const feedUrl = resolveUrl(str(data.feed_url), base);
  const itemBase = feedUrl ?? base;
  const feed: JsonFeed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: plain(str(data.title) ?? ''),
    items: [],
    _tributary: { format: version.format, bozo: version.warning !== undefined, warnings },
  };
  const home = resolveUrl(str(data.home_page_url), base);
  if (home) feed.home_page_url = home;
  if (feedUrl) feed.feed_url = feedUrl;
  const description = str(data.description);
  if (description) feed.description = description;
  const next = resolveUrl(str(data.next_url), base);
  if (next) feed.next_url = next;
  for (const key of ['icon', 'favicon'] as const) {
    const u = resolveUrl(str(data[key]), base);
    if (u) feed[key] = u;
  }
  const language = str(data.language);
  if (language) feed.language = language;
  if (data.expired === true) feed.expired = true;
  const authors = readAuthors(data, base);
  if (authors) feed.authors = authors;
  if (Array.isArray(data.hubs)) {
    const hubs = data.hubs.filter(isObj).flatMap((h) => {
      const url = resolveUrl(str(h.url), base);
      return url ? [{ type: str(h.type) ?? 'WebSub', url }] : [];
    });
    if (hubs.length > 0) feed.hubs = hubs;
  }

  if (data.items !== undefined && !Array.isArray(data.items)) warn(ctx, '"items" is not an array');
  const items = Array.isArray(data.items) ? data.items : [];
  for (const raw of items) {
    if (!isObj(raw)) {
      warn(ctx, 'an item is not an object');
      continue;
    }
    feed.items.push(mapItem(raw, itemBase, ctx));
  }
  return feed;
}

function mapItem(raw: Obj, base: string | undefined, ctx: { warnings: string[] }): FeedItem {
  const item: FeedItem = { id: '' };
  const url = resolveUrl(str(raw.url), base);
  if (url) item.url = url;
  const external = resolveUrl(str(raw.external_url), base);
  if (external) item.external_url = external;
  const title = str(raw.title);
  if (title) item.title = plain(title);
  const html = str(raw.content_html);
  if (html) item.content_html = resolveHtmlUrls(html, url ?? base);
  const text = str(raw.content_text);
  if (text) item.content_text = text;
  const summary = str(raw.summary);
  if (summary) item.summary = summary;
  for (const key of ['image', 'banner_image'] as const) {
    const u = resolveUrl(str(raw[key]), base);
    if (u) item[key] = u;
  }
  for (const key of ['date_published', 'date_modified'] as const) {
    const v = str(raw[key]);
    if (!v) continue;
    const d = parseDate(v);
    if (d) item[key] = formatRfc3339(d);
    else warn(ctx, `unreadable date "${v.slice(0, 60)}"`);
  }
  const authors = readAuthors(raw, base);
  if (authors) item.authors = authors;
  if (Array.isArray(raw.tags)) {
    const tags = [
      ...new Set(
        raw.tags
          .filter((t): t is string => typeof t === 'string')
          .map(collapseSpace)
          .filter(Boolean),
      ),
    ];
    if (tags.length > 0) item.tags = tags;
  }
  const language = str(raw.language);
  if (language) item.language = language;
  if (Array.isArray(raw.attachments)) {
    const attachments = raw.attachments.filter(isObj).flatMap((a): Attachment[] => {
      const u = resolveUrl(str(a.url), base);
      if (!u) return [];
      const att: Attachment = { url: u };
      const mime = str(a.mime_type);
      if (mime) att.mime_type = mime;
      const t = str(a.title);
      if (t) att.title = t;
      if (typeof a.size_in_bytes === 'number' && a.size_in_bytes > 0)
        att.size_in_bytes = Math.floor(a.size_in_bytes);
      if (typeof a.duration_in_seconds === 'number' && a.duration_in_seconds > 0)
        att.duration_in_seconds = a.duration_in_seconds;
      return [att];
    });
    if (attachments.length > 0) item.attachments = attachments;
  }
  const id = raw.id;
  item.id =
    typeof id === 'string' && id.trim()
      ? id.trim()
      : typeof id === 'number' && Number.isFinite(id)
        ? String(id)
        : (item.url ?? hashId(item.title, item.date_published, item.content_html ?? item.content_text));
  return item;
}

/** JSON Feed 1.1 `authors[]`, or 1.0's single `author`. */
function readAuthors(o: Obj, base: string | undefined): Author[] | undefined {
  const list = Array.isArray(o.authors) ? o.authors : isObj(o.author) ? [o.author] : [];
  return uniqueAuthors(
    list.filter(isObj).map((a) => {
      const author: Author = {};
      const name = str(a.name);
      if (name) author.name = collapseSpace(name);
      const url = resolveUrl(str(a.url), base);
      if (url) author.url = url;
      const avatar = resolveUrl(str(a.avatar), base);
      if (avatar) author.avatar = avatar;
      return author;
    }),
  );
}

function plain(s: string): string {
  return looksLikeHtml(s) ? htmlToPlainLine(s) : collapseSpace(s);
}
