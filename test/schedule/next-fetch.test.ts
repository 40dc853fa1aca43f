import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  adaptiveIntervalSeconds,
  DEFAULT_INTERVAL,
  MAX_INTERVAL,
  MIN_INTERVAL,
  nextFetchAt,
  seededRandom,
} from '../../src/schedule/index.js';

const now = new Date('2024-05-10T12:00:00Z');
const noJitter = () => 0.5; // maps to a jitter factor of exactly 1
/** Entries posted every `gapSeconds`, newest at `now`. */
const every = (gapSeconds: number, count = 10) =>
  Array.from({ length: count }, (_, i) => new Date(now.getTime() - i * gapSeconds * 1000));
const delaySeconds = (at: Date) => (at.getTime() - now.getTime()) / 1000;

test('the interval is half the median gap between recent entries', () => {
  assert.equal(adaptiveIntervalSeconds(every(4 * 3600)), 2 * 3600);
  // One long silence among daily posts does not move the median.
  const daily = every(86_400, 8);
  daily.push(new Date(daily.at(-1)!.getTime() - 90 * 86_400_000));
  assert.equal(adaptiveIntervalSeconds(daily), 43_200);
});

test('new sources and sources without two dated entries get the default hour', () => {
  assert.equal(adaptiveIntervalSeconds([]), DEFAULT_INTERVAL);
  assert.equal(adaptiveIntervalSeconds([now, now, new Date(Number.NaN)]), DEFAULT_INTERVAL);
  assert.equal(nextFetchAt({ now, entryDates: [], random: noJitter }).intervalSeconds, 3600);
});

test('the interval stays within 5 minutes and 24 hours', () => {
  assert.equal(MIN_INTERVAL, 300);
  assert.equal(MAX_INTERVAL, 86_400);
  assert.equal(adaptiveIntervalSeconds(every(60)), MIN_INTERVAL);
  assert.equal(adaptiveIntervalSeconds(every(30 * 86_400)), MAX_INTERVAL);
  for (const gap of [1, 60, 3600, 86_400, 10 * 86_400]) {
    for (const r of [0, 0.999]) {
      const delay = delaySeconds(nextFetchAt({ now, entryDates: every(gap), random: () => r }).at);
      assert.ok(delay >= MIN_INTERVAL && delay <= MAX_INTERVAL, `gap ${gap}s, random ${r}: ${delay}s`);
    }
  }
});

test('the publisher floor (ttl, cache lifetime) is never undercut, even by jitter, up to a day', () => {
  const busy = every(60); // would be polled every 5 minutes
  const ttl = nextFetchAt({ now, entryDates: busy, ttlMinutes: 60, random: () => 0 });
  assert.equal(ttl.intervalSeconds, 3600);
  assert.equal(delaySeconds(ttl.at), 3600);
  const cached = nextFetchAt({ now, entryDates: busy, minIntervalSeconds: 7200, random: () => 0 });
  assert.equal(delaySeconds(cached.at), 7200);
  const weekly = nextFetchAt({ now, entryDates: busy, ttlMinutes: 7 * 24 * 60, random: noJitter });
  assert.equal(delaySeconds(weekly.at), MAX_INTERVAL);
});

test('jitter moves the next fetch by at most ±10 %, deterministically for a seed', () => {
  const entryDates = every(4 * 3600);
  const delays = (seed: number) => {
    const random = seededRandom(seed);
    return Array.from({ length: 50 }, () => delaySeconds(nextFetchAt({ now, entryDates, random }).at));
  };
  const first = delays(42);
  assert.deepEqual(delays(42), first);
  assert.notDeepEqual(delays(43), first);
  assert.ok(first.every((d) => d >= 7200 * 0.9 && d <= 7200 * 1.1));
  assert.ok(new Set(first).size > 40, 'spread out, not one value');
});
