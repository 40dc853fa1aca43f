import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cacheMaxAgeSeconds } from '../../src/fetch/cache-headers.js';
import { parseHttpDate } from '../../src/fetch/http-date.js';
import { MAX_RETRY_AFTER_SECONDS, parseRetryAfter } from '../../src/fetch/retry-after.js';

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0); // Thu, 26 Nov 2026 12:00:00 GMT

describe('parseHttpDate', () => {
  test('reads the three RFC 9110 forms to the same instant', () => {
    const expected = Date.UTC(1994, 10, 6, 8, 49, 37);
    assert.equal(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT'), expected);
    assert.equal(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT'), expected);
    assert.equal(parseHttpDate('Sun Nov  6 08:49:37 1994'), expected);
    assert.equal(parseHttpDate('sun, 06 nov 1994 08:49:37 gmt'), expected);
  });

  test('refuses what Date.parse would accept but HTTP does not', () => {
    for (const garbage of [
      '1',
      '2026-11-26T12:00:00Z',
      'tomorrow',
      'Thu, 31 Feb 2026 12:00:00 GMT',
      'Thu, 26 Nov 2026 25:00:00 GMT',
      '',
    ]) {
      assert.equal(parseHttpDate(garbage), undefined, garbage);
    }
  });
});

describe('parseRetryAfter', () => {
  test('delta-seconds', () => {
    assert.equal(parseRetryAfter('120', undefined, NOW), 120);
    assert.equal(parseRetryAfter(' 0 ', undefined, NOW), 0);
  });

  test('an HTTP-date, measured from the Date header when present', () => {
    assert.equal(parseRetryAfter('Thu, 26 Nov 2026 13:00:00 GMT', undefined, NOW), 3600);
    // Our clock is an hour fast; the server's Date header says it is 11:00, so the wait is 2 h.
    assert.equal(
      parseRetryAfter('Thu, 26 Nov 2026 13:00:00 GMT', 'Thu, 26 Nov 2026 11:00:00 GMT', NOW),
      7200,
    );
  });

  test('a date in the past means retry now', () => {
    assert.equal(parseRetryAfter('Wed, 25 Nov 2026 12:00:00 GMT', undefined, NOW), 0);
  });

  test('clamps to 24 h', () => {
    assert.equal(parseRetryAfter('999999999', undefined, NOW), MAX_RETRY_AFTER_SECONDS);
    assert.equal(parseRetryAfter('Fri, 26 Nov 2027 12:00:00 GMT', undefined, NOW), MAX_RETRY_AFTER_SECONDS);
  });

  test('garbage, negative and fractional values are undefined', () => {
    for (const value of [undefined, '', '-5', '1.5', '10 seconds', 'soon', '0x10', '1e3']) {
      assert.equal(parseRetryAfter(value, undefined, NOW), undefined, String(value));
    }
  });
});

describe('cacheMaxAgeSeconds', () => {
  test('max-age, among other directives and case', () => {
    assert.equal(cacheMaxAgeSeconds({ cacheControl: 'public, max-age=1800' }), 1800);
    assert.equal(cacheMaxAgeSeconds({ cacheControl: 'Max-Age="600", must-revalidate' }), 600);
  });

  test('max-age wins over Expires', () => {
    assert.equal(
      cacheMaxAgeSeconds({ cacheControl: 'max-age=60', expires: 'Thu, 26 Nov 2026 14:00:00 GMT', now: NOW }),
      60,
    );
  });

  test('Expires, measured from the Date header, else from now', () => {
    const expires = 'Thu, 26 Nov 2026 12:30:00 GMT';
    assert.equal(cacheMaxAgeSeconds({ expires, now: NOW }), 1800);
    assert.equal(cacheMaxAgeSeconds({ expires, date: 'Thu, 26 Nov 2026 12:20:00 GMT', now: NOW }), 600);
  });

  test('no promise of freshness: no-cache, no-store, zero, past or invalid Expires', () => {
    assert.equal(cacheMaxAgeSeconds({ cacheControl: 'no-cache, max-age=600' }), undefined);
    assert.equal(cacheMaxAgeSeconds({ cacheControl: 'no-store' }), undefined);
    assert.equal(cacheMaxAgeSeconds({ cacheControl: 'max-age=0' }), undefined);
    assert.equal(cacheMaxAgeSeconds({ cacheControl: 'max-age=-1' }), undefined);
    assert.equal(cacheMaxAgeSeconds({ expires: '0', now: NOW }), undefined);
    assert.equal(cacheMaxAgeSeconds({ expires: 'Wed, 25 Nov 2026 12:00:00 GMT', now: NOW }), undefined);
    assert.equal(cacheMaxAgeSeconds({}), undefined);
  });

  test('clamps a year-long max-age to 24 h', () => {
    assert.equal(cacheMaxAgeSeconds({ cacheControl: 'max-age=31536000' }), 86400);
  });
});
