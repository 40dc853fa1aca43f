/**
 * Options Tributary learns about a source (the feed behind a page, a WebSub subscription) are written by
 * different processes at once: each write must leave the others' in place. On every store backend.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { closeDispatchers } from '../../src/fetch/index.js';
import { refreshSource } from '../../src/ingest/refresh-source.js';
import type { Subscription } from '../../src/store/index.js';
import { backends } from '../store/backends.js';
import { type FeedServer, type Route, rssFeed, startFeedServer, testIngestDeps } from './feed-server.js';

const routes = new Map<string, Route>();
let server: FeedServer;
before(async () => {
  server = await startFeedServer(routes);
  routes.set('/blog/', {
    body: '<html><head><link rel="alternate" type="application/rss+xml" href="/blog/feed.xml"></head></html>',
    contentType: 'text/html',
  });
  routes.set('/blog/feed.xml', { body: rssFeed('blog', 2) });
});
after(async () => {
  await server.close();
  await closeDispatchers();
});

const subscription: Subscription = {
  hub: 'https://hub.example/',
  topic: 'https://blog.example/feed.xml',
  token: 'token',
  secret: 'secret',
  state: 'active',
  requestedAt: '2024-06-01T00:00:00.000Z',
  verifiedAt: '2024-06-01T00:00:01.000Z',
  leaseSeconds: 86_400,
};

for (const backend of backends()) {
  describe(backend.name, { skip: backend.skip }, () => {
    test('a hub verification recorded while a refresh discovers the feed behind a page: both are kept', async () => {
      const store = await backend.open();
      const claimed = await store.addSource({ url: server.url('/blog/'), options: { full_article: false } });
      // The web server records the hub's verification after the worker took its copy of the source.
      await store.setLearned(claimed.id, 'websub', subscription);
      const result = await refreshSource(testIngestDeps(store), claimed);
      assert.equal(result.newCount, 2);
      assert.deepEqual((await store.getSource(claimed.id))?.options, {
        full_article: false,
        feedUrl: server.url('/blog/feed.xml'),
        websub: subscription,
      });
      await store.close();
    });

    test('setLearned sets or removes one key, and never brings back a purged source', async () => {
      const store = await backend.open();
      const source = await store.addSource({ url: 'https://blog.example/', options: { rules: [] } });
      await Promise.all([
        store.setLearned(source.id, 'feedUrl', 'https://blog.example/feed.xml'),
        store.setLearned(source.id, 'websub', subscription),
      ]);
      assert.deepEqual((await store.getSource(source.id))?.options, {
        rules: [],
        feedUrl: 'https://blog.example/feed.xml',
        websub: subscription,
      });
      const after = await store.setLearned(source.id, 'websub', undefined);
      assert.deepEqual(after?.options, { rules: [], feedUrl: 'https://blog.example/feed.xml' });
      await store.purgeSource(source.id);
      assert.equal(await store.setLearned(source.id, 'feedUrl', 'https://blog.example/feed.xml'), undefined);
      assert.deepEqual(await store.listSources(), []);
      await store.close();
    });
  });
}
