import assert from 'node:assert/strict';
import { test } from 'node:test';
import { afterWalk } from '../../src/store/postgres/search-plan.js';

test('after a first walk short of the wanted matches: done, a wider walk, or the index', () => {
  const wanted = 1000;
  const window = 20_000;
  assert.equal(afterWalk({ found: 7, window, top: 15_000, wanted }), 'done', 'the walk covered every post');
  assert.equal(afterWalk({ found: 0, window, top: 10_000_000, wanted }), 'index', 'nothing to judge by');
  // A word in 1 post in 100 of 10,000,000: 100,000 matches through the index, or about 100,000 posts walked.
  assert.deepEqual(afterWalk({ found: 200, window, top: 10_000_000, wanted }), { walk: 200_000 });
  // In 1 post in 1,000 of them: 10,000 matches through the index beat a million posts walked.
  assert.equal(afterWalk({ found: 20, window, top: 10_000_000, wanted }), 'index');
  // In 1 post in 25 of 45,000: the wider walk (twice the 25,000 posts estimated) stops at the oldest post.
  assert.deepEqual(afterWalk({ found: 800, window, top: 45_000, wanted }), { walk: 45_000 });
});
