/**
 * What the planet pages read from the store, on every backend: posts by tag (case-insensitive, paginated,
 * backlogs left out), by a set of sources (a category), by month, and the other sources that carried a post
 * stored once.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { FeedItem } from '../../src/model.js';
import { type FetchCheckpoint, openStore, type RiverQuery, type Store } from '../../src/store/index.js';
import { backends, POSTGRES_SKIP, POSTGRES_URL, postgresSchema, sqlitePath } from './backends.js';

const T0 = new Date('2024-05-10T12:00:00Z');
const hours = (h: number) => new Date(T0.getTime() + h * 3_600_000);

function ok(items: FeedItem[], fetchedAt = T0, more: Partial<FetchCheckpoint> = {}): FetchCheckpoint {
  return { outcome: 'ok', fetchedAt, items, httpStatus: 200, ...more };
}

function post(n: number, more: Partial<FeedItem> = {}): FeedItem {
  return {
    id: `https://blog.example.org/posts/${n}`,
    url: `https://blog.example.org/posts/${n}`,
    title: `Post ${n}`,
    date_published: `2024-05-0${(n % 9) + 1}T10:00:00Z`,
    ...more,
  };
}

/** Titles of every page of a query, following cursors (bounded, so a cursor bug fails instead of hanging). */
async function titles(store: Store, query: RiverQuery): Promise<string[]> {
  const out: string[] = [];
  let page = await store.river(query);
  out.push(...page.entries.map((e) => e.item.title!));
  for (let guard = 0; page.next && guard < 50; guard++) {
    page = await store.river({ ...query, before: page.next });
    out.push(...page.entries.map((e) => e.item.title!));
  }
  return out;
}

for (const backend of backends()) {
  describe(backend.name, { skip: backend.skip }, () => {
    test('posts by tag: matched case-insensitively, newest first across pages, backlog left out, edits followed', async () => {
      const store = await backend.open();
      const blog = await store.addSource({ url: 'https://blog.example.org/feed' });
      const other = await store.addSource({ url: 'https://other.example.net/feed' });
      await store.commitFetch(
        blog.id,
        ok([
          post(1, { tags: ['Linux', 'Kernel'] }),
          post(2, { tags: ['linux'] }),
          post(3, { tags: ['Rust'] }),
          post(4, { tags: ['LINUX', 'linux '] }),
          post(5, { tags: ['Ünïcode'] }),
        ]),
      );
      // The first fetch of a source: its posts older than backlogBefore are its backlog, off the river.
      const backlog = { backlogBefore: new Date('2024-04-01T00:00:00Z') };
      const otherItems: FeedItem[] = [
        { id: 'o-1', title: 'Other old', date_published: '2024-01-01T00:00:00Z', tags: ['linux'] },
        { id: 'o-2', title: 'Other new', date_published: '2024-05-09T00:00:00Z', tags: ['Linux'] },
      ];
      await store.commitFetch(other.id, ok(otherItems, hours(1), backlog));
      assert.deepEqual(await titles(store, { limit: 2, tag: 'LiNuX' }), [
        'Other new',
        'Post 4',
        'Post 2',
        'Post 1',
      ]);
      assert.deepEqual(await titles(store, { limit: 10, tag: 'ünïcode' }), ['Post 5']);
      assert.deepEqual(await titles(store, { limit: 10, tag: 'nothing' }), []);
      assert.deepEqual(await store.riverTags(), ['kernel', 'linux', 'rust', 'ünïcode']);

      // An edit that drops a tag takes the post off that tag's list.
      await store.commitFetch(blog.id, ok([post(2, { tags: ['Rust'] })], hours(2)));
      assert.deepEqual(await titles(store, { limit: 10, tag: 'linux' }), ['Other new', 'Post 4', 'Post 1']);
      assert.deepEqual(await titles(store, { limit: 10, tag: 'rust' }), ['Post 3', 'Post 2']);
      // Purging a source takes its posts off every tag.
      await store.purgeSource(other.id);
      assert.deepEqual(await titles(store, { limit: 10, tag: 'linux' }), ['Post 4', 'Post 1']);
      await store.close();
    });

    test('posts of a set of sources (a category) and of one month, with the months either side', async () => {
      const store = await backend.open();
      const [a, b, c] = await Promise.all(
        ['https://a.example/feed', 'https://b.example/feed', 'https://c.example/feed'].map((url) =>
          store.addSource({ url }),
        ),
      );
      const item = (id: string, date: string): FeedItem => ({ id, title: id, date_published: date });
      await store.commitFetch(
        a!.id,
        ok([item('a-apr', '2024-04-30T23:00:00Z'), item('a-may', '2024-05-02T00:00:00Z')]),
      );
      await store.commitFetch(
        b!.id,
        ok([item('b-feb', '2024-02-10T00:00:00Z'), item('b-may', '2024-05-01T00:00:00Z')]),
      );
      await store.commitFetch(c!.id, ok([item('c-may', '2024-05-03T00:00:00Z')]));
      assert.deepEqual(await titles(store, { limit: 1, sourceIds: [a!.id, b!.id] }), [
        'a-may',
        'b-may',
        'a-apr',
        'b-feb',
      ]);
      assert.deepEqual(await titles(store, { limit: 10, sourceIds: [] }), []);

      const mayStart = Date.parse('2024-05-01T00:00:00Z');
      const juneStart = Date.parse('2024-06-01T00:00:00Z');
      assert.deepEqual(
        await titles(store, { limit: 2, since: mayStart, before: { publishedMs: juneStart, id: 0 } }),
        ['c-may', 'a-may', 'b-may'],
      );
      const around = await store.riverDatesAround(mayStart);
      assert.equal(around.before?.toISOString(), '2024-04-30T23:00:00.000Z');
      assert.equal(around.since?.toISOString(), '2024-05-01T00:00:00.000Z');
      const april = await store.riverDatesAround(Date.parse('2024-04-01T00:00:00Z'));
      assert.equal(april.before?.toISOString(), '2024-02-10T00:00:00.000Z');
      assert.deepEqual(await store.riverDatesAround(juneStart), {
        before: new Date('2024-05-03T00:00:00Z'),
      });
      await store.close();
    });

    test('one article through several sources: stored once, first source keeps it, the others recorded', async () => {
      const store = await backend.open();
      const first = await store.addSource({ url: 'https://planet.example.net/atom.xml' });
      const second = await store.addSource({ url: 'https://digest.example.com/rss' });
      const third = await store.addSource({ url: 'https://weekly.example.com/rss' });
      const blog = await store.addSource({ url: 'https://blog.example.org/feed' });
      const via = (source: string, tracking: string) =>
        post(1, { id: `${source}-1`, url: `https://blog.example.org/posts/1?utm_source=${tracking}` });
      const site = (url: string) => ({ feed: { homePageUrl: url } });
      await store.commitFetch(first.id, ok([via('p', 'planet')], T0, site('https://planet.example.net/')));
      await store.commitFetch(
        second.id,
        ok([via('d', 'digest')], hours(1), site('https://digest.example.com/')),
      );
      await store.commitFetch(
        third.id,
        ok([via('w', 'weekly')], hours(2), site('https://weekly.example.com/')),
      );
      // Fetched again: recorded once.
      await store.commitFetch(
        second.id,
        ok([via('d', 'digest')], hours(3), site('https://digest.example.com/')),
      );
      let [entry] = (await store.river({ limit: 10 })).entries;
      assert.equal((await store.stats()).entries, 1);
      assert.equal(entry!.sourceId, first.id);
      assert.deepEqual(await store.entrySources([entry!.id]), new Map([[entry!.id, [second.id, third.id]]]));

      // The article's own blog takes it; the aggregator that held it becomes one of the others.
      await store.commitFetch(blog.id, ok([post(1)], hours(4), site('https://blog.example.org/')));
      [entry] = (await store.river({ limit: 10 })).entries;
      assert.equal(entry!.sourceId, blog.id);
      assert.deepEqual(
        await store.entrySources([entry!.id, 999]),
        new Map([[entry!.id, [first.id, second.id, third.id]]]),
      );
      // A carrier that is purged leaves the list.
      await store.purgeSource(third.id);
      assert.deepEqual(await store.entrySources([entry!.id]), new Map([[entry!.id, [first.id, second.id]]]));
      await store.close();
    });
  });
}

/** A store holding tagged posts, taken back to the schema of the release before tags were indexed (by
 * `downgrade`), then upgraded: its posts are found by tag. */
async function upgradeKeepsTags(url: string, downgrade: () => Promise<void>): Promise<void> {
  const store = await openStore(url);
  await store.migrate();
  const source = await store.addSource({ url: 'https://blog.example.org/feed' });
  await store.commitFetch(source.id, ok([post(1, { tags: ['Éclair', 'Go'] }), post(2, { tags: ['go'] })]));
  await store.close();
  await downgrade();
  const upgraded = await openStore(url);
  await upgraded.migrate();
  assert.deepEqual(await titles(upgraded, { limit: 10, tag: 'GO' }), ['Post 2', 'Post 1']);
  assert.deepEqual(await titles(upgraded, { limit: 10, tag: 'ÉCLAIR' }), ['Post 1']);
  await upgraded.close();
}

const DOWNGRADE =
  'DROP TABLE entry_tags; DROP TABLE entry_sources; DELETE FROM schema_migrations WHERE version = 7';

test('SQLite: upgrading a database indexes the tags of the posts it already holds', async () => {
  const path = sqlitePath();
  await upgradeKeepsTags(path, async () => {
    const db = new Database(path);
    db.exec(DOWNGRADE);
    db.close();
  });
});

test('PostgreSQL: upgrading a database indexes the tags of the posts it already holds', {
  skip: POSTGRES_SKIP,
}, async () => {
  const schema = postgresSchema();
  try {
    await upgradeKeepsTags(schema.url, async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`SET search_path TO ${new URL(schema.url).searchParams.get('schema')}`);
        await client.query(DOWNGRADE);
      } finally {
        await client.end();
      }
    });
  } finally {
    await schema.drop();
  }
});
