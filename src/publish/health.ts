/**
 * Source health for `/sources`: status, last success and error, next attempt, HTTP status, fetch latency,
 * posts per week, and a 30-day chart of new posts and fetch outcomes drawn as plain SVG shapes. The store
 * counts the fetch log by day (`Store.sourceActivity`); nothing here reads log rows one by one.
 */

import type { ImageUrlMap } from '../content/image-urls.js';
import {
  type FetchDay,
  movedNote,
  pollUrl,
  type Source,
  type SourceActivity,
  type SourceStatus,
} from '../store/index.js';
import { publicUrl } from '../url-display.js';
import { sourceName } from './attribution.js';
import type { DateLabels } from './dates.js';
import { type PersonView, sourceFace, sourceHomePage, sourcePerson } from './people.js';

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
  /** The same shapes in few SVG paths, for the many cards of `/sources`: the bars, and the strips of each
   * outcome (a card shows the chart without a tooltip per day, in a tenth of the bytes). */
  barsPath: string;
  strips: { outcome: DayOutcome; path: string }[];
  /** Screen-reader summary of the whole chart. */
  summary: string;
}

export interface SourceHealthView {
  id: number;
  name: string;
  feedUrl: string;
  homePageUrl?: string;
  /** Its face and person, as a post's source has them (people.ts). */
  face?: string;
  faceFile?: string;
  person?: PersonView;
  status: SourceStatus | 'retired';
  /** What the operator should know: the feed moved (update the config), or the source was retired. */
  notice?: string;
  lastSuccess?: string;
  lastError?: string;
  nextAttempt?: string;
  httpStatus?: number;
  /** Median time of the last 25 fetches of the chart window, and of the last one. */
  medianLatencyMs?: number;
  lastLatencyMs?: number;
  postsPerWeek: number;
  chart: HealthChart;
}

/** What `Store.sourceActivity` is asked for a health view at `now`: the chart's window and the rate's. */
export function activityWindow(now: Date): { logSince: Date; postsSince: Date } {
  return {
    logSince: new Date(now.getTime() - CHART_DAYS * DAY_MS),
    postsSince: new Date(now.getTime() - RATE_WINDOW_DAYS * DAY_MS),
  };
}

/** `activity`: the store's counts over `activityWindow(now)`. Without `details` (`site.public_health: false`)
 * the view leaves out the last error's text and fetch timings. `images`: where the page loads images from. */
export function sourceHealth(
  source: Source,
  activity: SourceActivity,
  now: Date,
  labels: DateLabels,
  details = true,
  images?: ImageUrlMap,
): SourceHealthView {
  const view: SourceHealthView = {
    id: source.id,
    name: sourceName(source),
    feedUrl: publicUrl(pollUrl(source)),
    status: source.retiredAt ? 'retired' : source.status,
    postsPerWeek: Math.round((activity.recentPosts / (RATE_WINDOW_DAYS / 7)) * 10) / 10,
    chart: healthChart(activity.days, now, labels),
    ...sourceFace(source, images),
  };
  const homePageUrl = sourceHomePage(source);
  if (homePageUrl) view.homePageUrl = homePageUrl;
  const person = sourcePerson(source);
  if (person) view.person = person;
  const notice = source.retiredAt
    ? `retired on ${labels.dateTime(source.retiredAt)}: no longer in the config, not polled; its posts stay until purged`
    : movedNote(source);
  if (notice) view.notice = publicUrl(notice);
  if (source.lastSuccessAt) view.lastSuccess = labels.dateTime(source.lastSuccessAt);
  // Errors stored before URLs were kept out of them may still name a private feed's credentials.
  if (source.lastError && details) view.lastError = publicUrl(source.lastError);
  if (source.nextFetchAt && !source.retiredAt) view.nextAttempt = labels.dateTime(source.nextFetchAt);
  if (source.lastStatus !== undefined) view.httpStatus = source.lastStatus;
  if (details && activity.medianLatencyMs !== undefined) view.medianLatencyMs = activity.medianLatencyMs;
  if (details && activity.lastLatencyMs !== undefined) view.lastLatencyMs = activity.lastLatencyMs;
  return view;
}

const BAR_WIDTH = 8;
const GAP = 2;
const BARS_HEIGHT = 40;
const STRIP_HEIGHT = 6;

/**
 * Buckets are the 24-hour spans up to `now`, oldest on the left, each named by the day it ends in; `counted`
 * are the store's counts over them (day 0 starts at `activityWindow(now).logSince`; spans past `now` are left out).
 */
export function healthChart(counted: readonly FetchDay[], now: Date, labels: DateLabels): HealthChart {
  const buckets = Array.from({ length: CHART_DAYS }, () => ({
    posts: 0,
    fetches: 0,
    bad: 0,
    worst: 'none' as DayOutcome,
  }));
  for (const day of counted) {
    const bucket = buckets[day.day];
    if (!bucket) continue;
    bucket.posts = day.newPosts;
    bucket.fetches = day.fetches;
    bucket.bad = day.notOk;
    bucket.worst = day.worst;
  }
  const names = dayNames(now, labels);
  const most = Math.max(1, ...buckets.map((b) => b.posts));
  const days = buckets.map((b, i): ChartDay => {
    const x = i * (BAR_WIDTH + GAP);
    // A day with posts is at least 2 units tall, so one post among hundreds still shows.
    const height = b.posts === 0 ? 0 : Math.max(2, Math.round((b.posts / most) * BARS_HEIGHT));
    const day = names[i]!;
    const fetches =
      b.fetches === 0 ? 'no fetches' : `${count(b.fetches, 'fetch', 'fetches')}, ${b.bad} not ok`;
    return {
      bar: { x, y: BARS_HEIGHT - height, width: BAR_WIDTH, height },
      strip: { x, y: BARS_HEIGHT + GAP, width: BAR_WIDTH, height: STRIP_HEIGHT },
      outcome: b.worst,
      label: `${day}: ${count(b.posts, 'new post', 'new posts')}; ${fetches}`,
    };
  });
  const strips = new Map<DayOutcome, string>();
  for (const d of days) strips.set(d.outcome, `${strips.get(d.outcome) ?? ''}${rectPath(d.strip)}`);
  const posts = buckets.reduce((n, b) => n + b.posts, 0);
  const fetches = buckets.reduce((n, b) => n + b.fetches, 0);
  const bad = buckets.reduce((n, b) => n + b.bad, 0);
  return {
    width: CHART_DAYS * (BAR_WIDTH + GAP) - GAP,
    height: BARS_HEIGHT + GAP + STRIP_HEIGHT,
    days,
    barsPath: days.map((d) => (d.bar.height > 0 ? rectPath(d.bar) : '')).join(''),
    strips: [...strips].map(([outcome, path]) => ({ outcome, path })),
    summary: `Last ${CHART_DAYS} days: ${count(posts, 'new post', 'new posts')}, ${count(fetches, 'fetch', 'fetches')}, ${bad} not ok`,
  };
}

/** The days the chart's spans end in, oldest first. The same for every card of a page (one `now`), and dear
 * to format (3,000 per page of 100 cards), so the last list made is kept. */
let lastDayNames: { labels: DateLabels; nowMs: number; names: string[] } | undefined;
function dayNames(now: Date, labels: DateLabels): string[] {
  if (lastDayNames?.labels !== labels || lastDayNames.nowMs !== now.getTime()) {
    const start = now.getTime() - CHART_DAYS * DAY_MS;
    const names = Array.from({ length: CHART_DAYS }, (_, i) =>
      labels.dayKey(new Date(start + (i + 1) * DAY_MS - 1)),
    );
    lastDayNames = { labels, nowMs: now.getTime(), names };
  }
  return lastDayNames.names;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A rectangle as an SVG path segment. */
function rectPath({ x, y, width, height }: ChartBar): string {
  return `M${x} ${y}h${width}v${height}h-${width}z`;
}
