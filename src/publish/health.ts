/**
 * Source health for `/sources`: status, last success and error, next attempt, HTTP status, fetch latency,
 * posts per week, and a 30-day chart of new posts and fetch outcomes drawn as plain SVG shapes.
 */
import {
  type FetchLogRow,
  type FetchOutcomeKind,
  movedNote,
  pollUrl,
  type RiverPage,
  type Source,
  type SourceStatus,
} from '../store/index.js';
import { publicUrl } from '../url-display.js';
import { sourceName } from './attribution.js';
import type { DateLabels } from './dates.js';
import { httpUrl } from './urls.js';

const DAY_MS = 86_400_000;
export const CHART_DAYS = 30;
/** Posts per week are counted over the last four weeks. */
const RATE_WINDOW_DAYS = 28;

/** A day's outcome as the chart colours it: the worst fetch of the day wins. */
export type DayOutcome = 'none' | 'ok' | 'throttled' | 'failed' | 'gone';

export interface ChartBar {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ChartDay {
  /** The day's posts bar (height 0 when none) and its outcome strip. */
  bar: ChartBar;
  strip: ChartBar;
  outcome: DayOutcome;
  /** Tooltip: `2024-05-10: 3 new posts; 24 fetches, 1 failed`. */
  label: string;
}

export interface HealthChart {
  width: number;
  height: number;
  days: ChartDay[];
  /** Screen-reader summary of the whole chart. */
  summary: string;
}

export interface SourceHealthView {
  id: number;
  name: string;
  feedUrl: string;
  homePageUrl?: string;
  status: SourceStatus | 'retired';
  /** What the operator should know: the feed moved (update the config), or the source was retired. */
  notice?: string;
  lastSuccess?: string;
  lastError?: string;
  nextAttempt?: string;
  httpStatus?: number;
  /** Median fetch time over the chart window, and the last one. */
  medianLatencyMs?: number;
  lastLatencyMs?: number;
  postsPerWeek: number;
  /** True when the sample of newest posts ran out inside the four weeks: the rate is at least this. */
  postsPerWeekIsMinimum: boolean;
  chart: HealthChart;
}

/**
 * `log`: the source's fetch log since `now - CHART_DAYS`; `recent`: a river page of its newest entries, whose
 * dates give posts per week (a page that ends inside the four weeks makes the rate a minimum). Without
 * `details` (`site.public_health: false`) the view leaves out the last error's text and fetch timings.
 */
export function sourceHealth(
  source: Source,
  log: readonly FetchLogRow[],
  recent: RiverPage,
  now: Date,
  labels: DateLabels,
  details = true,
): SourceHealthView {
  const latencies = log.flatMap((row) => (row.durationMs === undefined ? [] : [row.durationMs]));
  const since = now.getTime() - RATE_WINDOW_DAYS * DAY_MS;
  const postsInWindow = recent.entries.filter((e) => Date.parse(e.item.date_published ?? '') >= since).length;
  const view: SourceHealthView = {
    id: source.id,
    name: sourceName(source),
    feedUrl: publicUrl(pollUrl(source)),
    status: source.retiredAt ? 'retired' : source.status,
    postsPerWeek: Math.round((postsInWindow / (RATE_WINDOW_DAYS / 7)) * 10) / 10,
    postsPerWeekIsMinimum: recent.next !== undefined && postsInWindow === recent.entries.length,
    chart: healthChart(log, now, labels),
  };
  const homePageUrl = httpUrl(source.homePageUrl);
  if (homePageUrl) view.homePageUrl = homePageUrl;
  const notice = source.retiredAt
    ? `retired on ${labels.dateTime(source.retiredAt)}: no longer in the config, not polled; its posts stay until purged`
    : movedNote(source);
  if (notice) view.notice = publicUrl(notice);
  if (source.lastSuccessAt) view.lastSuccess = labels.dateTime(source.lastSuccessAt);
  // Errors stored before URLs were kept out of them may still name a private feed's credentials.
  if (source.lastError && details) view.lastError = publicUrl(source.lastError);
  if (source.nextFetchAt && !source.retiredAt) view.nextAttempt = labels.dateTime(source.nextFetchAt);
  if (source.lastStatus !== undefined) view.httpStatus = source.lastStatus;
  if (latencies.length > 0 && details) {
    view.medianLatencyMs = median(latencies);
    view.lastLatencyMs = latencies.at(-1)!;
  }
  return view;
}

const BAR_WIDTH = 8;
const GAP = 2;
const BARS_HEIGHT = 40;
const STRIP_HEIGHT = 6;
const OUTCOME_RANK: Record<DayOutcome, number> = { none: 0, ok: 1, throttled: 2, failed: 3, gone: 4 };
const KIND_OUTCOME: Record<FetchOutcomeKind, DayOutcome> = {
  ok: 'ok',
  notModified: 'ok',
  throttled: 'throttled',
  failed: 'failed',
  gone: 'gone',
};

/** Buckets are the 24-hour spans up to `now`, oldest on the left, each named by the day it ends in. */
export function healthChart(log: readonly FetchLogRow[], now: Date, labels: DateLabels): HealthChart {
  const buckets = Array.from({ length: CHART_DAYS }, () => ({
    posts: 0,
    fetches: 0,
    bad: 0,
    worst: 'none' as DayOutcome,
  }));
  const start = now.getTime() - CHART_DAYS * DAY_MS;
  for (const row of log) {
    const index = Math.floor((row.at.getTime() - start) / DAY_MS);
    const bucket = buckets[index];
    if (!bucket) continue;
    bucket.posts += row.newCount;
    bucket.fetches++;
    const outcome = KIND_OUTCOME[row.outcome];
    if (outcome !== 'ok') bucket.bad++;
    if (OUTCOME_RANK[outcome] > OUTCOME_RANK[bucket.worst]) bucket.worst = outcome;
  }
  const most = Math.max(1, ...buckets.map((b) => b.posts));
  const days = buckets.map((b, i): ChartDay => {
    const x = i * (BAR_WIDTH + GAP);
    // A day with posts is at least 2 units tall, so one post among hundreds still shows.
    const height = b.posts === 0 ? 0 : Math.max(2, Math.round((b.posts / most) * BARS_HEIGHT));
    const day = labels.dayKey(new Date(start + (i + 1) * DAY_MS - 1));
    const fetches =
      b.fetches === 0 ? 'no fetches' : `${count(b.fetches, 'fetch', 'fetches')}, ${b.bad} not ok`;
    return {
      bar: { x, y: BARS_HEIGHT - height, width: BAR_WIDTH, height },
      strip: { x, y: BARS_HEIGHT + GAP, width: BAR_WIDTH, height: STRIP_HEIGHT },
      outcome: b.worst,
      label: `${day}: ${count(b.posts, 'new post', 'new posts')}; ${fetches}`,
    };
  });
  const posts = buckets.reduce((n, b) => n + b.posts, 0);
  const fetches = buckets.reduce((n, b) => n + b.fetches, 0);
  const bad = buckets.reduce((n, b) => n + b.bad, 0);
  return {
    width: CHART_DAYS * (BAR_WIDTH + GAP) - GAP,
    height: BARS_HEIGHT + GAP + STRIP_HEIGHT,
    days,
    summary: `Last ${CHART_DAYS} days: ${count(posts, 'new post', 'new posts')}, ${count(fetches, 'fetch', 'fetches')}, ${bad} not ok`,
  };
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}
