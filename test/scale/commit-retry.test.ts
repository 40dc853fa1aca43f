/**
 * A commit whose connection is lost as COMMIT goes out may have committed or not; the store retries it and
 * must not apply it twice (issue 12, item 3). A proxy delivers COMMIT to PostgreSQL and cuts the connection
 * before the answer comes back.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openStore } from '../../src/store/index.js';
import { POSTGRES_SKIP, postgresSchema } from '../store/backends.js';
import { proxyDatabase } from './tcp-proxy.js';

const T0 = new Date('2024-05-10T12:00:00Z');

test('a commit cut off after COMMIT reached the server is retried, and applied once', {
  skip: POSTGRES_SKIP,
  timeout: 60_000,
}, async () => {
  const schema = postgresSchema();
  const { proxy, url: proxied } = await proxyDatabase(schema.url);
  const warnings: string[] = [];
  const store = await openStore(proxied, {
    log: { warn: (_fields, message) => warnings.push(message) },
  });
  try {
    await store.migrate();
    const source = await store.addSource({ url: 'https://flaky.example/feed' });
    const sprung = proxy.cutAfter(Buffer.from('COMMIT\0'));
    const result = await store.commitFetch(source.id, {
      outcome: 'ok',
      fetchedAt: T0,
      httpStatus: 200,
      items: [{ id: 'https://flaky.example/1', url: 'https://flaky.example/1', title: 'One' }],
      nextFetchAt: new Date(T0.getTime() + 3_600_000),
    });
    await sprung;
    assert.deepEqual(result, { newCount: 1, updatedCount: 0 }, 'the retry reports what the lost attempt did');
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0]!, /lost the connection to the database .* during a commit; retrying/);

    const failed = await store.commitFetch(source.id, {
      outcome: 'failed',
      fetchedAt: new Date(T0.getTime() + 60_000),
      httpStatus: 500,
      error: 'HTTP 500',
      nextFetchAt: new Date(T0.getTime() + 600_000),
    });
    assert.deepEqual(failed, { newCount: 0, updatedCount: 0 });
    assert.equal((await store.fetchLog(T0)).length, 2, 'one fetch-log row per fetch');
    assert.equal((await store.getSource(source.id))?.errorCount, 1);
    assert.equal((await store.stats()).entries, 1);
  } finally {
    await store.close();
    await proxy.close();
    await schema.drop();
  }
});
