import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHART_DAYS, dateLabels, healthChart, sourceHealth } from '../../src/publish/index.js';
import type { FetchLogRow, Source, StoredEntry } from '../../src/store/index.js';

const NOW = new Date('2024-05-31T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);
const row = (d: number, outcome: FetchLogRow['outcome'], more: Partial<FetchLogRow> = {}): FetchLogRow => ({
  sourceId: 1,
  at: daysAgo(d),
  outcome,
  newCount: 0,
  updatedCount: 0,
  ...more,
});

test('the chart has one bucket per day, bars scaled to the busiest day, the worst outcome per day', () => {
  const chart = healthChart(
    [
      row(29.5, 'ok', { newCount: 4 }),
      row(10.2, 'ok', { newCount: 1 }),
      row(10.1, 'failed'),
      row(3.5, 'throttled'),
      row(0.5, 'notModified'),
      row(45, 'ok', { newCount: 100 }), // outside the window: ignored
    ],
    NOW,
    dateLabels(),
  );
  assert.equal(chart.days.length, CHART_DAYS);
  const first = chart.days[0]!;
  const day10 = chart.days[CHART_DAYS - 11]!;
  assert.equal(first.bar.height, 40);
  assert.equal(day10.bar.height, 10);
  assert.equal(day10.outcome, 'failed');
  assert.equal(day10.label, '2024-05-21: 1 new post; 2 fetches, 1 not ok');
  assert.equal(chart.days[CHART_DAYS - 4]!.outcome, 'throttled');
  assert.equal(chart.days.at(-1)!.outcome, 'ok');
  assert.equal(chart.days[5]!.outcome, 'none');
  assert.equal(chart.summary, 'Last 30 days: 5 new posts, 5 fetches, 2 not ok');
  assert.ok(chart.days.every((d, i) => d.bar.x === i * 10 && d.bar.y + d.bar.height === 40));
});

test('source health: status, last success and error, next attempt, HTTP status, latency, posts per week', () => {
  const source: Source = {
    id: 1,
    url: 'https://blog.example.org/feed',
    name: 'Blog',
    homePageUrl: 'javascript:alert(1)',
    options: {},
    status: 'error',
    lastSuccessAt: daysAgo(2),
    lastError: 'HTTP 503',
    lastStatus: 503,
    nextFetchAt: new Date('2024-05-31T13:30:00Z'),
    errorCount: 2,
    redirectSeenCount: 0,
    createdAt: daysAgo(100),
  };
  const entry = (d: number) =>
    ({ item: { id: `${d}`, date_published: daysAgo(d).toISOString() } }) as StoredEntry;
  const health = sourceHealth(
    source,
    [
      row(3, 'ok', { durationMs: 100 }),
      row(2, 'ok', { durationMs: 300 }),
      row(1, 'failed', { durationMs: 900 }),
    ],
    { entries: [entry(1), entry(8), entry(15), entry(20), entry(27), entry(40)] },
    NOW,
    dateLabels(),
  );
  assert.equal(health.name, 'Blog');
  assert.equal(health.status, 'error');
  assert.equal(health.lastSuccess, '29 May 2024, 12:00');
  assert.equal(health.nextAttempt, '31 May 2024, 13:30');
  assert.equal(health.lastError, 'HTTP 503');
  assert.equal(health.httpStatus, 503);
  assert.equal(health.medianLatencyMs, 300);
  assert.equal(health.lastLatencyMs, 900);
  assert.equal(health.postsPerWeek, 1.3);
  assert.equal(health.postsPerWeekIsMinimum, false);
  const busy = sourceHealth(
    source,
    [],
    { entries: [entry(1), entry(2)], next: { publishedMs: 0, id: 1 } },
    NOW,
    dateLabels(),
  );
  assert.equal(busy.postsPerWeek, 0.5);
  assert.equal(busy.postsPerWeekIsMinimum, true, 'the sample ran out inside the window');
  assert.equal(health.homePageUrl, undefined, 'a non-http home page is not linked');
});

test('a private feed shows on the health page without its credentials, even in an error stored long ago', () => {
  const source: Source = {
    id: 2,
    url: 'https://reader:s3cret@private.example.org/feed',
    options: {},
    status: 'error',
    // Written by a version that put the source URL, credentials and all, into its parse errors.
    lastError: 'not a readable feed at https://reader:s3cret@private.example.org/feed: not XML',
    errorCount: 1,
    redirectSeenCount: 0,
    createdAt: daysAgo(10),
  };
  const health = sourceHealth(source, [], { entries: [] }, NOW, dateLabels());
  assert.equal(health.feedUrl, 'https://private.example.org/feed');
  assert.equal(health.lastError, 'not a readable feed at https://private.example.org/feed: not XML');
  assert.equal(health.name, 'private.example.org');
});
