/**
 * The store: one small, Promise-returning interface served by SQLite (one process) and PostgreSQL (many
 * workers). Backend-neutral rules (dedupe keys, URL canonicalisation, row shapes) live beside this file;
 * SQL lives only in the backend folders (`sqlite/`, `postgres/`).
 *
 * Entries are stored exactly once: within a source by their dedupe key (see `entry-row.ts`), across sources
 * by canonical URL — the same article reaching us through an aggregator and through its own blog is one
 * entry, attributed to the source whose site hosts the article (else to the first source that brought it);
 * the other sources that brought it are recorded with it (`entrySources`).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FeedItem } from '../model.js';
import { redactUrl } from '../url-display.js';
import type { EntryRow } from './entry-row.js';
import type { SearchLimits } from './search-gate.js';
import type { SearchTerms } from './search-query.js';
import type { TextPart } from './search-snippet.js';

export type SourceId = number;
export type EntryId = number;

/** `active`: fetched on schedule; `error`: fetched with back-off; `gone`: never fetched again; `paused`: by hand. */
export type SourceStatus = 'active' | 'gone' | 'paused' | 'error';

export type FetchOutcomeKind = 'ok' | 'notModified' | 'gone' | 'throttled' | 'failed';

/**
 * A subscription. Its identity is what the operator declared (`url`, the config line; never rewritten); what
 * Tributary learned about it (`movedTo`, validators, schedule, the feed a page pointed at) hangs off it, so
 * config sync always finds the source it made, however the feed moved.
 */
export interface Source {
  id: SourceId;
  /** The URL the operator declared: the source's identity. */
  url: string;
  /** The name given in the config; `title` is what the feed calls itself. */
  name?: string;
  /** Overrides the entries' own authors when the source is displayed. */
  author?: string;
  options: SourceOptions;
  title?: string;
  homePageUrl?: string;
  /** Learned: the feed's own face (its author's avatar, icon or logo), shown when the config gives none. */
  feedFace?: string;
  status: SourceStatus;
  etag?: string;
  lastModified?: string;
  /** Undefined for a new source (due at once) and for a gone one (never due). */
  nextFetchAt?: Date;
  lastFetchAt?: Date;
  lastSuccessAt?: Date;
  /** The HTTP status of the last fetch that reached the server. */
  lastStatus?: number;
  lastError?: string;
  /** Consecutive failed or throttled fetches; 0 after a success. */
  errorCount: number;
  intervalSeconds?: number;
  /** A permanent redirect seen on the last fetch(es), applied once seen on consecutive fetches. */
  pendingRedirect?: string;
  redirectSeenCount: number;
  /** When the pending redirect was last counted (a move to another host counts once an hour at most). */
  redirectSeenAt?: Date;
  /** Learned: the URL the feed moved to permanently (confirmed). Polled instead of `url`, which stays. */
  movedTo?: string;
  movedAt?: Date;
  /** Set when the source left the config: never polled, its posts kept until someone purges them. */
  retiredAt?: Date;
  /** How long the last fetch took. */
  lastDurationMs?: number;
  createdAt: Date;
  /** The worker that claimed this source (`claimDueSources`) and may fetch it until `leaseUntil`. */
  leaseOwner?: string;
  leaseUntil?: Date;
}

/** What a source's config entry says beyond url, name and author, as written; `syncSources` keeps it in step
 * with the file, so removing an option from the file turns it off. */
export interface ConfigOptions {
  /** Fetch the article behind each excerpt (ingest/full-article.ts). */
  full_article?: boolean;
  /** The source's own rules, as written (content/rules.ts). */
  rules?: unknown[];
  /** The categories it is listed under, `/`-paths (config/categories.ts). */
  categories?: string[];
  /** Its face (an http(s) image URL, or a file in the theme directory), over the feed's own. */
  face?: string;
  /** The person it belongs to: sources naming the same person (case aside) are one on `/people`. */
  person?: string;
  /** Its home page as the config gives it, over the feed's. */
  homepage?: string;
  [option: string]: unknown;
}

/**
 * What Tributary learns about a source itself, never written in the config. Several processes learn things
 * about one source at once (a worker finds the feed behind a page, the web server records a hub's
 * verification), so each key is set alone, in one statement (`Store.setLearned`), never read, merged and
 * written back whole.
 */
export interface LearnedOptions {
  /** The feed autodiscovery found behind the configured URL (a page, a YouTube channel). */
  feedUrl?: string;
  /** The source's WebSub subscription (websub/). */
  websub?: Subscription;
}

export type SourceOptions = ConfigOptions & LearnedOptions;

/** The learned options by name: a config sync writes every other option and keeps these as the row has them. */
export const LEARNED_OPTION_KEYS = ['feedUrl', 'websub'] as const satisfies readonly (keyof LearnedOptions)[];

/** A source as the config declares it, for `Store.syncSources`. */
export interface DeclaredSource {
  /** Canonical (`sourceUrl`). */
  url: string;
  name?: string;
  author?: string;
  options: ConfigOptions;
  /** A hash of name, author and options: a stored source with the same hash is not written. */
  configHash: string;
}

export interface SyncResult {
  added: number;
  /** Existing sources whose name, author or options changed, or that came back from retirement. */
  updated: number;
  retired: number;
  /** True when the database already followed this list (the one query a process pays at start). */
  unchanged: boolean;
}

/** A WebSub subscription to a source's hub, as websub/ keeps it. */
export interface Subscription {
  hub: string;
  topic: string;
  /** The last path segment of the callback URL: an unguessable name for this subscription. */
  token: string;
  /** The HMAC key pushes are signed with (`hub.secret`); only an https hub is given one. Without it, a push
   * is taken on the strength of the unguessable `token` in the callback URL alone. */
  secret?: string;
  /** `pending` until the hub verified our intent; `active` after; `denied` when the hub refused it. */
  state: 'pending' | 'active' | 'denied';
  /** When we last asked the hub (subscribe or renew), ISO 8601. */
  requestedAt: string;
  /** When the hub last verified intent, ISO 8601, and the lease it granted then. */
  verifiedAt?: string;
  leaseSeconds?: number;
}

export interface NewSource {
  url: string;
  name?: string;
  author?: string;
  options?: Record<string, unknown>;
}

/** An entry as the river shows it: the item with its dates resolved, plus what the store knows about it. */
export interface StoredEntry {
  id: EntryId;
  sourceId: SourceId;
  /** `date_published` is always set: the feed's date, clamped to first-seen when in the future, else first-seen. */
  item: FeedItem;
  /** The publication date the feed gave, as given (a future one included), when it gave one. */
  claimedPublished?: Date;
  canonicalUrl?: string;
  firstSeenAt: Date;
  updatedAt: Date;
}

/** Everything one fetch of one source changed, committed as one transaction by `Store.commitFetch`. */
export interface FetchCheckpoint {
  outcome: FetchOutcomeKind;
  fetchedAt: Date;
  /** Sanitized items; only stored for outcome `ok`. */
  items?: FeedItem[];
  /** The same, already turned into rows by `toEntryRows` (ingest builds them on its parse threads); when
   * given, `items` is not read. */
  rows?: EntryRow[];
  /**
   * Posts dated before this (or undated) in the source's first successful fetch are its backlog: stored,
   * shown on the source's page and in search, but kept out of the river and what is read from it (merged
   * feeds, digest), so a new source does not bury the river under its archive. Later fetches bring news.
   */
  backlogBefore?: Date;
  /** What the feed said about itself (outcome `ok`). */
  feed?: { title?: string; homePageUrl?: string; face?: string };
  /** Stored for `ok` (absent ones cleared: the server stopped sending them) and `notModified` (kept unless re-sent). */
  validators?: { etag?: string; lastModified?: string };
  /** Undefined means never again (outcome `gone`). */
  nextFetchAt?: Date;
  intervalSeconds?: number;
  httpStatus?: number;
  bytes?: number;
  durationMs?: number;
  error?: string;
  /** The target of a permanent redirect (301/308) seen on this fetch. */
  permanentRedirect?: string;
}

export interface CommitResult {
  newCount: number;
  updatedCount: number;
}

/** A position in the river, ordered by (published date desc, id desc). `encodeRiverCursor` makes it a URL token. */
export interface RiverCursor {
  publishedMs: number;
  id: EntryId;
}

export interface RiverQuery {
  limit: number;
  /** Entries strictly after this position (older); from the top when absent. */
  before?: RiverCursor;
  /** That source's entries, its backlog included; absent, every source's but their backlogs. */
  sourceId?: SourceId;
  /** Only the entries of these sources (a category's). */
  sourceIds?: readonly SourceId[];
  /** Only the entries carrying this tag, matched case-insensitively (see `tagKey`). */
  tag?: string;
  /** Only the entries published at or after this time, epoch ms (a month's archive, with `before`). */
  since?: number;
}

export interface RiverPage {
  entries: StoredEntry[];
  /** Present when more entries follow. */
  next?: RiverCursor;
}

/** A parsed search (search-query.ts) with its filters resolved, and which page of results. */
export interface SearchRequest extends SearchTerms {
  /** Only these sources' entries; absent, every source's (backlogs included). */
  sourceIds?: SourceId[];
  /** Only entries carrying every one of these tags (lower-case; stored tags are compared lower-cased). */
  tags?: string[];
  limit: number;
  /** Results skipped: (page - 1) × limit. */
  offset?: number;
}

export interface SearchHit {
  entry: StoredEntry;
  /** The title, matches marked (empty when the entry has none). */
  title: TextPart[];
  /** An excerpt of the body around the matches (search-snippet.ts), matches marked. */
  snippet: TextPart[];
}

export interface SearchPage {
  /** Best match first; of equal matches, the most recently stored first. */
  hits: SearchHit[];
  /** Whether more results follow this page. */
  more: boolean;
}

/**
 * Days a source's fetch log is kept (the health page charts the last 30): each commit deletes the source's
 * older rows, so the log stays bounded whether the daemon or a cron'd `refresh` writes it.
 */
export const FETCH_LOG_KEEP_DAYS = 90;

/** The bounds (ms) of `/metrics`' fetch duration histogram. The database keeps a count per bound as fetches
 * are logged (the `le_*` columns of `fetch_window`, migration 12), so they change only with a migration. */
export const FETCH_DURATION_BOUNDS_MS = [100, 250, 500, 1000, 2500, 5000, 10_000, 30_000] as const;

/**
 * Minutes of fetch-log figures the database keeps for `/metrics` (`fetch_window`): the hour a scrape reads,
 * and another for scrapers whose clocks run behind the workers'. Each commit drops older minutes.
 */
export const FETCH_WINDOW_KEEP_MINUTES = 120;

export interface FetchLogRow {
  sourceId: SourceId;
  at: Date;
  outcome: FetchOutcomeKind;
  httpStatus?: number;
  bytes?: number;
  durationMs?: number;
  newCount: number;
  updatedCount: number;
  error?: string;
}

/** Sources by status, as the database keeps them counted. */
export interface SourceCounts {
  /** For each status: how many sources have it, and how many of those are retired. */
  byStatus: { status: SourceStatus; count: number; retired: number }[];
  /** The newest fetch of any source, or the newest source's addition if later. */
  lastChange?: Date;
}

/** What `/metrics` reads, kept counted by the database: a scrape reads no source and no log row itself, and
 * its window is whole minutes (those that began at or after the window's start). */
export interface FetchMetrics {
  entries: number;
  /** Sources due for a fetch (not retired, active or erroring, next fetch at or before the start of the
   * minute of `now`: one due within the last minute counts from the next). */
  due: number;
  /** Fetches logged in the window that have a duration; their total; and how many took at most each bound
   * of `FETCH_DURATION_BOUNDS_MS`, in order. */
  timedFetches: number;
  durationMsTotal: number;
  atMost: number[];
  /** Fetches in the window by HTTP status, lowest code first. */
  byHttpStatus: { code: number; count: number }[];
  /** New entries stored by the fetches of the window. */
  newEntries: number;
}

/** The order of the sources page: failing first, slowest first, then by id (`Store.sourcesPage`). */
export interface SourcesCursor {
  order: number;
  id: SourceId;
}

/** A status to list by: the source's own, or `retired` (whatever the status was when it left the config). */
export type SourceListStatus = SourceStatus | 'retired';

export interface SourcesQuery {
  limit: number;
  status?: SourceListStatus;
  /** Text the name, the feed's title or the URL contains (case-insensitive, as typed). */
  search?: string;
  /** Sources strictly after this position; from the first when absent. */
  after?: SourcesCursor;
}

export interface SourcesPage {
  sources: Source[];
  /** Present when more sources follow. */
  next?: SourcesCursor;
}

/** A page of `/people` starts after this person key (`Store.peoplePage`). */
export interface PeopleQuery {
  limit: number;
  after?: string;
}

/** People in the order of their key: the configured person's name, else the source's name (lower-cased). */
export interface PeoplePage {
  /** Each person's sources (not retired), oldest first; a person is one source unless the config groups. */
  people: { key: string; sources: Source[] }[];
  /** Present when more people follow. */
  next?: string;
}

/** One 24-hour span of a source's fetch log, counted by the database. */
export interface FetchDay {
  /** 0 for the span that starts at the window's start. */
  day: number;
  fetches: number;
  newPosts: number;
  /** Fetches whose outcome was not ok or not modified. */
  notOk: number;
  /** The worst outcome of the day (gone, failed, throttled, then ok for ok and not modified). */
  worst: Exclude<FetchOutcomeKind, 'notModified'>;
}

/** What a source's health card shows of its recent activity (`Store.sourceActivity`). */
export interface SourceActivity {
  days: FetchDay[];
  /** Over the newest timed fetches of the log window (`LATENCY_SAMPLE`, 25): the median (rounded) and the
   * newest. */
  medianLatencyMs?: number;
  lastLatencyMs?: number;
  /** Entries dated at or after `postsSince`. */
  recentPosts: number;
}

export interface Store {
  /** Applies pending migrations in order; safe to call on every start. */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** Idempotent on `url`: an existing source is returned, with any name/author/options given here applied,
   * and un-retired (declaring a source again brings it back with its posts). */
  addSource(input: NewSource): Promise<Source>;
  /**
   * Makes the sources follow the declared list, in bulk: adds the new, writes name, author and config options
   * of the changed (only config-owned keys: learned ones stay as the row has them at that moment), brings
   * back retired ones declared again and retires the undeclared. `listHash` names the list: when the database
   * last synced the same list it returns `unchanged` after one query, without calling `declared`; PostgreSQL
   * processes starting together take turns on a lock and the later ones find the work done. Any other change
   * to the sources (addSource, retireSources, purgeSource) makes the next sync run in full.
   */
  syncSources(listHash: string, declared: () => readonly DeclaredSource[], at: Date): Promise<SyncResult>;
  /** Stops polling these sources (they left the config) and keeps their posts; returns how many were retired
   * now (already retired ones keep their date). */
  retireSources(ids: readonly SourceId[], at: Date): Promise<number>;
  /** Deletes the source with its entries and fetch log, only ever because someone asked; undefined when
   * there was no such source, else how many posts went. */
  purgeSource(idOrUrl: SourceId | string): Promise<{ entries: number } | undefined>;
  /** Every source, retired ones included. */
  listSources(): Promise<Source[]>;
  /** Sources by status, and how many of each are retired: a few rows kept by the database, whatever the
   * number of sources. */
  sourceCounts(): Promise<SourceCounts>;
  /**
   * One page of sources in the order of the sources page — error, gone, active, paused, retired; within each
   * the slowest last fetch first, then by id — optionally of one status and matching a search.
   */
  sourcesPage(query: SourcesQuery): Promise<SourcesPage>;
  /** One page of the people the sources belong to (retired ones left out), by name: a range of one index,
   * whatever the number of sources. */
  peoplePage(query: PeopleQuery): Promise<PeoplePage>;
  /** The fetch log since `logSince` by 24-hour span, latencies and posts since `postsSince`, of these sources
   * only (each gets an entry, empty when it has no activity). */
  sourceActivity(
    ids: readonly SourceId[],
    logSince: Date,
    postsSince: Date,
  ): Promise<Map<SourceId, SourceActivity>>;
  /** The figures of `/metrics` at `now`, the fetch windows from `since` on: a few rows the database keeps
   * counted, whatever the number of sources and fetches. */
  fetchMetrics(now: Date, since: Date): Promise<FetchMetrics>;
  getSource(id: SourceId): Promise<Source | undefined>;
  /** The sources of these ids that exist, in no particular order (one query, for a page's entries). */
  getSources(ids: readonly SourceId[]): Promise<Source[]>;
  /**
   * Sets one learned option of a source (undefined removes it) in a single statement, leaving every other
   * option as it is in the database at that moment. Returns the source as it now is, or undefined when
   * there is no such source (it is not created).
   */
  setLearned<K extends keyof LearnedOptions>(
    id: SourceId,
    key: K,
    value: LearnedOptions[K] | undefined,
  ): Promise<Source | undefined>;
  /** Active and erroring sources, not retired, whose next fetch is due (new sources first), oldest due first. */
  dueSources(now: Date, limit: number): Promise<Source[]>;
  /**
   * For many workers: atomically takes up to `limit` due sources (in `dueSources` order) that no worker
   * holds a live lease on, leasing them to `workerId` for `leaseSeconds`, passing over sources polled at
   * one of `skipHosts` (`pollHost`). No two callers get the same source while its lease lasts; `commitFetch`
   * ends the lease, and a worker that dies loses it when it expires, so another worker takes the source.
   */
  claimDueSources(
    now: Date,
    limit: number,
    workerId: string,
    leaseSeconds: number,
    skipHosts?: readonly string[],
  ): Promise<Source[]>;
  /** Extends `workerId`'s leases on these sources to `leaseSeconds` from `now`, and returns the ids it still
   * holds: a lease that ran out and was claimed by another worker is lost. */
  renewLeases(
    ids: readonly SourceId[],
    workerId: string,
    now: Date,
    leaseSeconds: number,
  ): Promise<SourceId[]>;
  /** Ends `workerId`'s leases on these sources unfetched, so that any worker may claim them at once. */
  releaseLeases(ids: readonly SourceId[], workerId: string): Promise<void>;
  /**
   * THE CHECKPOINT: new and updated entries, validators, schedule, status and a fetch_log row, in ONE
   * transaction. A validator is never stored without its entries: if anything fails, nothing changes.
   * Ends any lease on the source.
   */
  commitFetch(sourceId: SourceId, checkpoint: FetchCheckpoint): Promise<CommitResult>;
  river(query: RiverQuery): Promise<RiverPage>;
  /** The river's (backlogs left out) publication dates nearest to `ms`: the latest before it, the earliest at
   * or after it; absent where there is none. Two index lookups, for an archive's month navigation. */
  riverDatesAround(ms: number): Promise<{ before?: Date; since?: Date }>;
  /** Every tag key (see `tagKey`) of the river's entries, sorted: the tag pages a static export writes. */
  riverTags(): Promise<string[]>;
  /**
   * The other sources that carried each of these entries: the same article (by canonical URL) stored once,
   * under the source that brought it first (or its own blog), with every other source that brought it
   * recorded, in the order they did. Entries no other source carried are left out of the map.
   */
  entrySources(ids: readonly EntryId[]): Promise<Map<EntryId, SourceId[]>>;
  getEntry(id: EntryId): Promise<StoredEntry | undefined>;
  /**
   * Entries whose title or text matches the search, best match first. Runs off the thread that serves pages,
   * a few at a time (see search-gate.ts): rejects with SearchBusyError when too many are waiting, and with
   * SearchTimeoutError past the time limit.
   */
  search(request: SearchRequest): Promise<SearchPage>;
  /** The fetch log from `since` on (inclusive), oldest first: of one source, or of every source. */
  fetchLog(since: Date, sourceId?: SourceId): Promise<FetchLogRow[]>;
  stats(): Promise<{ sources: number; entries: number }>;
  /**
   * Throws, naming the database and the cause, when this store cannot write: a read-only file or mount, a
   * read-only PostgreSQL session or standby. Cheap whatever the data: one write statement that touches no row.
   */
  checkWritable(): Promise<void>;
  /** A value every process sharing this database agrees on (`image_proxy_secret`, made by migration 6). */
  setting(name: SettingName): Promise<string | undefined>;
}

/** The settings the database holds (the `settings` table). */
export type SettingName = 'image_proxy_secret';
/** Where a store says what it recovered from (a lost database connection): a pino logger, for one. */
export interface StoreLog {
  warn(fields: object, message: string): void;
}

/** `openStore(url, { create: false })` found no database there: no SQLite file, or no tables in the
 * PostgreSQL schema. */
export class MissingStoreError extends Error {
  override name = 'MissingStoreError';
}

/**
 * Opens the store a database URL names: `sqlite:PATH`, a plain file path or `:memory:` for SQLite (the
 * file's folder is created); `postgres://…` for PostgreSQL (`?schema=NAME` keeps the tables in that
 * schema, created by `migrate()`). Call `migrate()` next. With `create: false`, a database that does not
 * exist yet (or was never migrated) is a MissingStoreError, and nothing is created. `log` hears of lost
 * connections the store recovered from; `search` bounds how many searches run at once and for how long
 * (DEFAULT_SEARCH_LIMITS otherwise).
 */
export async function openStore(
  databaseUrl: string,
  {
    create = true,
    log,
    search = {},
  }: { create?: boolean; log?: StoreLog; search?: Partial<SearchLimits> } = {},
): Promise<Store> {
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) {
    const { PostgresStore } = await import('./postgres/postgres-store.js');
    const store = new PostgresStore(databaseUrl, { log, search });
    if (create) return store;
    return existing(store, redactUrl(databaseUrl));
  }
  const path = databaseUrl.replace(/^sqlite:(\/\/)?/i, '');
  if (path === '') throw new Error(`cannot open store "${databaseUrl}": no SQLite file path given`);
  const { SqliteStore } = await import('./sqlite/sqlite-store.js');
  if (create) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    return new SqliteStore(path, { search });
  }
  if (path === ':memory:' || !existsSync(path)) throw new MissingStoreError(`no database at ${path}`);
  return existing(new SqliteStore(path, { mustExist: true, search }), path);
}

/** `store` if its database was migrated before; else it is closed and the database reported missing. */
async function existing<S extends Store & { initialized(): Promise<boolean> }>(
  store: S,
  name: string,
): Promise<S> {
  try {
    if (await store.initialized()) return store;
  } catch (error) {
    await store.close();
    throw error;
  }
  await store.close();
  throw new MissingStoreError(`no database at ${name}`);
}
