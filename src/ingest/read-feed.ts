/**
 * The CPU-heavy middle of a refresh, as one pure step: fetched bytes → parsed feed → sanitized items, the
 * rules applied → the rows the store writes. It runs on the calling thread or on a worker thread
 * (parse-pool.ts); errors cross threads as plain data.
 */
import type { Rule } from '../content/rules.js';
import { crashPoint } from '../crash-point.js';
import type { FeedItem, JsonFeed, ParseOptions } from '../model.js';
import { FeedError, type FeedErrorCode, type FeedLink } from '../parse/errors.js';
import { parseFeed } from '../parse/index.js';
import { type EntryRow, toEntryRows } from '../store/entry-row.js';
import type { SourceId } from '../store/index.js';
import { prepareItems } from './prepare-items.js';

export interface ReadRequest {
  body: Uint8Array;
  /** What parseFeed needs; `url` is also the base for the items' relative URLs. */
  options: ParseOptions;
  /** Prepare the items for the store; absent, they come back as parsed (full-article sources rewrite them
   * first). */
  prepare?: RowOptions;
}

export interface RowOptions {
  /** Rule sets applied after sanitizing: the global rules, then the source's. */
  rules: readonly (readonly Rule[])[];
  sourceId: SourceId;
  fetchedAtMs: number;
}

export interface ReadResult {
  /** The feed; when `rows` are built, its items are in them and `feed.items` is empty (sent once). */
  feed: JsonFeed;
  rows?: EntryRow[];
}

export function readFeed({ body, options, prepare }: ReadRequest): ReadResult {
  const feed = parseFeed(body, options);
  crashPoint('parse');
  if (!prepare) return { feed };
  return { feed: { ...feed, items: [] }, rows: prepareRows(feed.items, options.url ?? '', prepare) };
}

/** Items → the rows the store writes: sanitized, the rules applied (prepare-items.ts), then `toEntryRows`. */
export function prepareRows(items: FeedItem[], feedUrl: string, options: RowOptions): EntryRow[] {
  return toEntryRows(
    prepareItems(items, feedUrl, { rules: options.rules }),
    options.sourceId,
    options.fetchedAtMs,
  );
}

/** An error as it travels between threads (an Error's class does not survive postMessage). */
export interface ReadError {
  message: string;
  feedError?: { code: FeedErrorCode; feedLinks: FeedLink[] };
}

export function toReadError(e: unknown): ReadError {
  if (e instanceof FeedError)
    return { message: e.message, feedError: { code: e.code, feedLinks: e.feedLinks } };
  return { message: e instanceof Error ? e.message : String(e) };
}

export function fromReadError(e: ReadError): Error {
  return e.feedError
    ? new FeedError(e.feedError.code, e.message, e.feedError.feedLinks)
    : new Error(e.message);
}
