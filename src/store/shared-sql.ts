/**
 * SQL both backends run as written: the aggregates behind `/metrics` and the sources page. Only how a list
 * of ids and a parameter are written differs (SQLite `json_each(?)`, PostgreSQL `= ANY($1)`), so each
 * builder takes those as text. Keeping one copy keeps the two backends' figures the same.
 */

import { type SourceColumns, sourceFromColumns } from './sql-rows.js';
import {
  FETCH_DURATION_BOUNDS_MS,
  type FetchDay,
  type FetchMetrics,
  type PeoplePage,
  type PeopleQuery,
  type Source,
  type SourceActivity,
  type SourceCounts,
  type SourceId,
  type SourceListStatus,
  type SourceStatus,
  type SourcesPage,
  type SourcesQuery,
} from './store.js';

/** Each status's rank in `sources.health_order` (migration 9 of both backends computes it the same way). */
const HEALTH_RANK: Record<SourceListStatus, number> = { error: 0, gone: 1, active: 2, paused: 3, retired: 4 };
const RANK_SPAN = 1_000_000_000;

/** The `health_order` values of one status: [from, to). */
export function healthOrderRange(status: SourceListStatus): [number, number] {
  const from = HEALTH_RANK[status] * RANK_SPAN;
  return [from, from + RANK_SPAN];
}

/** A LIKE pattern matching text that contains `search` as typed (`%`, `_` and `\` taken literally). */
export function containsPattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The query of a sources page and its values. `placeholder` writes the n-th parameter (1-based) as the
 * backend does. */
export function sourcesPageSql(
  query: SourcesQuery,
  placeholder: (n: number) => string,
): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const param = (value: unknown) => placeholder(values.push(value));
  const where: string[] = [];
  if (query.status) {
    const [from, to] = healthOrderRange(query.status);
    where.push(`health_order >= ${param(from)} AND health_order < ${param(to)}`);
  }
  // The haystack is lower-cased by the database (migration 9).
  if (query.search)
    where.push(`haystack LIKE ${param(containsPattern(query.search.toLowerCase()))} ESCAPE '\\'`);
  if (query.after) where.push(`(health_order, id) > (${param(query.after.order)}, ${param(query.after.id)})`);
  const text = `SELECT * FROM sources ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY health_order, id LIMIT ${param(query.limit + 1)}`;
  return { text, values };
}

/** The rows of `sourcesPageSql` (one past the page) as a page. */
export function sourcesPageFrom(rows: SourceColumns[], limit: number): SourcesPage {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    sources: page.map(sourceFromColumns),
    ...(rows.length > limit && last
      ? { next: { order: Number(last.health_order), id: Number(last.id) } }
      : {}),
  };
}

/** The most sources a page of people reads: one person may have many feeds, a page stays bounded. */
export const PEOPLE_PAGE_SOURCES = 1000;

/** The keys of a page of people (one past the page), a range of the `sources_people` index (migration 10). */
export function peopleKeysSql(query: PeopleQuery, placeholder: (n: number) => string) {
  const values: unknown[] = [];
  const param = (value: unknown) => placeholder(values.push(value));
  const after = query.after === undefined ? '' : `AND people_key > ${param(query.after)}`;
  const text = `SELECT DISTINCT people_key FROM sources WHERE retired_at IS NULL ${after}
    ORDER BY people_key LIMIT ${param(query.limit + 1)}`;
  return { text, values };
}

/** The sources of some people (`keysIn`: the backend's test of `people_key` against a list), in page order. */
export function peopleSourcesSql(keysIn: string): string {
  return `SELECT * FROM sources WHERE retired_at IS NULL AND people_key ${keysIn}
    ORDER BY people_key, id LIMIT ${PEOPLE_PAGE_SOURCES}`;
}

/** The rows of `peopleKeysSql` and then `peopleSourcesSql` (of the page's keys) as a page. */
export function peoplePageFrom(keys: string[], rows: SourceColumns[], limit: number): PeoplePage {
  const people = new Map(keys.slice(0, limit).map((key) => [key, [] as Source[]]));
  for (const row of rows) people.get(row.people_key)?.push(sourceFromColumns(row));
  return {
    people: [...people]
      .filter(([, sources]) => sources.length > 0)
      .map(([key, sources]) => ({ key, sources })),
    ...(keys.length > limit && { next: keys[limit - 1]! }),
  };
}

const WORST: Record<number, FetchDay['worst']> = { 1: 'ok', 2: 'throttled', 3: 'failed', 4: 'gone' };

/** The fetch log of some sources by 24-hour span from `since` (epoch ms): rows of `FetchDayColumns`. */
export function fetchDaysSql(idsIn: string, since: string): string {
  return `SELECT source_id, CAST((at - ${since}) / 86400000 AS INTEGER) AS day, count(*) AS fetches,
      sum(new_count) AS new_posts,
      sum(CASE WHEN outcome IN ('ok', 'notModified') THEN 0 ELSE 1 END) AS not_ok,
      max(CASE outcome WHEN 'gone' THEN 4 WHEN 'failed' THEN 3 WHEN 'throttled' THEN 2 ELSE 1 END) AS worst
    FROM fetch_log WHERE source_id ${idsIn} AND at >= ${since}
    GROUP BY source_id, day`;
}

export interface FetchDayColumns {
  source_id: number;
  day: number;
  fetches: number;
  new_posts: number;
  not_ok: number;
  worst: number;
}

export function fetchDayFromColumns(c: FetchDayColumns): FetchDay {
  return {
    day: Number(c.day),
    fetches: Number(c.fetches),
    newPosts: Number(c.new_posts),
    notOk: Number(c.not_ok),
    worst: WORST[Number(c.worst)] ?? 'ok',
  };
}

/** Fetches a card's median latency is taken over: the newest ones, so a page of cards reads a bounded
 * number of log rows (an index range with a LIMIT per source) however often its sources are polled. */
export const LATENCY_SAMPLE = 25;

/**
 * The newest `LATENCY_SAMPLE` fetch durations since `since` of each source, newest first, as a JSON array:
 * rows of `LatencyColumns`. `ids` is a table of one `id` column; `jsonArray` the backend's JSON array
 * aggregate (SQLite json_group_array, PostgreSQL json_agg).
 */
export function latencySql(ids: string, since: string, jsonArray: string): string {
  return `SELECT ids.id AS source_id, (SELECT ${jsonArray}(duration_ms) FROM (SELECT duration_ms FROM fetch_log
      WHERE source_id = ids.id AND at >= ${since} AND duration_ms IS NOT NULL
      ORDER BY at DESC LIMIT ${LATENCY_SAMPLE}) AS newest) AS durations
    FROM ${ids}`;
}

export interface LatencyColumns {
  source_id: number;
  /** JSON text (SQLite) or the parsed array (PostgreSQL); null without timed fetches. */
  durations: string | number[] | null;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** The three activity queries' rows as one SourceActivity per id. */
export function activityFrom(
  ids: readonly SourceId[],
  days: FetchDayColumns[],
  latencies: LatencyColumns[],
  posts: { source_id: number; posts: number }[],
): Map<SourceId, SourceActivity> {
  const out = new Map<SourceId, SourceActivity>(ids.map((id) => [id, { days: [], recentPosts: 0 }]));
  for (const d of days) out.get(Number(d.source_id))?.days.push(fetchDayFromColumns(d));
  for (const l of latencies) {
    const activity = out.get(Number(l.source_id));
    const durations = typeof l.durations === 'string' ? (JSON.parse(l.durations) as number[]) : l.durations;
    if (!activity || !durations?.length) continue;
    activity.lastLatencyMs = durations[0]!;
    activity.medianLatencyMs = median(durations);
  }
  for (const p of posts) {
    const activity = out.get(Number(p.source_id));
    if (activity) activity.recentPosts = Number(p.posts);
  }
  return out;
}

/** Entries of some sources dated from `since` on: rows of `{ source_id, posts }`. */
export function recentPostsSql(idsIn: string, since: string): string {
  return `SELECT source_id, count(*) AS posts FROM entries
    WHERE source_id ${idsIn} AND date_published >= ${since} GROUP BY source_id`;
}

/** Sources by status and retirement (kept by triggers: a few rows, however many sources), with the newest
 * fetch and the newest source's creation: rows for `sourceCountsFrom`. */
export const SOURCE_COUNTS_SQL = `SELECT status, retired, sources,
    (SELECT max(at) FROM fetch_log) AS fetched, (SELECT created_at FROM sources ORDER BY id DESC LIMIT 1) AS created
  FROM source_counts`;

export function sourceCountsFrom(
  rows: {
    status: SourceStatus;
    retired: number | boolean;
    sources: number;
    fetched: number | null;
    created: number | null;
  }[],
): SourceCounts {
  const byStatus = new Map<SourceStatus, { status: SourceStatus; count: number; retired: number }>();
  for (const r of rows) {
    const counted = byStatus.get(r.status) ?? { status: r.status, count: 0, retired: 0 };
    counted.count += Number(r.sources);
    if (Number(r.retired)) counted.retired += Number(r.sources);
    byStatus.set(r.status, counted);
  }
  const latest = Math.max(0, ...rows.flatMap((r) => [Number(r.fetched ?? 0), Number(r.created ?? 0)]));
  return { byStatus: [...byStatus.values()], ...(latest > 0 && { lastChange: new Date(latest) }) };
}

/**
 * Sources due at `now` (a parameter, epoch ms), and the order they are fetched in: ranges of the sources_claim
 * index (migration 13 of both backends), whose expressions these repeat, so a claim reads the due sources it
 * returns and not the rest. A never-fetched source counts as due since time 0 (NULLS FIRST, as one range); a
 * claim tests its lease the same way (`coalesce(lease_until, 0)`).
 */
export function dueSql(now: string): string {
  return `status IN ('active', 'error') AND retired_at IS NULL AND coalesce(next_fetch_at, 0) <= ${now}`;
}
export const DUE_ORDER = 'ORDER BY coalesce(next_fetch_at, 0), id';

/**
 * What a claim reads: the first `limit` of the sources due at `now` whose lease (if any) has run out, in fetch
 * order, with `also` for a condition of the backend's (hosts a worker skips). One statement for both backends,
 * so the plan test (test/store/claim-plan.test.ts) checks the query the stores run.
 */
export function claimableSql(columns: string, now: string, limit: string, also = ''): string {
  return `SELECT ${columns} FROM sources WHERE ${dueSql(now)} AND coalesce(lease_until, 0) <= ${now} ${also}
    ${DUE_ORDER} LIMIT ${limit}`;
}

/** The epoch minutes a scrape at `now` of the window from `since` reads: the window's first whole minute, the
 * minute of `now`, and the hour it falls in (as the minute it starts). */
export function metricsMinutes(now: Date, since: Date): { from: number; minute: number; hour: number } {
  const minute = Math.floor(now.getTime() / 60_000);
  return { from: Math.ceil(since.getTime() / 60_000), minute, hour: Math.floor(minute / 60) * 60 };
}

/**
 * The single-row figures of `/metrics`: entries (kept counted: migration 11) and sources due at `minute`.
 * Due sources are kept counted by the minute and by the hour their next fetch ends in (`due_counts`,
 * migration 12): the hours that ended by `hour`, then this hour's minutes up to `minute`. So a scrape reads a
 * row per shard for each hour of backlog and each minute of this hour, never a source, however many are due.
 */
export function metricsSql(minute: string, hour: string): string {
  return `SELECT (SELECT coalesce(sum(entries), 0) FROM entry_counts) AS entries,
      (SELECT coalesce(sum(sources), 0) FROM due_counts WHERE span = 60 AND upto <= ${hour})
        + (SELECT coalesce(sum(sources), 0) FROM due_counts
          WHERE span = 1 AND upto > ${hour} AND upto <= ${minute}) AS due`;
}

const AT_MOST = FETCH_DURATION_BOUNDS_MS.map((ms) => `le_${ms}`);

/** The fetch window from the epoch minute `from` by HTTP status (0: none), summed over its minutes (and on
 * PostgreSQL its shards): rows of `{ code, fetches, timed, duration_total, new_entries, le_100, … }`. */
export function fetchWindowSql(from: string): string {
  const sums = ['fetches', 'timed', 'duration_total', 'new_entries', ...AT_MOST].map(
    (c) => `sum(${c}) AS ${c}`,
  );
  return `SELECT http_status AS code, ${sums.join(', ')} FROM fetch_window WHERE minute >= ${from}
    GROUP BY http_status ORDER BY http_status`;
}

/** `metricsSql`'s row and `fetchWindowSql`'s rows as FetchMetrics. */
export function fetchMetricsFrom(
  row: Record<string, unknown>,
  window: Record<string, unknown>[],
): FetchMetrics {
  const total = (column: string) => window.reduce((n, r) => n + Number(r[column]), 0);
  return {
    entries: Number(row.entries),
    due: Number(row.due),
    timedFetches: total('timed'),
    durationMsTotal: total('duration_total'),
    atMost: AT_MOST.map(total),
    // A status whose fetches all left the log (a purged source's) is left out, as it was never logged.
    byHttpStatus: window
      .filter((r) => Number(r.code) !== 0 && Number(r.fetches) > 0)
      .map((r) => ({ code: Number(r.code), count: Number(r.fetches) })),
    newEntries: total('new_entries'),
  };
}
