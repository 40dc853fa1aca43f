import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ResponseCache } from '../../src/server/response-cache.js';
import type { Resource } from '../../src/server/site.js';

test('a page is kept no longer than its max-age, however slow its render made the time-to-live', async () => {
  let clock = 0;
  let renders = 0;
  // A time-to-live of an hour (a slow page, under the default rule of 100 × the render time)...
  const cache = new ResponseCache({ ttl: () => 3_600_000, maxEntries: 8, clock: () => clock });
  const render = (cacheControl: string) => async (): Promise<Resource> => ({
    status: 200,
    contentType: 'text/html',
    body: `render ${++renders}`,
    cacheControl,
  });
  const body = async (key: string, cacheControl: string) =>
    (await cache.get(key, render(cacheControl))).variant('identity').body.toString();

  assert.equal(await body('sources', 'public, max-age=10'), 'render 1');
  clock = 9_999;
  assert.equal(await body('sources', 'public, max-age=10'), 'render 1', 'fresh within its max-age');
  clock = 10_000;
  // ...is rendered again once its max-age is over, so two replicas never show states further apart.
  assert.equal(await body('sources', 'public, max-age=10'), 'render 2');
  assert.equal(await body('gone', 'no-cache'), 'render 3');
  assert.equal(await body('gone', 'no-cache'), 'render 4', 'no-cache: never served from memory');
});
