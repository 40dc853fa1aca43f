import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dateLabels, monthLabel, monthOf, monthStart, nextMonth } from '../../src/publish/index.js';

test('a month begins at midnight on the 1st where the site is, and a post is filed under the month of its day', () => {
  const iso = (ms: number) => new Date(ms).toISOString();
  assert.equal(iso(monthStart({ year: 2024, month: 5 })), '2024-05-01T00:00:00.000Z');
  assert.equal(iso(monthStart({ year: 2024, month: 5 }, 'Europe/Paris')), '2024-04-30T22:00:00.000Z');
  assert.equal(iso(monthStart({ year: 2024, month: 1 }, 'Europe/Paris')), '2023-12-31T23:00:00.000Z');
  assert.equal(iso(monthStart({ year: 2024, month: 11 }, 'America/New_York')), '2024-11-01T04:00:00.000Z');
  assert.equal(iso(monthStart({ year: 2024, month: 4 }, 'Australia/Lord_Howe')), '2024-03-31T13:00:00.000Z');
  const lateApril = new Date('2024-04-30T23:30:00Z');
  assert.deepEqual(monthOf(lateApril, dateLabels()), { year: 2024, month: 4 });
  assert.deepEqual(monthOf(lateApril, dateLabels('Europe/Paris')), { year: 2024, month: 5 });
  assert.deepEqual(nextMonth({ year: 2024, month: 12 }), { year: 2025, month: 1 });
  assert.equal(monthLabel({ year: 2024, month: 5 }), 'May 2024');
});
