/** PostgreSQL-only behaviour: schemas, concurrent workers, and text PostgreSQL would otherwise refuse. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { FeedItem } from '../../src/model.js';
import { openStore, type Store } from '../../src/store/index.js';
import { MIGRATIONS } from '../../src/store/postgres/migrations.js';
import { POSTGRES_SKIP, POSTGRES_URL, postgresSchema } from './backends.js';
import { find } from './search-helpers.js';

const T0 = new Date('2024-05-10T12:00:00Z');

test('openStore refuses a bad schema name and names an unreachable server without its password', async () => {
  await assert.rejects(
    openStore('postgres://u@127.0.0.1/db?schema=Robert%27);--'),
    /schema .* must be lower-case/,
  );
  const store = await openStore('postgres://tributary:s3cret@127.0.0.1:1/tributary?connect_timeout=5');
  await assert.rejects(store.migrate(), (e: Error) => {
    assert.match(e.message, /cannot migrate store postgres:\/\/tributary:\*\*\*@127\.0\.0\.1:1\/tributary/);
    assert.doesNotMatch(e.message, /s3cret/);
    return true;
  });
  await store.close();
});

describe('postgres', { skip: POSTGRES_SKIP }, () => {
  let schema: ReturnType<typeof postgresSchema>;
  let admin: pg.Client;
  const stores: Store[] = [];

  /** Several stores (each its own pool, like separate worker processes) on one shared schema. */
  async function workers(count: number): Promise<Store[]> {
    const opened = await Promise.all(Array.from({ length: count }, () => openStore(schema.url)));
    stores.push(...opened);
    await Promise.all(opened.map((s) => s.migrate()));
    return opened;
  }

  before(async () => {
    admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
  });
  after(async () => {
    await admin.end();
  });

  async function withSchema(run: () => Promise<void>): Promise<void> {
    schema = postgresSchema();
    try {
      await run();
    } finally {
      await Promise.all(stores.splice(0).map((s) => s.close()));
      await schema.drop();
    }
  }

  test('workers migrating at once apply each migration once, into their own schema', () =>
    withSchema(async () => {
      const [a, b] = await workers(4);
      await a!.addSource({ url: 'https://blog.example.org/feed' });
      assert.equal((await b!.listSources()).length, 1, 'one database seen by every worker');
      const { rows } = await admin.query(
        `SELECT table_schema, count(*)::int AS tables FROM information_schema.tables
        WHERE table_name IN ('sources', 'entries', 'fetch_log', 'schema_migrations') GROUP BY 1`,
      );
      const ours = rows.find((r) => r.table_schema === new URL(schema.url).searchParams.get('schema'));
      assert.equal(ours?.tables, 4);
      const name = ours.table_schema as string;
      const versions = await admin.query(`SELECT version FROM ${name}.schema_migrations ORDER BY version`);
      assert.deepEqual(
        versions.rows.map((r) => r.version),
        MIGRATIONS.map((m) => m.version),
      );
      const other = postgresSchema();
      const elsewhere = await openStore(other.url);
      try {
        await elsewhere.migrate();
        assert.deepEqual(await elsewhere.listSources(), [], 'another schema is another store');
      } finally {
        await elsewhere.close();
        await other.drop();
      }
    }));

  test('the same articles committed at once from two sources in two workers are stored once', () =>
    withSchema(async () => {
      const [w1, w2] = await workers(2);
      const planet = await w1!.addSource({ url: 'https://planet.example.net/atom.xml' });
      const digest = await w1!.addSource({ url: 'https://digest.example.com/rss' });
      const article = (via: string, n: number): FeedItem => ({
        id: `${via}-${n}`,
        url: `https://blog.example.org/posts/${n}?utm_source=${via}`,
        title: `Post ${n}`,
      });
      for (let round = 0; round < 8; round++) {
        const items = (via: string) => Array.from({ length: 20 }, (_, i) => article(via, round * 20 + i));
        const at = new Date(T0.getTime() + round * 60_000);
        const [a, b] = await Promise.all([
          w1!.commitFetch(planet.id, { outcome: 'ok', fetchedAt: at, items: items('planet') }),
          w2!.commitFetch(digest.id, { outcome: 'ok', fetchedAt: at, items: items('digest') }),
        ]);
        assert.equal(a.newCount + b.newCount, 20, `round ${round}: each article new exactly once`);
      }
      const { rows } = await admin.query(
        `SELECT count(*)::int AS entries, count(DISTINCT canonical_url)::int AS articles
        FROM ${new URL(schema.url).searchParams.get('schema')}.entries`,
      );
      assert.deepEqual(rows[0], { entries: 160, articles: 160 });
    }));

  test('claimers in separate workers share out the due sources without overlap', () =>
    withSchema(async () => {
      const claimers = await workers(4);
      for (let n = 0; n < 60; n++) await claimers[0]!.addSource({ url: `https://s${n}.example.org/feed` });
      const taken: number[] = [];
      for (let pass = 0; pass < 10; pass++) {
        const batches = await Promise.all(
          claimers.map((w, i) => w.claimDueSources(T0, 5, `worker-${i}`, 300)),
        );
        const ids = batches.flat().map((s) => s.id);
        if (ids.length === 0) break;
        taken.push(...ids);
      }
      assert.equal(taken.length, 60);
      assert.equal(new Set(taken).size, 60);
    }));

  test('NUL characters, which PostgreSQL text cannot hold, are dropped instead of failing the fetch', () =>
    withSchema(async () => {
      const [store] = await workers(1);
      const source = await store!.addSource({ url: 'https://blog.example.org/feed' });
      await store!.commitFetch(source.id, {
        outcome: 'ok',
        fetchedAt: T0,
        feed: { title: 'Blog\u0000' },
        items: [{ id: 'nul-1', title: 'Null\u0000 byte', content_text: 'between\u0000words' }],
      });
      const [entry] = (await store!.river({ limit: 5 })).entries;
      assert.equal(entry?.item.title, 'Null byte');
      assert.equal(entry?.item.content_text, 'betweenwords');
      assert.equal((await store!.getSource(source.id))?.title, 'Blog');
    }));

  test('a post too long for one tsvector is stored and searchable by its opening words', () =>
    withSchema(async () => {
      const [store] = await workers(1);
      const source = await store!.addSource({ url: 'https://blog.example.org/feed' });
      const words = Array.from({ length: 250_000 }, (_, i) => `w${i.toString(36)}x`).join(' ');
      await store!.commitFetch(source.id, {
        outcome: 'ok',
        fetchedAt: T0,
        items: [{ id: 'long', title: 'A very long post', content_text: `aardvark ${words}` }],
      });
      const [found] = (await find(store!, 'aardvark')).hits;
      assert.equal(found?.entry.item.content_text?.length, words.length + 9);
    }));

  test('a value that is not text fails the checkpoint instead of being stored as JSON', () =>
    withSchema(async () => {
      const [store] = await workers(1);
      const source = await store!.addSource({ url: 'https://blog.example.org/feed' });
      const broken = { id: 'x', summary: 42 } as unknown as FeedItem;
      await assert.rejects(
        store!.commitFetch(source.id, { outcome: 'ok', fetchedAt: T0, items: [broken] }),
        /cannot store entry x: summary is not text/,
      );
      assert.deepEqual(await store!.stats(), { sources: 1, entries: 0 });
    }));
});
