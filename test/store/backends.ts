/**
 * The store backends the shared behaviour tests run against: SQLite always, PostgreSQL when
 * TRIBUTARY_TEST_POSTGRES_URL names a server. Each PostgreSQL store lives in a fresh schema, dropped when
 * the store is closed, so test files run in parallel on one database without seeing each other.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/index.js';

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** A reason to skip this backend's tests, or false to run them. */
  skip: string | false;
  /** A new, migrated, empty store. */
  open(): Promise<Store>;
}

export const POSTGRES_URL = process.env.TRIBUTARY_TEST_POSTGRES_URL;
export const POSTGRES_SKIP =
  !POSTGRES_URL &&
  'PostgreSQL tests skipped: set TRIBUTARY_TEST_POSTGRES_URL (e.g. postgres://root@127.0.0.1:5432/test)';

const sqliteDir = mkdtempSync(join(tmpdir(), 'tributary-store-'));
after(() => rmSync(sqliteDir, { recursive: true, force: true }));
let files = 0;

/** A path for a new SQLite database file, in a folder removed when the test file ends. */
export function sqlitePath(): string {
  return join(sqliteDir, `store-${++files}.db`);
}

/** A schema name no other test (in this or another process) uses. */
function schemaName(): string {
  return `tributary_test_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** The URL of a fresh schema (created by the first store's `migrate()`), and a way to drop it. */
export function postgresSchema(): { url: string; drop(): Promise<void> } {
  if (!POSTGRES_URL) throw new Error('TRIBUTARY_TEST_POSTGRES_URL is not set');
  const schema = schemaName();
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('schema', schema);
  return {
    url: url.href,
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

async function migrated(url: string): Promise<Store> {
  const store = await openStore(url);
  await store.migrate();
  return store;
}

/** PostgreSQL stores a failed test left open: closed (and their schemas dropped) when the file ends. */
const openPostgresStores = new Set<Store>();
after(() => Promise.all([...openPostgresStores].map((store) => store.close())));

export function backends(): Backend[] {
  return [
    { name: 'sqlite', skip: false, open: () => migrated(sqlitePath()) },
    {
      name: 'postgres',
      skip: POSTGRES_SKIP,
      async open() {
        const schema = postgresSchema();
        const store = await migrated(schema.url);
        const close = store.close.bind(store);
        store.close = async () => {
          openPostgresStores.delete(store);
          await close();
          await schema.drop();
        };
        openPostgresStores.add(store);
        return store;
      },
    },
  ];
}
