/** The store's reads for pages of sources: by ids, and the sources page's order, filters and cursor. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { syncSources } from '../../src/ingest/sync-sources.js';
import { backends } from './backends.js';

const T = new Date('2024-06-01T00:00:00Z');

for (const backend of backends()) {
  describe(backend.name, { skip: backend.skip }, () => {
    test('getSources: the sources of these ids that exist, one query whatever the list', async () => {
      const store = await backend.open();
      await syncSources(store, [{ url: 'https://a.example/feed' }, { url: 'https://b.example/feed' }]);
      const [a, b] = await store.listSources();
      assert.deepEqual((await store.getSources([b!.id, 999, a!.id])).map((s) => s.url).sort(), [
        a!.url,
        b!.url,
      ]);
      assert.deepEqual(await store.getSources([]), []);
      await store.close();
    });

    test('sourcesPage: failing, then slowest first; a status is a range of that order; search is literal', async () => {
      const store = await backend.open();
      await syncSources(store, [
        { url: 'https://a.example/feed', name: '100% Blog' },
        { url: 'https://b.example/feed', name: '100 Blogs' },
        { url: 'https://c.example/under_score' },
        { url: 'https://d.example/feed' },
      ]);
      const [a, b, c, d] = await store.listSources();
      await store.commitFetch(a!.id, { outcome: 'ok', fetchedAt: T, durationMs: 100 });
      await store.commitFetch(b!.id, { outcome: 'ok', fetchedAt: T, durationMs: 900 });
      await store.commitFetch(c!.id, { outcome: 'failed', fetchedAt: T, durationMs: 50, error: 'x' });
      await store.retireSources([d!.id], T);
      const ids = async (query: Parameters<typeof store.sourcesPage>[0]) =>
        (await store.sourcesPage(query)).sources.map((s) => s.id);
      assert.deepEqual(await ids({ limit: 10 }), [c!.id, b!.id, a!.id, d!.id]);
      assert.deepEqual(await ids({ limit: 10, status: 'active' }), [b!.id, a!.id]);
      assert.deepEqual(await ids({ limit: 10, status: 'retired' }), [d!.id]);
      assert.deepEqual(await ids({ limit: 10, status: 'paused' }), []);
      assert.deepEqual(await ids({ limit: 10, search: '100%' }), [a!.id]);
      assert.deepEqual(
        await ids({ limit: 10, search: 'e_a' }),
        [],
        '_ is not a wildcard (it would match "exa")',
      );
      assert.deepEqual(await ids({ limit: 10, search: 'UNDER_' }), [c!.id], 'case-insensitive');
      const first = await store.sourcesPage({ limit: 2 });
      assert.deepEqual(
        first.sources.map((s) => s.id),
        [c!.id, b!.id],
      );
      const rest = await store.sourcesPage({ limit: 2, after: first.next! });
      assert.deepEqual(
        rest.sources.map((s) => s.id),
        [a!.id, d!.id],
      );
      assert.equal(rest.next, undefined);
      await store.close();
    });
  });
}
