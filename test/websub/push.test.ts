/**
 * Pushed content on loopback, on every store backend: a feed that advertises a hub, the hub (./hub.ts), the
 * site's callback, and the same source refreshed by polling. A push is one more way bytes arrive: it must
 * become what a poll of the same feed would store.
 */
import assert from 'node:assert/strict';
import type http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { closeDispatchers } from '../../src/fetch/index.js';
import { ingestPush } from '../../src/ingest/push.js';
import { type IngestDeps, refreshSource } from '../../src/ingest/refresh-source.js';
import { createServer } from '../../src/server/index.js';
import type { Source, Store } from '../../src/store/index.js';
import { createWebSubCallback, signBody, subscriptionOf } from '../../src/websub/index.js';
import {
  articlePage,
  type FeedServer,
  type Route,
  startFeedServer,
  testIngestDeps,
} from '../ingest/feed-server.js';
import { backends } from '../store/backends.js';
import { closeServer, listen, startHub } from './hub.js';

interface Post {
  n: number;
  /** Atom `updated`, hours after 2026-11-20T00:00Z. */
  hour?: number;
  /** The entry's text; an excerpt (a one-line summary) when absent. */
  content?: string;
}

for (const backend of backends()) {
  describe(`pushed content (${backend.name})`, { skip: backend.skip }, () => {
    const routes = new Map<string, Route>();
    const hub = startHub();
    let feeds: FeedServer;
    let site: http.Server;
    let siteUrl: string;
    let store: Store;
    let deps: IngestDeps;

    /** A feed at `<dir>.xml` advertising `hub`; each entry links to its page, `<dir>/posts/<n>`. */
    const atom = (dir: string, posts: Post[], hub = hubUrl) => {
      const entries = posts.map(
        ({ n, hour = 0, content }) => `<entry><id>urn:post:${n}</id><title>Post ${n}</title>
          <link href="${feeds.url(`${dir}/posts/${n}`)}"/>
          <updated>${new Date(Date.UTC(2026, 10, 20, hour)).toISOString()}</updated>
          ${content ? `<content type="html">${content}</content>` : `<summary>Excerpt of post ${n}…</summary>`}</entry>`,
      );
      return `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><id>urn:feed</id><title>Pushed</title>
        <updated>2026-11-20T00:00:00Z</updated><link rel="hub" href="${hub}"/>${entries.join('')}</feed>`;
    };
    let hubUrl: string;

    before(async () => {
      feeds = await startFeedServer(routes);
      for (const n of [0, 1, 2])
        routes.set(`/posts/${n}`, { body: articlePage(n), contentType: 'text/html' });
      hubUrl = `${await listen(hub.server)}/hub`;
      store = await backend.open();
      deps = { ...testIngestDeps(store) };
      site = createServer({
        store,
        site: { title: 'Planet', url: 'http://planet.example.test/' },
        websub: createWebSubCallback({
          store,
          ingest: (source, pushed) => ingestPush(deps, source, pushed),
          log: deps.log,
        }),
        cacheTtlMs: 0,
      });
      siteUrl = await listen(site);
      deps.websub = { callbackBase: siteUrl, leaseSeconds: 86_400 };
    });

    after(async () => {
      for (const server of [hub.server, site]) await closeServer(server);
      await feeds.close();
      await store.close();
      await closeDispatchers();
    });

    /** A new source at `<dir>.xml`, polled once: subscribed, its first posts stored. */
    async function subscribedSource(dir: string, posts: Post[], options = {}): Promise<Source> {
      const source = await polledSource(dir, atom(dir, posts), options);
      assert.equal(subscriptionOf((await store.getSource(source.id))!)?.state, 'active');
      return source;
    }

    async function polledSource(dir: string, feed: string, options = {}): Promise<Source> {
      routes.set(`${dir}.xml`, { body: feed, contentType: 'application/atom+xml' });
      const source = await store.addSource({ url: feeds.url(`${dir}.xml`), options });
      const polled = await refreshSource(deps, source);
      assert.equal(polled.outcome, 'ok', polled.error);
      return source;
    }

    /** POSTs `body` to the source's callback, as the hub would, signed when the hub was given a secret. */
    async function push(source: Source, body: string): Promise<number> {
      const sub = subscriptionOf((await store.getSource(source.id))!)!;
      const reply = await fetch(`${siteUrl}/websub/${source.id}/${sub.token}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/atom+xml',
          ...(sub.secret && { 'x-hub-signature-256': signBody(body, sub.secret) }),
        },
        body,
      });
      return reply.status;
    }

    const stored = async (source: Source) => {
      const { entries } = await store.river({ sourceId: source.id, limit: 50 });
      return new Map(entries.map((e) => [e.item.title, e.item]));
    };

    test('a push to a full_article source stores articles, as a poll does; the next poll changes nothing', async () => {
      for (const n of [0, 1])
        routes.set(`/full/posts/${n}`, { body: articlePage(n), contentType: 'text/html' });
      const source = await subscribedSource('/full', [{ n: 0 }], { full_article: true });
      assert.match((await stored(source)).get('Post 0')?.content_html ?? '', /Paragraph 4 of article 0:/);

      const now = atom('/full', [{ n: 1 }, { n: 0 }]);
      routes.set('/full.xml', { body: now, contentType: 'application/atom+xml' });
      assert.equal(await push(source, now), 204);
      const pushed = await stored(source);
      assert.match(pushed.get('Post 0')?.content_html ?? '', /Paragraph 4 of article 0:/);
      assert.match(pushed.get('Post 1')?.content_html ?? '', /Paragraph 4 of article 1:/);
      assert.match(pushed.get('Post 1')?.summary ?? '', /Excerpt of post 1/);
      assert.equal(feeds.hits.get('/full/posts/0'), 1, 'a stored article is not fetched again');

      const polled = await refreshSource(deps, (await store.getSource(source.id))!);
      assert.deepEqual([polled.outcome, polled.newCount, polled.updatedCount], ['ok', 0, 0]);
      assert.deepEqual(await stored(source), pushed);
    });

    test('a replayed push older by its updated date leaves the newer text; a newer date wins', async () => {
      const source = await subscribedSource('/dated', [{ n: 0, hour: 1, content: 'First text' }]);
      const text = async () => (await stored(source)).get('Post 0')?.content_html;
      assert.equal(await push(source, atom('/dated', [{ n: 0, hour: 2, content: 'Second text' }])), 204);
      assert.equal(await text(), 'Second text');
      assert.equal(await push(source, atom('/dated', [{ n: 0, hour: 1, content: 'First text' }])), 204);
      assert.equal(await text(), 'Second text');
      assert.equal(await push(source, atom('/dated', [{ n: 0, hour: 3, content: 'First text' }])), 204);
      assert.equal(await text(), 'First text', 'an earlier text under a newer date is an edit back');
    });

    test('without a newer updated date, a push of a text the entry already had is a replay', async () => {
      const source = await subscribedSource('/same-date', [{ n: 0, content: 'Text A' }]);
      const text = async () => (await stored(source)).get('Post 0')?.content_html;
      for (const [pushed, kept] of [
        ['Text B', 'Text B'],
        ['Text A', 'Text B'],
        ['Text C', 'Text C'],
        ['Text B', 'Text C'],
      ]) {
        assert.equal(await push(source, atom('/same-date', [{ n: 0, content: pushed }])), 204);
        assert.equal(await text(), kept, `after pushing ${pushed}`);
      }
      const log = await store.fetchLog(new Date(0), source.id);
      assert.deepEqual(
        log.map((r) => r.updatedCount),
        [0, 1, 0, 1, 0],
      );
    });

    test('hub.secret goes to https hubs only; pushes from a hub without one are taken on the callback token', async () => {
      const plain = await subscribedSource('/plain-hub', [{ n: 0, content: 'Polled' }]);
      const request = hub.subscribes().at(-1)!.params;
      assert.equal(request.get('hub.topic'), feeds.url('/plain-hub.xml'));
      assert.equal(request.has('hub.secret'), false);
      assert.equal(subscriptionOf((await store.getSource(plain.id))!)?.secret, undefined);
      assert.equal(await push(plain, atom('/plain-hub', [{ n: 0, content: 'Pushed' }])), 204);
      assert.equal((await stored(plain)).get('Post 0')?.content_html, 'Pushed');

      // An https hub (nothing listens there: the request fails after the subscription is recorded).
      const tls = await polledSource('/tls-hub', atom('/tls-hub', [{ n: 0 }], 'https://127.0.0.1:1/hub'));
      const sub = subscriptionOf((await store.getSource(tls.id))!);
      assert.equal(sub?.state, 'pending');
      assert.ok((sub?.secret?.length ?? 0) >= 32);
    });
  });
}
