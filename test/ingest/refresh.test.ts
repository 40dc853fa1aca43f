import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { compileRules } from '../../src/content/rules.js';
import { type FeedReader, inlineReader, ParsePool } from '../../src/ingest/parse-pool.js';
import { refreshAll } from '../../src/ingest/refresh-all.js';
import type { IngestDeps } from '../../src/ingest/refresh-source.js';
import { openStore, type Store } from '../../src/store/index.js';
import { type FeedServer, type Route, rssFeed, startFeedServer, testIngestDeps } from './feed-server.js';

let server: FeedServer;
let dir: string;
const routes = new Map<string, Route>([
  ['/a.xml', { body: rssFeed('alpha', 5) }],
  ['/b.xml', { body: rssFeed('beta', 3, '&lt;script&gt;alert(1)&lt;/script&gt;') }],
  ['/broken.xml', { body: '<rss><channel><title>x</title><item><title>half' }],
  ['/notfeed', { body: 'just text', contentType: 'text/plain' }],
  ['/gone.xml', { status: 410, body: 'gone' }],
  [
    '/page.html',
    {
      body: '<html><head><link rel="alternate" type="application/rss+xml" href="/a2.xml"></head></html>',
      contentType: 'text/html',
    },
  ],
  ['/a2.xml', { body: rssFeed('gamma', 2) }],
]);

before(async () => {
  server = await startFeedServer(routes);
  dir = mkdtempSync(join(tmpdir(), 'tributary-ingest-'));
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function setup(
  name: string,
  paths: string[],
  reader: FeedReader = inlineReader,
): Promise<{ store: Store; deps: IngestDeps }> {
  const store = await openStore(join(dir, `${name}.db`));
  await store.migrate();
  for (const p of paths) await store.addSource({ url: server.url(p) });
  return { store, deps: { ...testIngestDeps(store), reader } };
}

/** The pipeline reads feeds on this thread (tests, `parse_threads: 0`) or on a ParsePool's threads. */
const readers: [string, () => FeedReader][] = [
  ['on the main thread', () => inlineReader],
  ['on parse threads', () => new ParsePool(2)],
];

for (const [where, makeReader] of readers) {
  test(`a refresh stores every item once, sanitized, and a second pass is all 304s with nothing new (${where})`, async () => {
    const reader = makeReader();
    const { store, deps } = await setup(`basic ${where}`, ['/a.xml', '/b.xml'], reader);
    const first = await refreshAll(deps, await store.listSources(), { concurrency: 4 });
    assert.equal(first.ok, 2);
    assert.equal(first.newEntries, 8);
    const { entries } = await store.river({ limit: 50 });
    assert.equal(entries.length, 8);
    for (const e of entries) assert.ok(!/<script/i.test(e.item.content_html ?? ''), e.item.content_html);
    const second = await refreshAll(deps, await store.listSources(), { concurrency: 4 });
    assert.equal(second.notModified, 2);
    assert.equal(second.newEntries, 0);
    assert.equal((await store.stats()).entries, 8);
    await store.close();
    await reader.close();
  });

  test(`broken, non-feed and gone sources fail on their own, with reasons, and never stop the others (${where})`, async () => {
    const reader = makeReader();
    const { store, deps } = await setup(
      `mixed ${where}`,
      ['/broken.xml', '/notfeed', '/gone.xml', '/a.xml', '/missing.xml'],
      reader,
    );
    const summary = await refreshAll(deps, await store.listSources(), { concurrency: 2 });
    assert.equal(summary.newEntries, 5 + 1); // a.xml, plus what the truncated feed still held
    const byPath = new Map(summary.results.map((r) => [new URL(r.source.url).pathname, r]));
    assert.equal(byPath.get('/a.xml')!.outcome, 'ok');
    assert.equal(byPath.get('/broken.xml')!.outcome, 'ok'); // recovered (bozo), its one item kept
    assert.match(byPath.get('/notfeed')!.error ?? '', /notfeed/);
    assert.equal(byPath.get('/gone.xml')!.outcome, 'gone');
    assert.match(byPath.get('/missing.xml')!.error ?? '', /404/);
    const sources = new Map((await store.listSources()).map((s) => [new URL(s.url).pathname, s]));
    assert.equal(sources.get('/gone.xml')!.status, 'gone');
    assert.equal(sources.get('/gone.xml')!.nextFetchAt, undefined);
    assert.equal(sources.get('/missing.xml')!.errorCount, 1);
    assert.ok(sources.get('/missing.xml')!.nextFetchAt! > new Date());
    await store.close();
    await reader.close();
  });

  test(`a page URL is resolved to the feed it advertises (one fetch of the page), and that feed is polled from then on (${where})`, async () => {
    const reader = makeReader();
    const { store, deps } = await setup(`discover ${where}`, ['/page.html'], reader);
    const pageHits = server.hits.get('/page.html') ?? 0;
    const summary = await refreshAll(deps, await store.listSources(), { concurrency: 1 });
    assert.equal(summary.newEntries, 2);
    const [source] = await store.listSources();
    assert.equal(source!.options.feedUrl, server.url('/a2.xml'));
    // The page fetched to refresh the source is the one searched for feeds: it is not fetched again.
    const before = server.hits.get('/page.html');
    assert.equal(before, pageHits + 1);
    await refreshAll(deps, await store.listSources(), { concurrency: 1 });
    assert.equal(server.hits.get('/page.html'), before);
    await store.close();
    await reader.close();
  });
}

test('a feed that repeats a GUID, fetched again unchanged, writes nothing but its fetch-log row', async () => {
  // Two items share a guid (the same post listed twice, with different text); the channel's build date
  // changes on every fetch, so the server sends the feed anew each time.
  const feed = (built: string) =>
    rssFeed('delta', 3)
      .replace('<channel>', `<channel><lastBuildDate>${built}</lastBuildDate>`)
      .replaceAll('https://delta.example/posts/1<', 'https://delta.example/posts/0<');
  routes.set('/repeats.xml', { body: feed('Sat, 01 Jun 2024 00:00:00 GMT') });
  const { store, deps } = await setup('repeats', ['/repeats.xml']);
  const first = await refreshAll(deps, await store.listSources(), { concurrency: 1 });
  assert.deepEqual([first.newEntries, first.updatedEntries], [2, 0]);
  routes.set('/repeats.xml', { body: feed('Sat, 01 Jun 2024 01:00:00 GMT') });
  const second = await refreshAll(deps, await store.listSources(), { concurrency: 1 });
  assert.deepEqual([second.ok, second.newEntries, second.updatedEntries], [1, 0, 0]);
  const [source] = await store.listSources();
  assert.deepEqual(
    (await store.fetchLog(new Date(0), source!.id)).map((r) => [r.outcome, r.newCount, r.updatedCount]),
    [
      ['ok', 2, 0],
      ['ok', 0, 0],
    ],
  );
  await store.close();
});

test('global and per-source rules apply at ingest: excluded posts are never stored, rewrites are', async () => {
  const { store, deps } = await setup('rules', ['/a.xml']);
  const [source] = await store.listSources();
  await store.addSource({
    url: source!.url,
    options: { rules: [{ rewrite: { pattern: 'Body', replace: 'Text' } }] },
  });
  const summary = await refreshAll(
    { ...deps, rules: compileRules([{ exclude: { title: 'post [34]$' } }]) },
    await store.listSources(),
    { concurrency: 1 },
  );
  assert.equal(summary.newEntries, 3);
  const { entries } = await store.river({ limit: 10 });
  assert.deepEqual(entries.map((e) => e.item.title).sort(), ['alpha post 0', 'alpha post 1', 'alpha post 2']);
  for (const e of entries) assert.match(e.item.content_html ?? '', /Text \d of alpha/);
  await store.close();
});
