import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FeedItem } from '../../src/model.js';
import {
  FETCH_LOG_KEEP_DAYS,
  type FetchCheckpoint,
  pollUrl,
  type RiverQuery,
  SearchSyntaxError,
  type Store,
  type StoredEntry,
} from '../../src/store/index.js';
import { backends } from './backends.js';
import { find, titles as titlesOf } from './search-helpers.js';

const T0 = new Date('2024-05-10T12:00:00Z');
const hours = (h: number) => new Date(T0.getTime() + h * 3_600_000);

function ok(items: FeedItem[], fetchedAt = T0, more: Partial<FetchCheckpoint> = {}): FetchCheckpoint {
  return {
    outcome: 'ok',
    fetchedAt,
    items,
    httpStatus: 200,
    nextFetchAt: new Date(fetchedAt.getTime() + 3_600_000),
    ...more,
  };
}

function post(n: number, more: Partial<FeedItem> = {}): FeedItem {
  return {
    id: `https://blog.example.org/posts/${n}`,
    url: `https://blog.example.org/posts/${n}`,
    title: `Post ${n}`,
    content_html: `<p>Body of post ${n}</p>`,
    date_published: `2024-05-0${(n % 9) + 1}T10:00:00Z`,
    ...more,
  };
}

/** Follows `next` cursors to the end (bounded, so a cursor bug fails the test instead of hanging it). */
async function readAllPages(store: Store, query: RiverQuery): Promise<StoredEntry[]> {
  const entries: StoredEntry[] = [];
  let page = await store.river(query);
  entries.push(...page.entries);
  for (let guard = 0; page.next && guard < 100; guard++) {
    page = await store.river({ ...query, before: page.next });
    entries.push(...page.entries);
  }
  assert.equal(page.next, undefined, 'the last page has no next cursor');
  return entries;
}

async function allEntries(store: Store): Promise<StoredEntry[]> {
  return (await store.river({ limit: 1000 })).entries;
}

/** The same behaviour, asserted the same way, on every backend. */
for (const backend of backends()) {
  describe(backend.name, { skip: backend.skip }, () => {
    const freshStore = backend.open;

    test('sources: added once per URL, listed, retired, purged by id or URL', async () => {
      const store = await freshStore();
      const a = await store.addSource({ url: 'https://blog.example.org/feed', name: 'Blog' });
      const again = await store.addSource({
        url: 'HTTPS://blog.example.org/feed',
        author: 'Ada',
        options: { limit: 5 },
      });
      assert.equal(again.id, a.id);
      assert.equal(again.name, 'Blog');
      assert.equal(again.author, 'Ada');
      assert.deepEqual(again.options, { limit: 5 });
      assert.equal(again.status, 'active');
      const b = await store.addSource({ url: 'https://other.example.net/rss' });
      assert.deepEqual(
        (await store.listSources()).map((s) => s.url),
        ['https://blog.example.org/feed', 'https://other.example.net/rss'],
      );
      await assert.rejects(store.addSource({ url: 'ftp://example.org/feed' }), /must be http or https/);
      await store.commitFetch(a.id, ok([post(1), post(2)]));

      // Retired: listed, never due, its posts still in the river; declaring it again brings it back.
      assert.equal(await store.retireSources([a.id], T0), 1);
      assert.equal(await store.retireSources([a.id], hours(1)), 0, 'already retired keeps its date');
      assert.equal((await store.getSource(a.id))?.retiredAt?.getTime(), T0.getTime());
      assert.deepEqual(
        (await store.dueSources(hours(48), 10)).map((s) => s.id),
        [b.id],
      );
      assert.deepEqual(
        (await store.claimDueSources(hours(48), 10, 'w1', 60)).map((s) => s.id),
        [b.id],
      );
      assert.equal((await allEntries(store)).length, 2);
      assert.equal((await store.addSource({ url: a.url })).retiredAt, undefined);
      await store.retireSources([a.id], T0);

      assert.deepEqual(await store.purgeSource(a.id), { entries: 2 });
      assert.deepEqual(await store.purgeSource('https://other.example.net/rss'), { entries: 0 });
      assert.equal(await store.purgeSource(b.id), undefined);
      assert.deepEqual(await store.listSources(), []);
      assert.equal((await store.stats()).entries, 0);
      await store.close();
    });

    test('commitFetch stores new entries once; the same items again change nothing', async () => {
      const store = await freshStore();
      const source = await store.addSource({ url: 'https://blog.example.org/feed' });
      assert.deepEqual(await store.commitFetch(source.id, ok([post(1), post(2)])), {
        newCount: 2,
        updatedCount: 0,
      });
      const before = await allEntries(store);
      assert.deepEqual(await store.commitFetch(source.id, ok([post(1), post(2)], hours(1))), {
        newCount: 0,
        updatedCount: 0,
      });
      assert.deepEqual(await allEntries(store), before);
      assert.equal((await store.stats()).entries, 2);
      const stored = await store.getEntry(before[0]!.id);
      assert.equal(stored?.item.title, before[0]!.item.title);
      assert.equal(stored?.sourceId, source.id);
      await store.close();
    });

    test('changed content is updated in place, keeping its place in the river', async () => {
      const store = await freshStore();
      const source = await store.addSource({ url: 'https://blog.example.org/feed' });
      await store.commitFetch(source.id, ok([post(1)]));
      const [original] = await allEntries(store);
      const edited = post(1, {
        content_html: '<p>Corrected body</p>',
        date_published: '2024-05-09T00:00:00Z',
      });
      assert.deepEqual(await store.commitFetch(source.id, ok([edited], hours(2))), {
        newCount: 0,
        updatedCount: 1,
      });
      const [updated, ...rest] = await allEntries(store);
      assert.equal(rest.length, 0);
      assert.equal(updated!.id, original!.id);
      assert.equal(updated!.item.content_html, '<p>Corrected body</p>');
      assert.equal(updated!.item.date_published, original!.item.date_published);
      assert.equal(updated!.item.date_modified, '2024-05-10T14:00:00Z');
      assert.deepEqual(updated!.updatedAt, hours(2));
      assert.deepEqual(updated!.firstSeenAt, T0);
      await store.close();
    });

    test('GUID churn (http→https, trailing slash, #fragment) does not duplicate an entry', async () => {
      const store = await freshStore();
      const source = await store.addSource({ url: 'https://blog.example.org/feed' });
      const spellings = [
        'http://blog.example.org/posts/1',
        'https://blog.example.org/posts/1/',
        'https://blog.example.org/posts/1#comments',
      ];
      for (const [i, id] of spellings.entries()) {
        await store.commitFetch(source.id, ok([post(1, { id, url: id })], hours(i)));
      }
      assert.equal((await store.stats()).entries, 1);
      await store.close();
    });

    test('the same article through an aggregator and its own blog is stored once, attributed to the blog', async () => {
      const store = await freshStore();
      const planet = await store.addSource({ url: 'https://planet.example.net/atom.xml' });
      const blog = await store.addSource({ url: 'https://blog.example.org/feed' });
      const viaPlanet = post(1, {
        id: 'tag:planet.example.net,2024:entry-99',
        url: 'http://blog.example.org/posts/1?utm_source=planet',
        content_html: '<p>Body of post…</p>',
      });
      const planetFeed = { homePageUrl: 'https://planet.example.net/' };
      const blogFeed = { homePageUrl: 'https://www.blog.example.org/' };
      assert.equal(
        (await store.commitFetch(planet.id, ok([viaPlanet], T0, { feed: planetFeed }))).newCount,
        1,
      );
      assert.deepEqual(await store.commitFetch(blog.id, ok([post(1)], hours(1), { feed: blogFeed })), {
        newCount: 0,
        updatedCount: 1,
      });
      assert.deepEqual(await store.commitFetch(planet.id, ok([viaPlanet], hours(2), { feed: planetFeed })), {
        newCount: 0,
        updatedCount: 0,
      });
      assert.deepEqual(await store.commitFetch(blog.id, ok([post(1)], hours(3), { feed: blogFeed })), {
        newCount: 0,
        updatedCount: 0,
      });
      const entries = await allEntries(store);
      assert.equal(entries.length, 1);
      assert.equal(entries[0]!.sourceId, blog.id);
      assert.equal(entries[0]!.item.content_html, '<p>Body of post 1</p>');
      assert.equal(entries[0]!.item.id, 'https://blog.example.org/posts/1');
      await store.close();
    });

    test('between two aggregators the first to bring an article keeps it', async () => {
      const store = await freshStore();
      const first = await store.addSource({ url: 'https://planet.example.net/atom.xml' });
      const second = await store.addSource({ url: 'https://digest.example.com/rss' });
      await store.commitFetch(
        first.id,
        ok([post(1, { id: 'p-1' })], T0, { feed: { homePageUrl: 'https://planet.example.net/' } }),
      );
      await store.commitFetch(
        second.id,
        ok([post(1, { id: 'd-1' })], hours(1), { feed: { homePageUrl: 'https://digest.example.com/' } }),
      );
      const entries = await allEntries(store);
      assert.deepEqual(
        entries.map((e) => e.sourceId),
        [first.id],
      );
      await store.close();
    });

    test('items of one feed that share a link to the site root stay separate entries', async () => {
      const store = await freshStore();
      const a = await store.addSource({ url: 'https://news.example.org/rss' });
      const b = await store.addSource({ url: 'https://mirror.example.com/rss' });
      const item = (id: string): FeedItem => ({ id, url: 'https://news.example.org/', title: id });
      await store.commitFetch(a.id, ok([item('one'), item('two')]));
      await store.commitFetch(b.id, ok([item('three')]));
      assert.equal((await store.stats()).entries, 3);
      await store.close();
    });

    test('a GUID repeated inside one feed: each post stored once, and the same feed again writes nothing', async () => {
      const store = await freshStore();
      const source = await store.addSource({ url: 'https://blog.example.org/feed' });
      const feed = [
        post(1, { content_html: '<p>Listed first</p>' }),
        post(1, { content_html: '<p>Listed again, differently</p>' }), // the same post twice: the first wins
        post(2, { id: 'urn:blog:post' }), // a generator that stamps one guid on distinct posts
        post(3, { id: 'urn:blog:post' }),
      ];
      assert.deepEqual(await store.commitFetch(source.id, ok(feed)), { newCount: 3, updatedCount: 0 });
      const before = await allEntries(store);
      assert.deepEqual(await store.commitFetch(source.id, ok(feed, hours(1))), {
        newCount: 0,
        updatedCount: 0,
      });
      assert.deepEqual(await allEntries(store), before);
      assert.deepEqual(before.map((e) => [e.item.title, e.item.content_html]).sort(), [
        ['Post 1', '<p>Listed first</p>'],
        ['Post 2', '<p>Body of post 2</p>'],
        ['Post 3', '<p>Body of post 3</p>'],
      ]);
      assert.deepEqual(
        (await store.fetchLog(T0, source.id)).map((r) => [r.newCount, r.updatedCount]),
        [
          [3, 0],
          [0, 0],
        ],
      );
      await store.close();
    });

    test('published dates in the future are clamped to first-seen; undated entries take first-seen', async () => {
      const store = await freshStore();
      const source = await store.addSource({ url: 'https://blog.example.org/feed' });
      await store.commitFetch(
        source.id,
        ok([post(1, { date_published: '2031-01-01T00:00:00Z' }), post(2, { date_published: undefined })]),
      );
      await store.commitFetch(source.id, ok([post(2, { date_published: undefined })], hours(5)));
      const dates = (await allEntries(store)).map((e) => e.item.date_published);
      assert.deepEqual(dates, ['2024-05-10T12:00:00Z', '2024-05-10T12:00:00Z']);
      await store.close();
    });

    test('a failure inside the checkpoint stores neither the entries nor the validators', async () => {
      const store = await freshStore();
      const source = await store.addSource({ url: 'https://blog.example.org/feed' });
      await store.commitFetch(
        source.id,
        ok([post(1)], T0, { validators: { etag: '"v1"', lastModified: 'Fri, 10 May 2024 12:00:00 GMT' } }),
      );
      const sourceBefore = await store.getSource(source.id);
      const broken = {
        id: 'https://blog.example.org/posts/3',
        title: { not: 'text' },
      } as unknown as FeedItem;
      await assert.rejects(
        store.commitFetch(
          source.id,
          ok([post(2), broken], hours(1), { validators: { etag: '"v2"' }, nextFetchAt: hours(9) }),
        ),
        /can only bind|not text/,
      );
      assert.deepEqual(await store.getSource(source.id), sourceBefore);
      assert.equal(sourceBefore?.etag, '"v1"');
      assert.deepEqual(
        (await allEntries(store)).map((e) => e.item.title),
        ['Post 1'],
      );
      assert.equal((await find(store, 'post')).hits.length, 1);
      assert.equal((await store.fetchLog(T0, source.id)).length, 1);
      await store.close();
    });

    test('river pages by cursor are complete and never repeat, across equal dates and new arrivals', async () => {
      const store = await freshStore();
      const a = await store.addSource({ url: 'https://blog.example.org/feed' });
      const b = await store.addSource({ url: 'https://other.example.net/feed' });
      // 23 entries over only 4 distinct dates, split between two sources.
      const items = (prefix: string, count: number) =>
        Array.from(
          { length: count },
          (_, i): FeedItem => ({
            id: `${prefix}-${i}`,
            title: `${prefix} ${i}`,
            date_published: `2024-05-0${(i % 4) + 1}T00:00:00Z`,
          }),
        );
      await store.commitFetch(a.id, ok(items('a', 15)));
      await store.commitFetch(b.id, ok(items('b', 8)));
      const all = await allEntries(store);
      const sortKey = (e: StoredEntry) => [e.item.date_published!, e.id] as const;
      for (const [i, e] of all.entries()) {
        if (i === 0) continue;
        const [prevDate, prevId] = sortKey(all[i - 1]!);
        const [date, id] = sortKey(e);
        assert.ok(prevDate > date || (prevDate === date && prevId > id), 'newest first, then by id');
      }
      const expected = all.map((e) => e.id);
      assert.equal(expected.length, 23);

      const first = await store.river({ limit: 4 });
      // Newer entries arriving between page loads go to the top; the pages already begun are not shifted.
      await store.commitFetch(
        a.id,
        ok(
          items('late', 3).map((i) => ({ ...i, date_published: '2024-05-09T00:00:00Z' })),
          hours(1),
        ),
      );
      const rest = first.next ? await readAllPages(store, { limit: 4, before: first.next }) : [];
      const seen = [...first.entries, ...rest].map((e) => e.id);
      assert.deepEqual(seen, expected);

      const fromB = await readAllPages(store, { limit: 3, sourceId: b.id });
      assert.equal(fromB.length, 8);
      assert.ok(fromB.every((e) => e.sourceId === b.id));
      assert.equal(new Set(fromB.map((e) => e.id)).size, 8);
      await assert.rejects(store.river({ limit: 0 }), /positive integer/);
      await store.close();
    });

    test('search finds entries by title words and by words of their text, and follows edits and removals', async () => {
      const store = await freshStore();
      const source = await store.addSource({ url: 'https://blog.example.org/feed' });
      await store.commitFetch(
        source.id,
        ok([
          post(1, { title: 'Sourdough starters', content_html: '<p>Flour &amp; water</p>' }),
          post(2, {
            title: 'Bicycles',
            content_html: '<p>Repairing a <em>puncture</em> at the roadside</p>',
          }),
          post(3, { title: 'Notes', content_text: 'Kayaking in spring' }),
        ]),
      );
      const titles = (q: string) => titlesOf(store, q);
      assert.deepEqual(await titles('sourdough'), ['Sourdough starters']);
      assert.deepEqual(await titles('puncture roadside'), ['Bicycles']);
      assert.deepEqual(await titles('kayaking'), ['Notes']);
      assert.deepEqual(await titles('repair'), ['Bicycles'], 'stemmed');
      assert.deepEqual(await titles('puncture kayaking'), []);
      assert.deepEqual(
        await titles('{flour} ^water: NEAR/2'),
        [],
        'FTS5 syntax is punctuation: near, a word',
      );
      assert.deepEqual(await titles('{flour} ^water:'), ['Sourdough starters']);
      assert.deepEqual(
        (await titles('sourdough OR bicycles')).sort(),
        ['Bicycles', 'Sourdough starters'],
        'OR: either word',
      );
      await assert.rejects(titles('  ?! '), SearchSyntaxError);

      await store.commitFetch(
        source.id,
        ok([post(2, { title: 'Bicycles', content_html: '<p>Tyre levers</p>' })], hours(1)),
      );
      assert.deepEqual(await titles('puncture'), []);
      assert.deepEqual(await titles('tyre'), ['Bicycles']);

      await store.purgeSource(source.id);
      assert.deepEqual(await titles('sourdough'), []);
      assert.equal((await store.stats()).entries, 0);
      await store.close();
    });

    test('each fetch leaves a fetch_log row; status, errors and validators follow the outcome', async () => {
      const store = await freshStore();
      const source = await store.addSource({ url: 'https://blog.example.org/feed' });
      assert.deepEqual(
        (await store.dueSources(T0, 10)).map((s) => s.id),
        [source.id],
        'a new source is due at once',
      );
      await store.commitFetch(
        source.id,
        ok([post(1)], T0, { bytes: 2048, durationMs: 120, validators: { etag: '"v1"' } }),
      );
      assert.deepEqual(await store.dueSources(T0, 10), []);
      await store.commitFetch(source.id, {
        outcome: 'failed',
        fetchedAt: hours(1),
        error: 'connect ECONNREFUSED',
        nextFetchAt: hours(1.1),
      });
      let s = await store.getSource(source.id);
      assert.equal(s?.status, 'error');
      assert.equal(s?.errorCount, 1);
      assert.equal(s?.lastError, 'connect ECONNREFUSED');
      assert.equal(s?.etag, '"v1"');
      assert.deepEqual(s?.lastSuccessAt, T0);
      assert.deepEqual(
        (await store.dueSources(hours(2), 10)).map((x) => x.id),
        [source.id],
        'an erroring source is still fetched',
      );
      await store.commitFetch(source.id, {
        outcome: 'notModified',
        fetchedAt: hours(2),
        httpStatus: 304,
        nextFetchAt: hours(3),
      });
      s = await store.getSource(source.id);
      assert.equal(s?.status, 'active');
      assert.equal(s?.errorCount, 0);
      assert.equal(s?.lastError, undefined);
      assert.equal(s?.etag, '"v1"');
      assert.equal(s?.lastStatus, 304);
      await store.commitFetch(source.id, { outcome: 'gone', fetchedAt: hours(4), httpStatus: 410 });
      s = await store.getSource(source.id);
      assert.equal(s?.status, 'gone');
      assert.equal(s?.nextFetchAt, undefined);
      assert.equal(s?.lastError, 'gone (HTTP 410)');
      assert.deepEqual(await store.dueSources(hours(100), 10), []);

      const log = await store.fetchLog(T0, source.id);
      assert.deepEqual(
        log.map((r) => [r.outcome, r.httpStatus, r.newCount, r.updatedCount]),
        [
          ['ok', 200, 1, 0],
          ['failed', undefined, 0, 0],
          ['notModified', 304, 0, 0],
          ['gone', 410, 0, 0],
        ],
      );
      assert.equal(log[0]?.bytes, 2048);
      assert.equal(log[0]?.durationMs, 120);
      assert.equal(log[1]?.error, 'connect ECONNREFUSED');
      assert.equal((await store.fetchLog(hours(2), source.id)).length, 2, 'since is inclusive');
      await store.close();
    });

    test('the fetch log keeps FETCH_LOG_KEEP_DAYS days of each source, and reads across every source', async () => {
      const store = await freshStore();
      const a = await store.addSource({ url: 'https://a.example/feed' });
      const b = await store.addSource({ url: 'https://b.example/feed' });
      const days = (d: number) => hours(d * 24);
      const fetched = (at: Date): FetchCheckpoint => ({
        outcome: 'notModified',
        fetchedAt: at,
        httpStatus: 304,
      });
      await store.commitFetch(a.id, fetched(T0));
      await store.commitFetch(b.id, fetched(days(1)));
      await store.commitFetch(a.id, fetched(days(FETCH_LOG_KEEP_DAYS)));
      assert.deepEqual(
        (await store.fetchLog(T0, a.id)).map((r) => r.at),
        [T0, days(FETCH_LOG_KEEP_DAYS)],
        'a row exactly FETCH_LOG_KEEP_DAYS old is kept',
      );
      await store.commitFetch(a.id, fetched(days(FETCH_LOG_KEEP_DAYS + 1)));
      assert.deepEqual(
        (await store.fetchLog(T0)).map((r) => [r.sourceId, r.at]),
        [
          [b.id, days(1)],
          [a.id, days(FETCH_LOG_KEEP_DAYS)],
          [a.id, days(FETCH_LOG_KEEP_DAYS + 1)],
        ],
        "a's first row is gone; b's stays until b is fetched again",
      );
      await store.commitFetch(b.id, fetched(days(FETCH_LOG_KEEP_DAYS + 2)));
      assert.deepEqual(
        (await store.fetchLog(T0, b.id)).map((r) => r.at),
        [days(FETCH_LOG_KEEP_DAYS + 2)],
      );
      await store.close();
    });

    test('a permanent redirect is learned when seen on consecutive fetches; the declared URL stays', async () => {
      const store = await freshStore();
      const source = await store.addSource({ url: 'http://blog.example.org/feed' });
      const moved = 'http://blog.example.org/feed.xml';
      await store.commitFetch(source.id, ok([], T0, { permanentRedirect: moved }));
      assert.equal((await store.getSource(source.id))?.pendingRedirect, moved);
      await store.commitFetch(source.id, ok([], hours(1)));
      assert.equal(
        (await store.getSource(source.id))?.pendingRedirect,
        undefined,
        'a fetch without it breaks the streak',
      );
      await store.commitFetch(source.id, ok([], hours(2), { permanentRedirect: moved }));
      assert.equal((await store.getSource(source.id))?.movedTo, undefined);
      await store.commitFetch(source.id, ok([], hours(3), { permanentRedirect: moved }));
      const after = await store.getSource(source.id);
      assert.equal(after?.url, 'http://blog.example.org/feed', 'the identity is what was declared');
      assert.equal(after?.movedTo, moved);
      assert.equal(after?.movedAt?.getTime(), hours(3).getTime());
      assert.equal(after?.pendingRedirect, undefined);
      assert.equal(pollUrl(after!), moved);
      assert.equal((await store.addSource({ url: 'http://blog.example.org/feed' })).id, source.id);

      const twin = await store.addSource({ url: 'https://blog.example.org/atom' });
      for (const at of [hours(4), hours(5)])
        await store.commitFetch(twin.id, ok([], at, { permanentRedirect: moved }));
      const stopped = await store.getSource(twin.id);
      assert.equal(stopped?.url, 'https://blog.example.org/atom');
      assert.equal(stopped?.movedTo, undefined);
      assert.equal(stopped?.status, 'gone');
      assert.match(stopped?.lastError ?? '', /already follows/);
      await store.close();
    });

    test('a move to another host is learned only after 3 sightings at least an hour apart', async () => {
      const store = await freshStore();
      const source = await store.addSource({ url: 'https://blog.example.org/feed' });
      const elsewhere = 'https://parked-domains.example.net/feed';
      const minutes = (m: number) => new Date(T0.getTime() + m * 60_000);
      for (const m of [0, 10, 20, 30, 40, 50])
        await store.commitFetch(source.id, ok([], minutes(m), { permanentRedirect: elsewhere }));
      let seen = await store.getSource(source.id);
      assert.equal(seen?.movedTo, undefined, 'six sightings within an hour count once');
      assert.equal(seen?.redirectSeenCount, 1);
      await store.commitFetch(source.id, ok([], minutes(60), { permanentRedirect: elsewhere }));
      seen = await store.getSource(source.id);
      assert.equal(seen?.movedTo, undefined);
      assert.equal(seen?.redirectSeenCount, 2);
      await store.commitFetch(source.id, ok([], minutes(120), { permanentRedirect: elsewhere }));
      seen = await store.getSource(source.id);
      assert.equal(seen?.movedTo, elsewhere);
      assert.equal(seen?.url, 'https://blog.example.org/feed');
      await store.close();
    });

    test('search ignores accents: "cafe" finds "café" and the other way round', async () => {
      const store = await freshStore();
      const source = await store.addSource({ url: 'https://blog.example.org/feed' });
      await store.commitFetch(
        source.id,
        ok([post(1, { title: 'Le café du coin' }), post(2, { title: 'Naive questions' })]),
      );
      assert.deepEqual(await titlesOf(store, 'cafe'), ['Le café du coin']);
      assert.deepEqual(await titlesOf(store, 'naïve'), ['Naive questions']);
      await store.close();
    });

    test('claims: two workers never get the same source; a claimed source is not claimed again', async () => {
      const store = await freshStore();
      for (let n = 1; n <= 7; n++) await store.addSource({ url: `https://site${n}.example.org/feed` });
      const [a, b] = await Promise.all([
        store.claimDueSources(T0, 4, 'worker-a', 60),
        store.claimDueSources(T0, 4, 'worker-b', 60),
      ]);
      const ids = [...a, ...b].map((s) => s.id);
      assert.equal(ids.length, 7, 'between them they took every due source');
      assert.equal(new Set(ids).size, 7, 'and none twice');
      for (const s of a) assert.equal(s.leaseOwner, 'worker-a');
      assert.deepEqual(a[0]?.leaseUntil, new Date(T0.getTime() + 60_000));
      assert.deepEqual(await store.claimDueSources(T0, 10, 'worker-c', 60), []);
      const stored = await store.getSource(b[0]!.id);
      assert.equal(stored?.leaseOwner, 'worker-b');
      await store.close();
    });

    test('claims: only due sources, in due order; an expired lease is taken by another worker', async () => {
      const store = await freshStore();
      const later = await store.addSource({ url: 'https://later.example.org/feed' });
      const soon = await store.addSource({ url: 'https://soon.example.org/feed' });
      const fresh = await store.addSource({ url: 'https://fresh.example.org/feed' });
      const gone = await store.addSource({ url: 'https://gone.example.org/feed' });
      await store.commitFetch(later.id, ok([], T0, { nextFetchAt: hours(2) }));
      await store.commitFetch(soon.id, ok([], T0, { nextFetchAt: hours(1) }));
      await store.commitFetch(gone.id, { outcome: 'gone', fetchedAt: T0, httpStatus: 410 });
      assert.deepEqual(
        (await store.claimDueSources(hours(1.5), 10, 'worker-a', 600)).map((s) => s.id),
        [fresh.id, soon.id],
        'a new source first, then by due time; not-yet-due and gone sources stay',
      );
      assert.deepEqual(await store.claimDueSources(hours(1.5), 10, 'worker-b', 600), []);
      assert.deepEqual(
        (await store.claimDueSources(new Date(hours(1.5).getTime() + 599_000), 10, 'worker-b', 600)).map(
          (s) => s.id,
        ),
        [],
        'still leased a second before the lease ends',
      );
      const taken = await store.claimDueSources(hours(3), 10, 'worker-b', 600);
      assert.deepEqual(
        taken.map((s) => [s.id, s.leaseOwner]),
        [
          [fresh.id, 'worker-b'],
          [soon.id, 'worker-b'],
          [later.id, 'worker-b'],
        ],
        "the dead worker's sources are taken once its leases ran out, with the newly due one",
      );
      await assert.rejects(store.claimDueSources(T0, 1, 'worker-a', 0), /positive number of seconds/);
      await store.close();
    });

    test('claims: commitFetch ends the lease, whatever the outcome', async () => {
      const store = await freshStore();
      const a = await store.addSource({ url: 'https://a.example.org/feed' });
      const b = await store.addSource({ url: 'https://b.example.org/feed' });
      await store.claimDueSources(T0, 10, 'worker-a', 3600);
      await store.commitFetch(a.id, ok([post(1)], T0, { nextFetchAt: T0 }));
      await store.commitFetch(b.id, { outcome: 'failed', fetchedAt: T0, error: 'timeout', nextFetchAt: T0 });
      for (const id of [a.id, b.id]) {
        const s = await store.getSource(id);
        assert.equal(s?.leaseOwner, undefined);
        assert.equal(s?.leaseUntil, undefined);
      }
      assert.deepEqual(
        (await store.claimDueSources(T0, 10, 'worker-b', 60)).map((s) => s.id),
        [a.id, b.id],
        'due again at once: claimable without waiting for the old lease',
      );
      await store.close();
    });
  });
}
