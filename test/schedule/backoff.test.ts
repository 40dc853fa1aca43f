import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BACKOFF_CAP, backoff, seededRandom } from '../../src/schedule/index.js';

const now = new Date('2024-05-10T12:00:00Z');
const noJitter = () => 0.5;
const delaySeconds = (at: Date | undefined) => (at ? (at.getTime() - now.getTime()) / 1000 : undefined);

test('failures back off exponentially from 5 minutes to a 24-hour cap', () => {
  const delays = [1, 2, 3, 4, 5, 9, 10, 50, 1e9].map((errorCount) =>
    delaySeconds(backoff({ now, errorCount, random: noJitter })),
  );
  assert.deepEqual(delays, [300, 600, 1200, 2400, 4800, 76_800, 86_400, 86_400, 86_400]);
  assert.equal(BACKOFF_CAP, 86_400);
});

test('back-off carries ±10 % jitter, never past the cap, the same for the same seed', () => {
  const run = (seed: number) => {
    const random = seededRandom(seed);
    return [1, 3, 12].flatMap((errorCount) =>
      Array.from({ length: 10 }, () => delaySeconds(backoff({ now, errorCount, random }))!),
    );
  };
  const delays = run(7);
  assert.deepEqual(run(7), delays);
  assert.ok(delays.slice(0, 10).every((d) => d >= 270 && d <= 330));
  assert.ok(delays.slice(10, 20).every((d) => d >= 1080 && d <= 1320));
  assert.ok(delays.slice(20).every((d) => d >= 86_400 * 0.9 && d <= 86_400));
});

test('429 and 503 Retry-After is honoured, clamped to 5 minutes … 24 hours', () => {
  const retry = (httpStatus: number, retryAfterSeconds: number) =>
    delaySeconds(backoff({ now, errorCount: 1, httpStatus, retryAfterSeconds, random: noJitter }));
  assert.equal(retry(429, 7200), 7200);
  assert.equal(retry(503, 7200), 7200);
  assert.equal(retry(429, 3 * 86_400), 86_400);
  assert.equal(retry(503, 5), 300);
  assert.equal(retry(500, 7200), 300, 'Retry-After means nothing on a 500');
});

test('410 Gone means no next fetch', () => {
  assert.equal(backoff({ now, errorCount: 1, httpStatus: 410, random: noJitter }), undefined);
});
