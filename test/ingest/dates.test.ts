/**
 * Dates readers can trust, checked on the pages a reader opens (river, source page, search, merged feeds,
 * digest) after real refreshes over loopback, on every store backend: a new source's backlog stays off the
 * river, a post from the future is shown when it arrived, an undated post keeps its first-seen time.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ConfigError, loadSettings } from '../../src/config/config.js';
import { closeDispatchers } from '../../src/fetch/index.js';
import { type IngestDeps, refreshSource } from '../../src/ingest/refresh-source.js';
import { createServer } from '../../src/server/index.js';
import type { Source, Store } from '../../src/store/index.js';
import { backends } from '../store/backends.js';
import { closeServer, listen } from '../websub/hub.js';
import { type FeedServer, type Route, startFeedServer, testIngestDeps } from './feed-server.js';

const DAY = 86_400_000;
/** The refreshes' clock: whole seconds, as feeds write dates. */
const NOW = Math.floor(Date.now() / 1000) * 1000;

interface Post {
  title: string;
  /** Days before NOW (negative: in the future); undated when absent. */
  daysAgo?: number;
  body?: string;
  /** The post's URL; one under https://blog.example/<feed path>/ by default. */
  link?: string;
}

const routes = new Map<string, Route>();
let feeds: FeedServer;
const dir = mkdtempSync(join(tmpdir(), 'tributary-dates-'));
before(async () => {
  feeds = await startFeedServer(routes);
});
after(async () => {
  await feeds.close();
  await closeDispatchers();
  rmSync(dir, { recursive: true, force: true });
});

/** Serves the feed `/<path>.xml`; `home` is the site it says it belongs to. */
function serve(path: string, posts: Post[], home = 'https://planet.example/'): void {
  const items = posts.map(({ title, daysAgo, body, link }) => {
    const date =
      daysAgo === undefined ? '' : `<pubDate>${new Date(NOW - daysAgo * DAY).toUTCString()}</pubDate>`;
    const url = link ?? `https://blog.example/${path}/${title.toLowerCase().replaceAll(' ', '-')}`;
    return `<item><title>${title}</title><link>${url}</link>${date}
      <description>${body ?? `Text of ${title}`}</description></item>`;
  });
  routes.set(`/${path}.xml`, {
    body: `<?xml version="1.0"?><rss version="2.0"><channel><title>${path}</title><link>${home}</link>
      ${items.join('')}</channel></rss>`,
  });
}

/** The settings a config file with these `site:` lines gives. */
function siteSettings(lines: string) {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, `site:\n  title: Dates\n${lines}`);
  return loadSettings(file, {}).site;
}

test('site.backlog_days: 14 by default, a positive number of days when given', () => {
  assert.equal(siteSettings('').backlogDays, 14);
  assert.equal(siteSettings('  backlog_days: 3\n').backlogDays, 3);
  assert.throws(() => siteSettings('  backlog_days: none\n'), ConfigError);
  assert.throws(() => siteSettings('  backlog_days: 0\n'), /site\.backlog_days must be a positive number/);
});

for (const backend of backends()) {
  describe(backend.name, { skip: backend.skip }, () => {
    let store: Store;
    let site: http.Server;
    let siteUrl: string;
    let clock = NOW;
    let deps: IngestDeps;

    before(async () => {
      store = await backend.open();
      deps = {
        ...testIngestDeps(store),
        now: () => new Date(clock),
        backlogDays: siteSettings('').backlogDays,
      };
      site = createServer({ store, site: { title: 'Dates', url: 'http://planet.example/' }, cacheTtlMs: 0 });
      siteUrl = await listen(site);
    });
    after(async () => {
      await closeServer(site);
      await store.close();
    });

    const page = async (path: string) => (await fetch(`${siteUrl}${path}`)).text();
    const shows = (text: string, titles: string[]) => titles.filter((t) => text.includes(t));

    async function refreshed(path: string, at: number, source?: Source): Promise<Source> {
      clock = at;
      const subscribed = source ?? (await store.addSource({ url: feeds.url(`/${path}.xml`) }));
      const result = await refreshSource(deps, subscribed);
      assert.equal(result.outcome, 'ok', result.error);
      return subscribed;
    }

    test("a new source's backlog is on its page and in search, not in the river, the merged feeds or the digest", async () => {
      const posts = ['Fresh post', 'Backlog post', 'Undated backlog post', 'Late post', 'Undated new post'];
      serve('backlog', [
        { title: 'Fresh post', daysAgo: 1 },
        { title: 'Backlog post', daysAgo: 20 },
        { title: 'Undated backlog post' },
      ]);
      const source = await refreshed('backlog', NOW);
      for (const path of ['/', '/atom.xml', '/rss.xml', '/feed.json', '/digest.txt'])
        assert.deepEqual(shows(await page(path), posts), ['Fresh post'], path);
      assert.deepEqual(shows(await page(`/sources/${source.id}`), posts), posts.slice(0, 3));
      // Search results mark the matched words in titles: read the text without tags.
      assert.deepEqual(shows((await page('/search?q=backlog')).replace(/<[^>]*>/g, ''), posts), [
        'Backlog post',
        'Undated backlog post',
      ]);

      // Only the first fetch brings a backlog: what comes later is news, whatever its date.
      serve('backlog', [
        { title: 'Undated new post' },
        { title: 'Fresh post', daysAgo: 1 },
        { title: 'Late post', daysAgo: 30 },
      ]);
      await refreshed('backlog', NOW + 3_600_000, source);
      assert.deepEqual(shows(await page('/'), posts), ['Fresh post', 'Late post', 'Undated new post']);
    });

    test("a post an aggregator brought as backlog is news when its own blog's first fetch brings it", async () => {
      const link = 'https://writer.example/posts/hello';
      serve('aggregator', [{ title: 'Hello (via the aggregator)', daysAgo: 30, link }]);
      await refreshed('aggregator', NOW);
      assert.equal(shows(await page('/'), ['Hello']).length, 0, 'backlog of the aggregator');
      serve('writer', [{ title: 'Hello from the writer', daysAgo: 1, link }], 'https://writer.example/');
      const writer = await refreshed('writer', NOW);
      const river = (await store.river({ limit: 50 })).entries.filter((e) => e.item.url === link);
      assert.deepEqual(
        river.map((e) => [e.sourceId, e.item.title]),
        [[writer.id, 'Hello from the writer']],
      );
    });

    test('a post dated in the future is shown when it was fetched; the date its feed claims is kept', async () => {
      serve('future', [{ title: 'From the future', daysAgo: -400 }]);
      const source = await refreshed('future', NOW);
      const [entry] = (await store.river({ sourceId: source.id, limit: 5 })).entries;
      assert.equal(entry?.item.date_published, new Date(NOW).toISOString().replace('.000Z', 'Z'));
      assert.deepEqual(entry?.claimedPublished, new Date(NOW + 400 * DAY));
      assert.ok((await page('/')).includes('From the future'), 'not kept off the river as backlog');
    });

    test('a post without a date takes its first-seen time once: it never moves, and an edit does not re-flood', async () => {
      serve('undated', [{ title: 'Dated post', daysAgo: 1 }]);
      const source = await refreshed('undated', NOW);
      const later = NOW + 3_600_000;
      serve('undated', [{ title: 'Undated post' }, { title: 'Dated post', daysAgo: 1 }]);
      await refreshed('undated', later, source);
      serve('undated', [
        { title: 'Undated post', body: 'Edited text' },
        { title: 'Dated post', daysAgo: 1 },
      ]);
      await refreshed('undated', later + 5 * 3_600_000, source);
      const entries = (await store.river({ sourceId: source.id, limit: 5 })).entries;
      assert.deepEqual(
        entries.map((e) => [e.item.title, e.item.date_published, e.item.content_html]),
        [
          ['Undated post', new Date(later).toISOString().replace('.000Z', 'Z'), 'Edited text'],
          ['Dated post', new Date(NOW - DAY).toISOString().replace('.000Z', 'Z'), 'Text of Dated post'],
        ],
      );
      assert.deepEqual(
        (await store.fetchLog(new Date(0), source.id)).map((r) => [r.newCount, r.updatedCount]),
        [
          [1, 0],
          [1, 0],
          [0, 1],
        ],
      );
    });
  });
}
