/** `checkWritable` (behind `/healthz` and the commands that write) on a PostgreSQL session that may not
 * write: the SQLite side is tested end to end in test/cli/readonly.test.ts. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openStore } from '../../src/store/index.js';
import { POSTGRES_SKIP, postgresSchema } from './backends.js';

test('PostgreSQL: a read-only session fails checkWritable, naming the database; a normal one passes', {
  skip: POSTGRES_SKIP,
}, async () => {
  const schema = postgresSchema();
  const store = await openStore(schema.url);
  const readOnlyUrl = new URL(schema.url);
  readOnlyUrl.searchParams.set('options', '-c default_transaction_read_only=on');
  const readOnly = await openStore(readOnlyUrl.href);
  try {
    await store.migrate();
    await store.checkWritable();
    await assert.rejects(
      readOnly.checkWritable(),
      /cannot write to database postgres:.*read-only transaction/,
    );
    assert.equal((await readOnly.stats()).sources, 0, 'it still reads');
  } finally {
    await readOnly.close();
    await store.close();
    await schema.drop();
  }
});
