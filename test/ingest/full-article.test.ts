import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MAX_ARTICLES_PER_REFRESH } from '../../src/ingest/full-article.js';
import { refreshAll } from '../../src/ingest/refresh-all.js';
import type { IngestDeps } from '../../src/ingest/refresh-source.js';
import { syncSources } from '../../src/ingest/sync-sources.js';
import { openStore, type Store } from '../../src/store/index.js';
import { articlePage, type FeedServer, type Route, startFeedServer, testIngestDeps } from './feed-server.js';

let server: FeedServer;
const routes = new Map<string, Route>();

/** RSS whose items carry one-sentence excerpts and link to `/<prefix>/<i>`. */
function excerptFeed(prefix: string, count: number): string {
  const items = Array.from({ length: count }, (_, i) => {
    const link = server.url(`/${prefix}/${i}`);
    return `<item><title>${prefix} ${i}</title><link>${link}</link><guid>${link}</guid>
      <description>&lt;p&gt;Excerpt ${i} of ${prefix}…&lt;/p&gt;</description></item>`;
  }).join('');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>${prefix}</title><link>${server.url('/')}</link>${items}</channel></rss>`;
}

function serve(prefix: string, count: number): void {
  routes.set(`/${prefix}.xml`, { body: excerptFeed(prefix, count) });
  for (let i = 0; i < count; i++)
    routes.set(`/${prefix}/${i}`, { body: articlePage(i), contentType: 'text/html; charset=utf-8' });
}

before(async () => {
  server = await startFeedServer(routes);
});
after(() => server.close());

async function setup(
  sources: { path: string; fullArticle: boolean }[],
): Promise<{ store: Store; deps: IngestDeps }> {
  const store = await openStore(':memory:');
  await store.migrate();
  // As the config file gives them (`full_article: true` in a source's entry).
  await syncSources(
    store,
    sources.map((s) => ({ url: server.url(s.path), ...(s.fullArticle && { full_article: true }) })),
  );
  return { store, deps: testIngestDeps(store) };
}

async function storedByTitle(store: Store): Promise<Map<string, { content: string; summary?: string }>> {
  const { entries } = await store.river({ limit: 100 });
  return new Map(
    entries.map((e) => [e.item.title ?? '', { content: e.item.content_html ?? '', summary: e.item.summary }]),
  );
}

test('an opted-in source stores the full articles, sanitized, with the excerpt as summary; others are untouched', async () => {
  serve('full', 2);
  serve('plain', 2);
  const { store, deps } = await setup([
    { path: '/full.xml', fullArticle: true },
    { path: '/plain.xml', fullArticle: false },
  ]);
  const summary = await refreshAll(deps, await store.listSources(), { concurrency: 2 });
  assert.equal(summary.newEntries, 4);
  const stored = await storedByTitle(store);

  const full = stored.get('full 1')!;
  assert.match(full.content, /Paragraph 4 of article 1: the full text/);
  assert.doesNotMatch(full.content, /<script|article script|Comment: nice one|About this blog/);
  assert.match(full.content, new RegExp(`href="${server.url('/full/related')}"`));
  assert.match(full.summary ?? '', /Excerpt 1 of full/);

  const plain = stored.get('plain 1')!;
  assert.match(plain.content, /Excerpt 1 of plain/);
  assert.doesNotMatch(plain.content, /Paragraph/);
  assert.equal(server.hits.get('/plain/1'), undefined, 'no article fetched for a source without the option');
  await store.close();
});

test('a failing or article-less page keeps the excerpt; the other items still get their article', async () => {
  serve('mixed', 3);
  routes.set('/mixed/0', { status: 404, body: 'not found', contentType: 'text/html' });
  routes.set('/mixed/1', {
    body: '<html><body><a href="/">Home</a></body></html>',
    contentType: 'text/html',
  });
  const { store, deps } = await setup([{ path: '/mixed.xml', fullArticle: true }]);
  const summary = await refreshAll(deps, await store.listSources(), { concurrency: 1 });
  assert.equal(summary.ok, 1);
  const stored = await storedByTitle(store);
  assert.match(stored.get('mixed 0')!.content, /Excerpt 0 of mixed/);
  assert.match(stored.get('mixed 1')!.content, /Excerpt 1 of mixed/);
  assert.match(stored.get('mixed 2')!.content, /Paragraph 1 of article 2/);
  await store.close();
});

test('articles already stored are neither fetched again nor overwritten when the feed changes', async () => {
  serve('again', 2);
  const { store, deps } = await setup([{ path: '/again.xml', fullArticle: true }]);
  await refreshAll(deps, await store.listSources(), { concurrency: 1 });
  assert.equal(server.hits.get('/again/0'), 1);
  serve('again', 3); // a new item: the feed is served anew (200, not 304)
  const second = await refreshAll(deps, await store.listSources(), { concurrency: 1 });
  assert.equal(second.ok, 1);
  assert.equal(second.newEntries, 1);
  assert.equal(server.hits.get('/again/0'), 1, 'stored article not refetched');
  assert.equal(server.hits.get('/again/2'), 1, 'the new item fetched');
  const stored = await storedByTitle(store);
  assert.match(stored.get('again 0')!.content, /Paragraph 4 of article 0/);
  assert.match(stored.get('again 2')!.content, /Paragraph 4 of article 2/);
  await store.close();
});

test(`at most ${MAX_ARTICLES_PER_REFRESH} article pages are fetched per source per refresh`, async () => {
  const count = MAX_ARTICLES_PER_REFRESH + 2;
  serve('many', count);
  const { store, deps } = await setup([{ path: '/many.xml', fullArticle: true }]);
  await refreshAll(deps, await store.listSources(), { concurrency: 1 });
  const fetched = Array.from({ length: count }, (_, i) => server.hits.get(`/many/${i}`) ?? 0);
  assert.equal(
    fetched.reduce((a, b) => a + b, 0),
    MAX_ARTICLES_PER_REFRESH,
  );
  assert.equal((await store.stats()).entries, count, 'items past the cap are stored with their excerpt');

  serve('many', count + 1); // one more item: the feed comes anew, and the items left over get their turn
  await refreshAll(deps, await store.listSources(), { concurrency: 1 });
  const hits = Array.from({ length: count + 1 }, (_, i) => server.hits.get(`/many/${i}`) ?? 0);
  assert.deepEqual(
    hits,
    Array(count + 1).fill(1),
    'each article fetched exactly once over the two refreshes',
  );
  const stored = await storedByTitle(store);
  assert.match(stored.get(`many ${count - 1}`)!.content, /Paragraph 4 of article/);
  await store.close();
});

test('items that share a guid keep their own articles when the feed comes again', async () => {
  serve('shared', 2);
  const sharedGuid = (body: string) => body.replace(/<guid>[^<]*<\/guid>/g, '<guid>urn:shared</guid>');
  routes.set('/shared.xml', { body: sharedGuid(excerptFeed('shared', 2)) });
  const { store, deps } = await setup([{ path: '/shared.xml', fullArticle: true }]);
  assert.equal((await refreshAll(deps, await store.listSources(), { concurrency: 1 })).newEntries, 2);
  serve('shared', 3);
  routes.set('/shared.xml', { body: sharedGuid(excerptFeed('shared', 3)) });
  const second = await refreshAll(deps, await store.listSources(), { concurrency: 1 });
  assert.deepEqual([second.newEntries, second.updatedEntries], [1, 0]);
  const stored = await storedByTitle(store);
  for (const i of [0, 1, 2]) assert.match(stored.get(`shared ${i}`)!.content, new RegExp(`article ${i}:`));
  await store.close();
});
