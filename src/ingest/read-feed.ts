/**
 * The CPU-heavy middle of a refresh, as one pure step: fetched bytes → parsed feed with sanitized items. It
 * runs on the calling thread or on a worker thread (parse-pool.ts); errors cross threads as plain data.
 */
import type { JsonFeed, ParseOptions } from '../model.js';
import { FeedError, type FeedErrorCode, type FeedLink } from '../parse/errors.js';
import { parseFeed } from '../parse/index.js';
import { sanitizeItems } from './prepare-items.js';

export interface ReadRequest {
  body: Uint8Array;
  /** What parseFeed needs; `url` is also the base for the items' relative URLs. */
  options: ParseOptions;
  /** Sanitize the items' HTML too; off for items that are rewritten first (full-article sources). */
  sanitize: boolean;
}

export function readFeed({ body, options, sanitize }: ReadRequest): JsonFeed {
  const feed = parseFeed(body, options);
  return sanitize ? { ...feed, items: sanitizeItems(feed.items, options.url ?? '') } : feed;
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
