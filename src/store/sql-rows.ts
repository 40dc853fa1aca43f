/**
 * Row ⇄ object mapping shared by the SQL backends. Both schemas use the same column names and keep times
 * as epoch milliseconds, so a row read from SQLite or PostgreSQL becomes the same `Source` or `FetchLogRow`.
 */
import { canonicalHost, sourceUrl } from './canonical-url.js';
import type { EntryRow } from './entry-row.js';
import type { SourceFetchState } from './source-update.js';
import type {
  CommitResult,
  DeclaredSource,
  FetchCheckpoint,
  FetchLogRow,
  FetchOutcomeKind,
  Source,
  SourceId,
  SourceOptions,
  SourceStatus,
} from './store.js';

export interface SourceColumns {
  id: number;
  url: string;
  name: string | null;
  author: string | null;
  options: string;
  title: string | null;
  home_page_url: string | null;
  feed_face: string | null;
  people_key: string;
  status: SourceStatus;
  etag: string | null;
  last_modified: string | null;
  next_fetch_at: number | null;
  last_fetch_at: number | null;
  last_success_at: number | null;
  last_status: number | null;
  last_error: string | null;
  error_count: number;
  interval_seconds: number | null;
  pending_redirect: string | null;
  redirect_seen_count: number;
  redirect_seen_at: number | null;
  moved_to: string | null;
  moved_at: number | null;
  retired_at: number | null;
  created_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  last_duration_ms: number | null;
  health_order: number;
}

export interface FetchLogColumns {
  source_id: number;
  at: number;
  outcome: FetchOutcomeKind;
  http_status: number | null;
  bytes: number | null;
  duration_ms: number | null;
  new_count: number;
  updated_count: number;
  error: string | null;
}

/** The values an entry row writes, by column name (dates and ids are added by the backend). */
export type EntryWriteColumns = ReturnType<typeof entryParams>;

export function entryParams(sourceId: SourceId, row: EntryRow) {
  return {
    source_id: sourceId,
    dedupe_key: row.dedupeKey,
    guid: row.guid,
    url: row.url ?? null,
    canonical_url: row.canonicalUrl ?? null,
    title: row.title ?? null,
    content_html: row.contentHtml ?? null,
    content_text: row.contentText ?? null,
    summary: row.summary ?? null,
    image: row.image ?? null,
    authors: row.authorsJson ?? null,
    tags: row.tagsJson ?? null,
    attachments: row.attachmentsJson ?? null,
    extra: row.extraJson ?? null,
    content_hash: row.contentHash,
    claimed_published: row.claimedPublishedMs ?? null,
    claimed_modified: row.claimedModifiedMs ?? null,
  };
}

/**
 * Whether an article already stored for another source (`holderSite`) moves to the source fetched now
 * (`site`): only when this source's site hosts the article and the holder's does not. Otherwise the first
 * source to bring it keeps it and the new copy is dropped.
 */
export function movesToOriginal(canonicalUrl: string, site: string, holderSite: string): boolean {
  const articleHost = canonicalHost(canonicalUrl);
  return canonicalHost(site) === articleHost && canonicalHost(holderSite) !== articleHost;
}

/** The stored form of a URL a user typed to name a source, or the text itself when it is not a URL. */
export function sourceUrlOrRaw(url: string): string {
  try {
    return sourceUrl(url);
  } catch {
    return url;
  }
}

export function sourceFromColumns(c: SourceColumns): Source {
  const source: Source = {
    id: c.id,
    url: c.url,
    options: JSON.parse(c.options) as SourceOptions,
    status: c.status,
    errorCount: c.error_count,
    redirectSeenCount: c.redirect_seen_count,
    createdAt: new Date(c.created_at),
  };
  if (c.name !== null) source.name = c.name;
  if (c.author !== null) source.author = c.author;
  if (c.title !== null) source.title = c.title;
  if (c.home_page_url !== null) source.homePageUrl = c.home_page_url;
  if (c.feed_face !== null) source.feedFace = c.feed_face;
  if (c.etag !== null) source.etag = c.etag;
  if (c.last_modified !== null) source.lastModified = c.last_modified;
  if (c.next_fetch_at !== null) source.nextFetchAt = new Date(c.next_fetch_at);
  if (c.last_fetch_at !== null) source.lastFetchAt = new Date(c.last_fetch_at);
  if (c.last_success_at !== null) source.lastSuccessAt = new Date(c.last_success_at);
  if (c.last_status !== null) source.lastStatus = c.last_status;
  if (c.last_error !== null) source.lastError = c.last_error;
  if (c.interval_seconds !== null) source.intervalSeconds = c.interval_seconds;
  if (c.pending_redirect !== null) source.pendingRedirect = c.pending_redirect;
  if (c.redirect_seen_at !== null) source.redirectSeenAt = new Date(c.redirect_seen_at);
  if (c.moved_to !== null) source.movedTo = c.moved_to;
  if (c.moved_at !== null) source.movedAt = new Date(c.moved_at);
  if (c.retired_at !== null) source.retiredAt = new Date(c.retired_at);
  if (c.lease_owner !== null) source.leaseOwner = c.lease_owner;
  if (c.lease_until !== null) source.leaseUntil = new Date(c.lease_until);
  if (c.last_duration_ms !== null) source.lastDurationMs = c.last_duration_ms;
  return source;
}

/** What a fetch writes to its source's row, column by column; both backends write exactly these (and end
 * the lease). */
export function sourceStateColumns(state: SourceFetchState) {
  return {
    moved_to: state.movedTo ?? null,
    moved_at: state.movedAt?.getTime() ?? null,
    title: state.title ?? null,
    home_page_url: state.homePageUrl ?? null,
    feed_face: state.feedFace ?? null,
    status: state.status,
    etag: state.etag ?? null,
    last_modified: state.lastModified ?? null,
    next_fetch_at: state.nextFetchAt?.getTime() ?? null,
    last_fetch_at: state.lastFetchAt?.getTime() ?? null,
    last_success_at: state.lastSuccessAt?.getTime() ?? null,
    last_status: state.lastStatus ?? null,
    last_error: state.lastError ?? null,
    error_count: state.errorCount,
    interval_seconds: state.intervalSeconds ?? null,
    pending_redirect: state.pendingRedirect ?? null,
    redirect_seen_count: state.redirectSeenCount,
    redirect_seen_at: state.redirectSeenAt?.getTime() ?? null,
    last_duration_ms: state.lastDurationMs ?? null,
  };
}

/** The declared sources as one JSON array parameter (rows of url, name, author, options as JSON text,
 * config_hash): both backends read it set-wise (SQLite json_each, PostgreSQL json_to_recordset). */
export function declaredJson(declared: readonly DeclaredSource[]): string {
  return JSON.stringify(
    declared.map((d) => ({
      url: d.url,
      name: d.name ?? null,
      author: d.author ?? null,
      options: JSON.stringify(d.options),
      config_hash: d.configHash,
    })),
  );
}

/** A learned option's value as JSON text, or null to remove it. */
export function learnedValue(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/** The fetch-log columns a commit writes, in the order of `fetchLogValues`. */
export const FETCH_LOG_COLUMNS =
  'source_id, at, outcome, http_status, bytes, duration_ms, new_count, updated_count, error';

/** The fetch-log row of a checkpoint, as values in the order of FETCH_LOG_COLUMNS. */
export function fetchLogValues(sourceId: SourceId, cp: FetchCheckpoint, counts: CommitResult): unknown[] {
  return [
    sourceId,
    cp.fetchedAt.getTime(),
    cp.outcome,
    cp.httpStatus ?? null,
    cp.bytes ?? null,
    cp.durationMs ?? null,
    counts.newCount,
    counts.updatedCount,
    cp.error ?? null,
  ];
}

export function fetchLogFromColumns(c: FetchLogColumns): FetchLogRow {
  const row: FetchLogRow = {
    sourceId: c.source_id,
    at: new Date(c.at),
    outcome: c.outcome,
    newCount: c.new_count,
    updatedCount: c.updated_count,
  };
  if (c.http_status !== null) row.httpStatus = c.http_status;
  if (c.bytes !== null) row.bytes = c.bytes;
  if (c.duration_ms !== null) row.durationMs = c.duration_ms;
  if (c.error !== null) row.error = c.error;
  return row;
}
