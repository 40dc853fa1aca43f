import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { openStore, type Store } from '../../src/store/index.js';
import { MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { sqlitePath } from './backends.js';

async function freshStore(path = sqlitePath()): Promise<Store> {
  const store = await openStore(path);
  await store.migrate();
  return store;
}

test('migrate is idempotent and a reopened database keeps its data', async () => {
  const path = sqlitePath();
  const store = await freshStore(path);
  await store.migrate();
  await store.addSource({ url: 'https://blog.example.org/feed' });
  await store.close();
  const again = await freshStore(path);
  assert.equal((await again.listSources()).length, 1);
  await again.close();
  const db = new Database(path, { readonly: true });
  const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
  assert.deepEqual(
    versions,
    MIGRATIONS.map((m) => m.version),
  );
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  db.close();
});

test('openStore accepts sqlite: URLs and :memory:', async () => {
  const viaUrl = await freshStore(`sqlite:${join(dirname(sqlitePath()), 'nested', 'folder', 'via-url.db')}`);
  await viaUrl.addSource({ url: 'https://blog.example.org/feed' });
  assert.equal((await viaUrl.stats()).sources, 1);
  await viaUrl.close();
  const memory = await freshStore(':memory:');
  assert.deepEqual(await memory.stats(), { sources: 0, entries: 0 });
  await memory.close();
});
