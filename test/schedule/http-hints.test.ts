import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cacheLifetimeSeconds, parseRetryAfter } from '../../src/schedule/index.js';

const now = new Date('2024-05-10T12:00:00Z');

test('Retry-After is read as seconds or as an HTTP date', () => {
  assert.equal(parseRetryAfter('120', now), 120);
  assert.equal(parseRetryAfter(' 120 ', now), 120);
  assert.equal(parseRetryAfter('Fri, 10 May 2024 13:00:00 GMT', now), 3600);
  assert.equal(parseRetryAfter('Fri, 10 May 2024 11:00:00 GMT', now), 0);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter(undefined, now), undefined);
});

test('the cache lifetime comes from max-age, else Expires against Date', () => {
  assert.equal(cacheLifetimeSeconds({ 'cache-control': 'public, max-age=1800' }, now), 1800);
  assert.equal(cacheLifetimeSeconds({ 'cache-control': 's-maxage=60, max-age=600' }, now), 600);
  assert.equal(
    cacheLifetimeSeconds({ 'cache-control': 'no-cache', expires: 'Fri, 10 May 2024 13:00:00 GMT' }, now),
    0,
  );
  assert.equal(
    cacheLifetimeSeconds(
      { expires: 'Fri, 10 May 2024 13:00:00 GMT', date: 'Fri, 10 May 2024 12:30:00 GMT' },
      now,
    ),
    1800,
  );
  assert.equal(cacheLifetimeSeconds({ expires: 'Fri, 10 May 2024 14:00:00 GMT' }, now), 7200);
  assert.equal(cacheLifetimeSeconds({ expires: '0' }, now), 0, 'an invalid Expires is already expired');
  assert.equal(cacheLifetimeSeconds({ expires: 'never' }, now), 0);
  assert.equal(cacheLifetimeSeconds({}, now), undefined);
});
