/**
 * `/sources` at scale: 5,000 sources in every state behind a real server. Pages hold at most 100 cards and
 * 300 KB, come failing and slowest first, visit every source once, and filter by status and by name or URL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { syncSources } from '../../src/ingest/sync-sources.js';
import { createServer } from '../../src/server/index.js';
import type { FetchCheckpoint, Source, SourceId, Store } from '../../src/store/index.js';
import { backends } from '../store/backends.js';
import { listen, mainOf, request } from './helpers.js';

const NOW = new Date('2024-05-10T12:00:00Z');
const SOURCES = 5000;
const url = (i: number) => `https://host${i % 50}.example/feed/${i}.xml`;
const RANK: Record<string, number> = { error: 0, gone: 1, active: 2, paused: 3, retired: 4 };

/** The state of source i: every 17th failing, every 101st gone, every 3rd fetched fine, the last 200 retired. */
function checkpoint(i: number): FetchCheckpoint | undefined {
  const fetchedAt = new Date(NOW.getTime() - (i % 50) * 60_000);
  const durationMs = (i * 7919) % 30_000;
  if (i % 17 === 0) return { outcome: 'failed', fetchedAt, durationMs, error: `HTTP 500 from ${url(i)}` };
  if (i % 101 === 0) return { outcome: 'gone', fetchedAt, durationMs, httpStatus: 410 };
  if (i % 3 === 0) return { outcome: 'notModified', fetchedAt, durationMs, httpStatus: 304 };
  return undefined;
}

/** What a user expects to see, in order: failing first, then gone, active, retired; slowest first. */
function expectedOrder(sources: Source[]): SourceId[] {
  const rank = (s: Source) => RANK[s.retiredAt ? 'retired' : s.status]!;
  return [...sources]
    .sort((a, b) => rank(a) - rank(b) || (b.lastDurationMs ?? -1) - (a.lastDurationMs ?? -1) || a.id - b.id)
    .map((s) => s.id);
}

const cardIds = (html: string) =>
  [...html.matchAll(/<article class="source" id="source-(\d+)"/g)].map((m) => Number(m[1]));
const nextLink = (html: string) => /<a rel="next" href="([^"]+)">/.exec(html)?.[1]?.replaceAll('&amp;', '&');

for (const backend of backends()) {
  describe(backend.name, { skip: backend.skip }, () => {
    let store: Store;
    let base: string;
    let close: () => Promise<void>;
    let sources: Source[];

    before(async () => {
      store = await backend.open();
      const config = Array.from({ length: SOURCES }, (_, i) => ({ url: url(i), name: `Feed ${i}` }));
      await syncSources(store, config, NOW);
      const ids = (await store.listSources()).map((s) => s.id);
      for (let i = 0; i < SOURCES; i += 500) {
        await Promise.all(
          ids.slice(i, i + 500).map((id, j) => {
            const cp = checkpoint(i + j);
            return cp && store.commitFetch(id, cp);
          }),
        );
      }
      await syncSources(store, config.slice(0, SOURCES - 200), NOW);
      sources = await store.listSources();
      ({ base, close } = await listen(createServer({ store, site: { title: 'Scale' }, now: () => NOW })));
    });
    after(async () => {
      await close();
      await store.close();
    });

    test('counts by status, then the first page: failing and slowest first, 50 cards, a short max-age', async () => {
      const reply = await request(`${base}/sources`);
      assert.equal(reply.status, 200);
      assert.equal(reply.headers['cache-control'], 'public, max-age=10');
      const html = mainOf(reply.text);
      const count = (status: string) =>
        sources.filter((s) => (s.retiredAt ? 'retired' : s.status) === status).length;
      assert.match(html, new RegExp(`<p class="intro">${SOURCES - 200} feeds flow into this river.</p>`));
      for (const status of ['error', 'gone', 'active', 'paused', 'retired'])
        assert.match(html, new RegExp(`${count(status)} ${status}</a>`), status);
      assert.deepEqual(cardIds(html), expectedOrder(sources).slice(0, 50));
      assert.equal([...html.matchAll(/<svg /g)].length, 50, 'charts for the cards shown only');
    });

    test('following "Next page" at 100 a page visits every source once, in order, each page under 300 KB', async () => {
      const seen: number[] = [];
      let path: string | undefined = '/sources?size=100';
      let largest = 0;
      while (path) {
        const reply = await request(base + path);
        assert.equal(reply.status, 200, path);
        largest = Math.max(largest, reply.body.length);
        const ids = cardIds(reply.text);
        assert.ok(ids.length <= 100);
        seen.push(...ids);
        path = nextLink(reply.text);
      }
      assert.deepEqual(seen, expectedOrder(sources));
      assert.ok(largest <= 300 * 1024, `largest page ${largest} bytes`);
    });

    test('filters: a status, a name or URL, both; pages of a filter keep it', async () => {
      const failing = sources.filter((s) => s.status === 'error' && !s.retiredAt);
      const seen: number[] = [];
      let path: string | undefined = '/sources?status=error&size=40';
      while (path) {
        const html = (await request(base + path)).text;
        seen.push(...cardIds(html));
        path = nextLink(html);
        if (path) assert.match(path, /status=error/);
      }
      assert.deepEqual(seen, expectedOrder(failing));

      const retired = cardIds((await request(`${base}/sources?status=retired&size=100`)).text);
      assert.equal(retired.length, 100);
      assert.ok(retired.every((id) => sources.find((s) => s.id === id)?.retiredAt));

      // "Feed 123" by name (case-insensitive), host7 by URL, "100%" taken literally.
      const byName = cardIds((await request(`${base}/sources?q=${encodeURIComponent('feed 1234')}`)).text);
      assert.deepEqual(byName, [sources.find((s) => s.name === 'Feed 1234')!.id]);
      const byUrl = cardIds((await request(`${base}/sources?q=host7.example&status=active&size=100`)).text);
      const host7 = sources.filter(
        (s) => s.url.includes('host7.example') && s.status === 'active' && !s.retiredAt,
      );
      assert.deepEqual(byUrl, expectedOrder(host7).slice(0, 100));
      const none = (await request(`${base}/sources?q=${encodeURIComponent('100%')}`)).text;
      assert.deepEqual(cardIds(none), []);
      assert.match(none, /No sources match/);
    });

    test('a status, size or cursor the site does not make is a 404', async () => {
      for (const query of ['status=broken', 'size=101', 'size=0', 'size=ten', 'after=zz', 'after=-1_2'])
        assert.equal((await request(`${base}/sources?${query}`)).status, 404, query);
    });
  });
}
