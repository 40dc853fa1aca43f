import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { createServer } from '../../src/server/index.js';
import { NOW, SITE, tempStore } from '../publish/fixtures.js';
import { listen, mainOf, request } from './helpers.js';

test('/sources and /sources/<id> tell the operator a feed moved (update the config) and a source retired', async () => {
  const { store, dir } = await tempStore();
  const { base, close } = await listen(createServer({ store, site: SITE, now: () => NOW }));
  try {
    const moved = await store.addSource({ url: 'https://blog.example.org/old-feed', name: 'Moved blog' });
    const gone = await store.addSource({ url: 'https://left.example.net/rss', name: 'Left the config' });
    for (const hour of [1, 2]) {
      await store.commitFetch(moved.id, {
        outcome: 'ok',
        fetchedAt: new Date(NOW.getTime() - hour * 3_600_000),
        items: [],
        httpStatus: 200,
        permanentRedirect: 'https://blog.example.org/feed.xml',
      });
    }
    await store.retireSources([gone.id], NOW);

    const list = mainOf((await request(`${base}/sources`)).text);
    assert.match(list, /moved permanently to https:\/\/blog\.example\.org\/feed\.xml; update your config/);
    assert.match(list, /<dd class="status-retired">retired<\/dd>/);
    assert.match(list, /no longer in the config, not polled; its posts stay until purged/);
    const page = mainOf((await request(`${base}/sources/${moved.id}`)).text);
    assert.match(page, /moved permanently to https:\/\/blog\.example\.org\/feed\.xml; update your config/);
    assert.match(
      page,
      /<a href="https:\/\/blog\.example\.org\/feed\.xml">feed<\/a>/,
      'the feed link is where it lives now',
    );
  } finally {
    await close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
