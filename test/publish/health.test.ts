import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  activityWindow,
  CHART_DAYS,
  dateLabels,
  healthChart,
  sourceHealth,
} from '../../src/publish/index.js';
import type {
  FetchCheckpoint,
  FetchOutcomeKind,
  Source,
  SourceActivity,
  Store,
} from '../../src/store/index.js';
import { backends } from '../store/backends.js';

const NOW = new Date('2024-05-31T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);
/** A source whose fetch log and posts are those the health page is read from, in a real store. */
async function activityOf(store: Store, log: FetchCheckpoint[], postDays: number[]): Promise<SourceActivity> {
  const source = await store.addSource({ url: 'https://blog.example.org/feed' });
  for (const cp of log) await store.commitFetch(source.id, cp);
  // The posts last, fetched after `NOW` (so that their dates are not in the future): past the chart's days.
  await store.commitFetch(source.id, {
    outcome: 'ok',
    fetchedAt: new Date(NOW.getTime() + 60_000),
    items: postDays.map((d, i) => ({
      id: `post-${i}`,
      title: `${d}`,
      date_published: daysAgo(d).toISOString(),
    })),
  });
  const { logSince, postsSince } = activityWindow(NOW);
  return (await store.sourceActivity([source.id], logSince, postsSince)).get(source.id)!;
}

const fetched = (
  d: number,
  outcome: FetchOutcomeKind,
  more: Partial<FetchCheckpoint> = {},
): FetchCheckpoint => ({
  fetchedAt: daysAgo(d),
  outcome,
  ...more,
});
const posts = (n: number, d: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: `new-${d}-${i}`,
    title: 'new',
    date_published: daysAgo(d).toISOString(),
  }));

for (const backend of backends()) {
  describe(backend.name, { skip: backend.skip }, () => {
    test('the chart has one bucket per day, bars scaled to the busiest day, the worst outcome per day', async () => {
      const store = await backend.open();
      const activity = await activityOf(
        store,
        [
          fetched(45, 'ok', { items: posts(100, 45) }), // outside the window: ignored
          fetched(29.5, 'ok', { items: posts(4, 29.5) }),
          fetched(10.2, 'ok', { items: posts(1, 10.2) }),
          fetched(10.1, 'failed'),
          fetched(3.5, 'throttled'),
          fetched(0.5, 'notModified'),
        ],
        [],
      );
      const chart = healthChart(activity.days, NOW, dateLabels());
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
      // The cards' form: every bar in one path, the strips in one path per outcome.
      assert.equal(chart.barsPath, 'M0 0h8v40h-8zM190 30h8v10h-8z');
      assert.deepEqual(
        chart.strips.map((s) => [s.outcome, s.path.split('M').length - 1]),
        [
          ['ok', 2],
          ['none', 26],
          ['failed', 1],
          ['throttled', 1],
        ],
      );
      await store.close();
    });

    test('source health: status, last success and error, next attempt, HTTP status, latency, posts per week', async () => {
      const store = await backend.open();
      const activity = await activityOf(
        store,
        [
          fetched(3, 'ok', { durationMs: 100 }),
          fetched(2, 'ok', { durationMs: 300 }),
          fetched(1, 'failed', { durationMs: 900 }),
        ],
        [1, 8, 15, 20, 27, 40],
      );
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
      const health = sourceHealth(source, activity, NOW, dateLabels());
      assert.equal(health.name, 'Blog');
      assert.equal(health.status, 'error');
      assert.equal(health.lastSuccess, '29 May 2024, 12:00');
      assert.equal(health.nextAttempt, '31 May 2024, 13:30');
      assert.equal(health.lastError, 'HTTP 503');
      assert.equal(health.httpStatus, 503);
      assert.equal(health.medianLatencyMs, 300);
      assert.equal(health.lastLatencyMs, 900);
      assert.equal(health.postsPerWeek, 1.3, '5 posts in the last four weeks');
      assert.equal(health.homePageUrl, undefined, 'a non-http home page is not linked');
      await store.close();
    });

    test('a busy source’s rate is counted, not sampled; an even count of latencies has the mean of the middle two', async () => {
      const store = await backend.open();
      const days = Array.from({ length: 300 }, (_, i) => (i % 28) + 0.5);
      const activity = await activityOf(
        store,
        [100, 200, 400, 800].map((durationMs, i) => fetched(4 - i, 'ok', { durationMs })),
        days,
      );
      const health = sourceHealth(
        { ...(await store.listSources())[0]!, status: 'active' },
        activity,
        NOW,
        dateLabels(),
      );
      assert.equal(health.postsPerWeek, 75);
      assert.equal(health.medianLatencyMs, 300);
      assert.equal(health.lastLatencyMs, 800);
      await store.close();
    });
  });
}

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
  const health = sourceHealth(source, { days: [], recentPosts: 0 }, NOW, dateLabels());
  assert.equal(health.feedUrl, 'https://private.example.org/feed');
  assert.equal(health.lastError, 'not a readable feed at https://private.example.org/feed: not XML');
  assert.equal(health.name, 'private.example.org');
});
