import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FeedError } from '../src/index.js';

test('FeedError carries its code and advertised feeds', () => {
  const e = new FeedError('html-page', 'an HTML page', [{ url: 'https://example.org/feed' }]);
  assert.equal(e.code, 'html-page');
  assert.equal(e.feedLinks[0]?.url, 'https://example.org/feed');
  assert.ok(e instanceof Error);
});
