/**
 * The database follows the config, in bulk, on every backend: adds, renames, option edits, retirements and
 * returns, learned options kept (also when set at the same moment by another process), and an unchanged list
 * costs nothing but the look at its hash.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { SourceConfig } from '../../src/config/config.js';
import { syncSources } from '../../src/ingest/sync-sources.js';
import { openStore, type Source, type Store, type Subscription } from '../../src/store/index.js';
import { POSTGRES_SKIP, POSTGRES_URL, postgresSchema, sqlitePath } from '../store/backends.js';

const T0 = new Date('2024-06-01T00:00:00Z');
const T1 = new Date('2024-06-02T00:00:00Z');

interface Opened {
  store: Store;
  /** Runs SQL on the same database through a connection of its own, as another program would. */
  sql(text: string): Promise<void>;
  close(): Promise<void>;
}

const databases: { name: string; skip: string | false; open(): Promise<Opened> }[] = [
  {
    name: 'sqlite',
    skip: false,
    async open() {
      const path = sqlitePath();
      const store = await openStore(path);
      await store.migrate();
      return {
        store,
        async sql(text) {
          const db = new Database(path);
          db.exec(text);
          db.close();
        },
        close: () => store.close(),
      };
    },
  },
  {
    name: 'postgres',
    skip: POSTGRES_SKIP,
    async open() {
      const schema = postgresSchema();
      const store = await openStore(schema.url);
      await store.migrate();
      return {
        store,
        sql: (text) => withClient(schema.url, (client) => client.query(text).then(() => undefined)),
        async close() {
          await store.close();
          await schema.drop();
        },
      };
    },
  },
];

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresConnection(url) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A schema URL as node-postgres takes it: `?schema=` becomes the search path. */
function postgresConnection(url: string): string {
  const u = new URL(url);
  const schema = u.searchParams.get('schema');
  u.searchParams.delete('schema');
  if (schema) u.searchParams.set('options', `-c search_path=${schema}`);
  return u.href;
}

const url = (i: number) => `https://host${i % 97}.example/feed/${i}.xml`;

/** What a user checks after a sync: every source by URL, with what the config and Tributary set. */
function byUrl(sources: Source[]): Map<string, Source> {
  return new Map(sources.map((s) => [s.url, s]));
}

const subscription: Subscription = {
  hub: 'https://hub.example/',
  topic: 'https://host1.example/feed/1.xml',
  token: 'token',
  state: 'active',
  requestedAt: '2024-06-01T00:00:00.000Z',
};

for (const database of databases) {
  describe(database.name, { skip: database.skip }, () => {
    test('the database follows the config: adds, retires, option edits apply, learned options survive', async () => {
      const { store, close } = await database.open();
      const a = 'https://a.example/feed';
      const b = 'https://b.example/rss';
      assert.deepEqual(
        await syncSources(store, [
          { url: a, full_article: true },
          { url: b, name: 'B' },
        ]),
        { added: 2, updated: 0, retired: 0, unchanged: false },
      );
      const [sa] = await store.listSources();
      // What Tributary learned itself (the feed behind a page URL) is kept across syncs.
      await store.setLearned(sa!.id, 'feedUrl', 'https://a.example/real.xml');

      assert.deepEqual(await syncSources(store, [{ url: a }]), {
        added: 0,
        updated: 1,
        retired: 1,
        unchanged: false,
      });
      const sources = await store.listSources();
      assert.equal(sources.length, 2, 'a source that left the config is kept, retired');
      assert.deepEqual(sources[0]!.options, { feedUrl: 'https://a.example/real.xml' });
      assert.ok(sources[1]!.retiredAt);
      assert.deepEqual(await syncSources(store, [{ url: a }]), {
        added: 0,
        updated: 0,
        retired: 0,
        unchanged: true,
      });
      // Declared again, it comes back (same id, not retired).
      assert.deepEqual(await syncSources(store, [{ url: a }, { url: b, name: 'B' }]), {
        added: 0,
        updated: 1,
        retired: 0,
        unchanged: false,
      });
      const back = (await store.listSources())[1]!;
      assert.equal(back.id, sources[1]!.id);
      assert.equal(back.retiredAt, undefined);
      await close();
    });

    test('5,000 sources in bulk: adds, renames, option edits, retirements, returns, learned keys kept', async () => {
      const { store, close } = await database.open();
      const config: SourceConfig[] = Array.from({ length: 5000 }, (_, i) =>
        i % 2 ? { url: url(i), name: `Feed ${i}` } : { url: url(i) },
      );
      assert.deepEqual(await syncSources(store, config, T0), {
        added: 5000,
        updated: 0,
        retired: 0,
        unchanged: false,
      });
      const first = byUrl(await store.listSources());
      assert.equal(first.size, 5000);
      assert.equal(first.get(url(1))?.name, 'Feed 1');
      assert.equal(first.get(url(2))?.name, undefined);
      await store.setLearned(first.get(url(1))!.id, 'websub', subscription);
      await store.setLearned(first.get(url(3))!.id, 'feedUrl', 'https://host3.example/real.xml');

      const edited: SourceConfig[] = [
        ...config.slice(0, 4000),
        ...Array.from({ length: 10 }, (_, i) => ({ url: url(10_000 + i) })),
      ];
      edited[1] = { url: url(1), name: 'Renamed', full_article: true }; // renamed, an option added
      edited[3] = { url: url(3) }; // the name removed
      edited[5] = { url: url(5), name: 'Feed 5', author: 'Ann', rules: [{ exclude: { title: 'ad' } }] };
      assert.deepEqual(await syncSources(store, edited, T1), {
        added: 10,
        updated: 3,
        retired: 1000,
        unchanged: false,
      });
      const second = byUrl(await store.listSources());
      assert.equal(second.size, 5010, 'nothing is deleted');
      const one = second.get(url(1))!;
      assert.equal(one.id, first.get(url(1))!.id);
      assert.equal(one.name, 'Renamed');
      assert.deepEqual(one.options, { full_article: true, websub: subscription });
      assert.equal(second.get(url(3))?.name, undefined, 'a name removed from the file is gone');
      assert.deepEqual(second.get(url(3))?.options, { feedUrl: 'https://host3.example/real.xml' });
      assert.equal(second.get(url(5))?.author, 'Ann');
      assert.deepEqual(second.get(url(5))?.options, { rules: [{ exclude: { title: 'ad' } }] });
      assert.equal(second.get(url(4500))?.retiredAt?.getTime(), T1.getTime());
      assert.equal(second.get(url(3999))?.retiredAt, undefined);
      assert.equal(second.get(url(10_009))?.retiredAt, undefined);
      assert.equal((await store.dueSources(T1, 10_000)).length, 4010, 'retired sources are not polled');

      // An option removed from the file is turned off; the retired come back with their ids.
      const restored = [...config];
      restored[1] = { url: url(1), name: 'Renamed' };
      assert.deepEqual(await syncSources(store, restored, T1), {
        added: 0,
        updated: 1003,
        retired: 10,
        unchanged: false,
      });
      const third = byUrl(await store.listSources());
      assert.deepEqual(third.get(url(1))?.options, { websub: subscription });
      assert.equal(third.get(url(4500))?.id, first.get(url(4500))!.id);
      assert.equal(third.get(url(4500))?.retiredAt, undefined);
      assert.equal([...third.values()].filter((s) => s.retiredAt).length, 10);
      await close();
    });

    test('an unchanged list is not synced again: the stored hash answers, whatever the rows say', async () => {
      const { store, sql, close } = await database.open();
      const config = [{ url: url(1), name: 'One' }, { url: url(2) }];
      await syncSources(store, config);
      // Another program renames a source behind Tributary's back: a sync of the same list writes nothing...
      await sql(`UPDATE sources SET name = 'Changed elsewhere' WHERE url = '${url(1)}'`);
      assert.deepEqual(await syncSources(store, config), {
        added: 0,
        updated: 0,
        retired: 0,
        unchanged: true,
      });
      assert.equal((await store.listSources())[0]!.name, 'Changed elsewhere');
      // ...while the store's own edits outside a sync make the next one run in full.
      const extra = await store.addSource({ url: 'https://extra.example/feed' });
      assert.deepEqual(await syncSources(store, config), {
        added: 0,
        updated: 0,
        retired: 1,
        unchanged: false,
      });
      assert.ok((await store.getSource(extra.id))?.retiredAt);
      await store.purgeSource(extra.id);
      await sql(`UPDATE sources SET config_hash = NULL WHERE url = '${url(1)}'`);
      assert.equal((await syncSources(store, config)).updated, 1);
      assert.equal((await store.listSources())[0]!.name, 'One');
      await close();
    });
  });
}

describe('postgres, many processes', { skip: POSTGRES_SKIP }, () => {
  test('workers starting together: one syncs, the others wait and find the list synced', async () => {
    const schema = postgresSchema();
    const stores = await Promise.all([1, 2, 3].map(() => openStore(schema.url)));
    try {
      await stores[0]!.migrate();
      const config = Array.from({ length: 3000 }, (_, i) => ({ url: url(i) }));
      const results = await Promise.all(stores.map((s) => syncSources(s, config)));
      assert.equal(results.filter((r) => !r.unchanged).length, 1, JSON.stringify(results));
      assert.equal(
        results.reduce((n, r) => n + r.added, 0),
        3000,
      );
      assert.equal((await stores[1]!.listSources()).length, 3000);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await schema.drop();
    }
  });

  test('a learned key set while a sync edits the same source is kept', async () => {
    const schema = postgresSchema();
    const store = await openStore(schema.url);
    try {
      await store.migrate();
      await syncSources(store, [{ url: url(1), name: 'One' }]);
      const [source] = await store.listSources();
      await withClient(schema.url, async (learner) => {
        // Another process (the web server recording a hub's verification) holds the row, mid-write...
        await learner.query('BEGIN');
        await learner.query(
          `UPDATE sources SET options = jsonb_set(options::jsonb, '{websub}', $1::jsonb)::text WHERE id = $2`,
          [JSON.stringify(subscription), source!.id],
        );
        // ...while a sync renames the source and turns an option on: it waits for the row...
        const sync = syncSources(store, [{ url: url(1), name: 'Renamed', full_article: true }]);
        await waitUntilBlocking(learner);
        // ...and writes its options over the ones the other process committed.
        await learner.query('COMMIT');
        assert.equal((await sync).updated, 1);
      });
      const after = await store.getSource(source!.id);
      assert.equal(after?.name, 'Renamed');
      assert.deepEqual(after?.options, { full_article: true, websub: subscription });
    } finally {
      await store.close();
      await schema.drop();
    }
  });
});

/** Until some session waits for a lock `holder` (a connected client) holds. */
async function waitUntilBlocking(holder: pg.Client): Promise<void> {
  const { rows } = await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  await withClient(POSTGRES_URL!, async (client) => {
    for (;;) {
      const { rows: waiting } = await client.query(
        'SELECT 1 FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid))',
        [rows[0]!.pid],
      );
      if (waiting.length > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
}
