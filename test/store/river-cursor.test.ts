import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeRiverCursor, encodeRiverCursor } from '../../src/store/river-cursor.js';

test('river cursors round-trip through a URL token, including dates before 1970', () => {
  for (const cursor of [
    { publishedMs: Date.parse('2024-05-01T12:00:00Z'), id: 12345 },
    { publishedMs: -86_400_000, id: 1 },
  ]) {
    const token = encodeRiverCursor(cursor);
    assert.match(token, /^[-0-9a-z_]+$/);
    assert.deepEqual(decodeRiverCursor(token), cursor);
  }
});

test('tokens the store did not make decode to undefined', () => {
  for (const token of ['', 'abc', '1_', '_1', '1_2_3', 'ZZ_1', '1;drop_1'])
    assert.equal(decodeRiverCursor(token), undefined, token);
});
