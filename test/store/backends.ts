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
import Database from 'better-sqlite3';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/index.js';

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** A reason to skip this backend's tests, or false to run them. */
  skip: string | false;
  /** A new, migrated, empty store. */
  open(): Promise<Store>;
  /** The same, with a way to run SQL on its database from outside the store (a connection per call). */
  openWithSql(): Promise<{ store: Store; sql: (text: string) => Promise<Record<string, unknown>[]> }>;
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

/** A statement on the SQLite file at `path`, on a connection of its own. */
async function sqliteSql(path: string, text: string): Promise<Record<string, unknown>[]> {
  const db = new Database(path);
  try {
    const statement = db.prepare(text);
    if (statement.reader) return statement.all() as Record<string, unknown>[];
    statement.run();
    return [];
  } finally {
    db.close();
  }
}

/** A statement in the schema of `url` (a postgresSchema URL), on a connection of its own. */
async function postgresSql(url: string, text: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`SET search_path = ${new URL(url).searchParams.get('schema')}`);
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

async function openPostgres(): Promise<{ store: Store; url: string }> {
  const schema = postgresSchema();
  const store = await migrated(schema.url);
  const close = store.close.bind(store);
  store.close = async () => {
    openPostgresStores.delete(store);
    await close();
    await schema.drop();
  };
  openPostgresStores.add(store);
  return { store, url: schema.url };
}

export function backends(): Backend[] {
  return [
    {
      name: 'sqlite',
      skip: false,
      open: () => migrated(sqlitePath()),
      async openWithSql() {
        const path = sqlitePath();
        return { store: await migrated(path), sql: (text) => sqliteSql(path, text) };
      },
    },
    {
      name: 'postgres',
      skip: POSTGRES_SKIP,
      open: async () => (await openPostgres()).store,
      async openWithSql() {
        const { store, url } = await openPostgres();
        return { store, sql: (text) => postgresSql(url, text) };
      },
    },
  ];
}
