/**
 * FeedItem ⇄ entry row, backend-neutral: the dedupe key, the content hash, resolved dates and the text
 * to index for search are decided here once, so every backend stores the same thing.
 */
import { createHash } from 'node:crypto';
import { decodeHTML } from 'entities';
import type { FeedItem } from '../model.js';
import { formatRfc3339 } from '../rfc3339.js';
import { canonicalUrl } from './canonical-url.js';
import type { FetchCheckpoint, SourceId, StoredEntry } from './store.js';

/** What a backend writes for one item. Dates are epoch milliseconds. */
export interface EntryRow {
  dedupeKey: string;
  guid: string;
  url?: string;
  canonicalUrl?: string;
  title?: string;
  contentHtml?: string;
  contentText?: string;
  summary?: string;
  image?: string;
  authorsJson?: string;
  tagsJson?: string;
  attachmentsJson?: string;
  /** Every other field of the item (external_url, language, extensions…), as JSON. */
  extraJson?: string;
  /** The feed's own date, clamped to the fetch time when in the future; undefined when the item has none. */
  publishedMs?: number;
  modifiedMs?: number;
  /** The feed's own dates, unclamped; `updated` tells a newer version of the item from an older one. */
  claimedPublishedMs?: number;
  claimedModifiedMs?: number;
  contentHash: string;
}

/** An entry row as a backend reads it back (column names as in the schema). */
export interface EntryColumns {
  id: number;
  source_id: number;
  guid: string;
  url: string | null;
  canonical_url: string | null;
  title: string | null;
  content_html: string | null;
  content_text: string | null;
  summary: string | null;
  image: string | null;
  authors: string | null;
  tags: string | null;
  attachments: string | null;
  extra: string | null;
  date_published: number;
  date_modified: number | null;
  claimed_published: number | null;
  first_seen_at: number;
  updated_at: number;
}

/**
 * The dedupe key of an item within its source: its guid (a URL guid canonicalised, so http→https, trailing
 * slash and #fragment churn keep the key), else its canonical link, else a hash of title and date — with
 * the content too when either is missing, so undated untitled items are not all one. Keys are prefixed
 * with the source id: guids like "1" are only unique within a feed. Cross-source duplicates are found by
 * canonical URL instead.
 */
export function entryKey(item: FeedItem, sourceId: SourceId): string {
  return keyOf(item, sourceId, item.url ? canonicalUrl(item.url) : undefined);
}

/** entryKey, given the item link's canonical form (toEntryRow has it already). */
function keyOf(item: FeedItem, sourceId: SourceId, link: string | undefined): string {
  const guid = item.id?.trim();
  if (guid) return `${sourceId}:g:${(guid === item.url ? link : canonicalUrl(guid)) ?? guid}`;
  if (link) return `${sourceId}:u:${link}`;
  const weak = !item.title || !item.date_published;
  const material = [item.title, item.date_published, weak ? (item.content_html ?? item.content_text) : ''];
  return `${sourceId}:h:${sha256(JSON.stringify(material))}`;
}

/** Fields that live in their own columns; everything else rides in `extra`. */
const COLUMN_FIELDS = new Set([
  'id',
  'url',
  'title',
  'content_html',
  'content_text',
  'summary',
  'image',
  'authors',
  'tags',
  'attachments',
  'date_published',
  'date_modified',
]);

/** Builds the row for `item`, seen by `sourceId` in a fetch at `fetchedAtMs`. */
export function toEntryRow(item: FeedItem, sourceId: SourceId, fetchedAtMs: number): EntryRow {
  let extra: Record<string, unknown> | undefined;
  for (const key in item) {
    const value = item[key as keyof FeedItem];
    if (value !== undefined && !COLUMN_FIELDS.has(key)) (extra ??= {})[key] = value;
  }
  const link = item.url ? canonicalUrl(item.url) : undefined;
  const row: EntryRow = {
    dedupeKey: keyOf(item, sourceId, link),
    guid: item.id?.trim() || item.url || '',
    url: item.url,
    canonicalUrl: link || canonicalUrl(item.id ?? ''),
    title: item.title,
    contentHtml: item.content_html,
    contentText: item.content_text,
    summary: item.summary,
    image: item.image,
    authorsJson: jsonOrUndefined(item.authors),
    tagsJson: jsonOrUndefined(item.tags),
    attachmentsJson: jsonOrUndefined(item.attachments),
    extraJson: extra && JSON.stringify(extra),
    publishedMs: clampToSeen(item.date_published ?? item.date_modified, fetchedAtMs),
    modifiedMs: clampToSeen(item.date_modified, fetchedAtMs),
    claimedPublishedMs: dateMs(item.date_published),
    claimedModifiedMs: dateMs(item.date_modified),
    contentHash: '',
  };
  // Dates and the guid spelling stay out of the hash: feeds that restamp every item on each build, or
  // flip a guid from http to https, must not rewrite rows that did not change for a reader.
  row.contentHash = sha256(
    JSON.stringify([
      row.url,
      row.title,
      row.contentHtml,
      row.contentText,
      row.summary,
      row.image,
      row.authorsJson,
      row.tagsJson,
      row.attachmentsJson,
      row.extraJson,
    ]),
  );
  return row;
}

/**
 * The rows of one fetch's items. A guid that several items of the feed share identifies none of them (a
 * generator that stamps one guid on every post): those items are keyed as items without a guid are, by
 * link, else by title and date. Items that still share a key are one post listed twice; `planEntryWrites`
 * keeps the first.
 */
export function toEntryRows(items: FeedItem[], sourceId: SourceId, fetchedAtMs: number): EntryRow[] {
  const rows = items.map((item) => toEntryRow(item, sourceId, fetchedAtMs));
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const { dedupeKey } of rows) (seen.has(dedupeKey) ? repeated : seen).add(dedupeKey);
  for (const [i, row] of rows.entries()) {
    const item = items[i]!;
    if (repeated.has(row.dedupeKey) && item.id?.trim())
      row.dedupeKey = keyOf({ ...item, id: '' }, sourceId, item.url ? canonicalUrl(item.url) : undefined);
  }
  return rows;
}

/** The rows an `ok` checkpoint stores: the ones it brings, else built from its items. */
export function checkpointRows(cp: FetchCheckpoint, sourceId: SourceId): EntryRow[] {
  if (cp.outcome !== 'ok') return [];
  return cp.rows ?? toEntryRows(cp.items ?? [], sourceId, cp.fetchedAt.getTime());
}

/** Rebuilds what the river shows from a stored row. */
export function entryFromColumns(c: EntryColumns): StoredEntry {
  const item: FeedItem = { ...(c.extra ? (JSON.parse(c.extra) as Partial<FeedItem>) : {}), id: c.guid };
  if (c.url !== null) item.url = c.url;
  if (c.title !== null) item.title = c.title;
  if (c.content_html !== null) item.content_html = c.content_html;
  if (c.content_text !== null) item.content_text = c.content_text;
  if (c.summary !== null) item.summary = c.summary;
  if (c.image !== null) item.image = c.image;
  if (c.authors !== null) item.authors = JSON.parse(c.authors);
  if (c.tags !== null) item.tags = JSON.parse(c.tags);
  if (c.attachments !== null) item.attachments = JSON.parse(c.attachments);
  item.date_published = formatRfc3339(new Date(c.date_published));
  if (c.date_modified !== null) item.date_modified = formatRfc3339(new Date(c.date_modified));
  const entry: StoredEntry = {
    id: c.id,
    sourceId: c.source_id,
    item,
    firstSeenAt: new Date(c.first_seen_at),
    updatedAt: new Date(c.updated_at),
  };
  if (c.canonical_url !== null) entry.canonicalUrl = c.canonical_url;
  if (c.claimed_published !== null) entry.claimedPublished = new Date(c.claimed_published);
  return entry;
}

/** A feed date in ms, never later than when we first saw it (a future date would pin the item atop the river). */
function clampToSeen(date: string | undefined, seenMs: number): number | undefined {
  const ms = dateMs(date);
  return ms === undefined ? undefined : Math.min(ms, seenMs);
}

function dateMs(date: string | undefined): number | undefined {
  const ms = date ? Date.parse(date) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Plain text of the body for the search index, asked for only when a row is written (most items of a
 * fetch are unchanged).
 */
export function searchText(row: EntryRow): string {
  return bodyText(row.contentText, row.contentHtml, row.summary);
}

/** Elements inside a line of text: their tags join what is either side ("<em>safe</em>:" is "safe:"). */
const INLINE_ELEMENTS = new Set(
  'a abbr b bdi bdo cite code data del dfn em i ins kbd mark q s samp small span strong sub sup time u var'.split(
    ' ',
  ),
);

/**
 * The plain text of a post's body: its own text, else its HTML or summary without tags. The HTML was
 * sanitized upstream (no script or style bodies left), so dropping tags and decoding entities is enough for
 * the index and for search excerpts; display text comes from the content stage.
 */
export function bodyText(text?: string, html?: string, summary?: string): string {
  if (text !== undefined) return text;
  const stripped = (html ?? summary ?? '').replace(/<\/?([a-zA-Z][a-zA-Z0-9]*)[^>]*>|<[^>]*>/g, (_, name) =>
    name && INLINE_ELEMENTS.has(name.toLowerCase()) ? '' : ' ',
  );
  return (stripped.includes('&') ? decodeHTML(stripped) : stripped).replace(/\s+/g, ' ').trim();
}

function jsonOrUndefined(value: unknown[] | undefined): string | undefined {
  return value && value.length > 0 ? JSON.stringify(value) : undefined;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
