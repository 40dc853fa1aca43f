/**
 * What a `/sources` address asks for: a status, a search, a page size and where the page starts
 * (`?status=error&q=blog&size=50&after=<token>`), and back to the query string the page's links carry.
 */
import {
  decodeRiverCursor,
  encodeRiverCursor,
  type SourceListStatus,
  type SourcesCursor,
} from '../store/index.js';

export const SOURCE_LIST_STATUSES: readonly SourceListStatus[] = [
  'error',
  'gone',
  'active',
  'paused',
  'retired',
];
/** Cards per page unless `size` says otherwise, and the most a page holds (each card is about 2 KB). */
export const DEFAULT_SOURCES_PAGE = 50;
export const MAX_SOURCES_PAGE = 100;
/** Search input beyond this is not words anyone typed. */
const MAX_SEARCH = 200;

export interface SourcesListing {
  status?: SourceListStatus;
  search?: string;
  size: number;
  after?: SourcesCursor;
}

/** The listing the query names, or undefined (404) for a status, size or cursor this site does not make. */
export function parseSourcesListing(params: URLSearchParams): SourcesListing | undefined {
  const listing: SourcesListing = { size: DEFAULT_SOURCES_PAGE };
  const status = params.get('status');
  if (status !== null && status !== '') {
    if (!(SOURCE_LIST_STATUSES as readonly string[]).includes(status)) return undefined;
    listing.status = status as SourceListStatus;
  }
  const search = (params.get('q') ?? '').trim().slice(0, MAX_SEARCH);
  if (search) listing.search = search;
  const size = params.get('size');
  if (size !== null) {
    if (!/^[1-9][0-9]{0,2}$/.test(size) || Number(size) > MAX_SOURCES_PAGE) return undefined;
    listing.size = Number(size);
  }
  const after = params.get('after');
  if (after !== null) {
    const cursor = decodeSourcesCursor(after);
    if (!cursor) return undefined;
    listing.after = cursor;
  }
  return listing;
}

/** The query string (with its `?`, or empty) of a listing: the parameters that differ from the defaults. */
export function sourcesQueryString(listing: SourcesListing): string {
  const params = new URLSearchParams();
  if (listing.status) params.set('status', listing.status);
  if (listing.search) params.set('q', listing.search);
  if (listing.size !== DEFAULT_SOURCES_PAGE) params.set('size', String(listing.size));
  if (listing.after) params.set('after', encodeSourcesCursor(listing.after));
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** Sources cursors are written as river cursors are: two integers in base 36. */
export function encodeSourcesCursor(cursor: SourcesCursor): string {
  return encodeRiverCursor({ publishedMs: cursor.order, id: cursor.id });
}

function decodeSourcesCursor(token: string): SourcesCursor | undefined {
  const cursor = decodeRiverCursor(token);
  return cursor && cursor.publishedMs >= 0 ? { order: cursor.publishedMs, id: cursor.id } : undefined;
}
