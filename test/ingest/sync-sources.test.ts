import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { syncSources } from '../../src/ingest/sync-sources.js';
import { openStore } from '../../src/store/index.js';

const dir = mkdtempSync(join(tmpdir(), 'tributary-sync-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the database follows the config: adds, retires, option edits apply, learned options survive', async () => {
  const store = await openStore(join(dir, 'sync.db'));
  await store.migrate();
  const a = 'https://a.example/feed';
  const b = 'https://b.example/rss';
  assert.deepEqual(
    await syncSources(store, [
      { url: a, full_article: true },
      { url: b, name: 'B' },
    ]),
    { added: 2, retired: 0 },
  );
  const [sa] = await store.listSources();
  // What Tributary learned itself (the feed behind a page URL) is kept across syncs.
  await store.addSource({ url: sa!.url, options: { ...sa!.options, feedUrl: 'https://a.example/real.xml' } });

  assert.deepEqual(await syncSources(store, [{ url: a }]), { added: 0, retired: 1 });
  const sources = await store.listSources();
  assert.equal(sources.length, 2, 'a source that left the config is kept, retired');
  assert.deepEqual(sources[0]!.options, { feedUrl: 'https://a.example/real.xml' });
  assert.ok(sources[1]!.retiredAt);
  assert.deepEqual(await syncSources(store, [{ url: a }]), { added: 0, retired: 0 });
  // Declared again, it comes back (same id, not retired).
  assert.deepEqual(await syncSources(store, [{ url: a }, { url: b, name: 'B' }]), { added: 0, retired: 0 });
  const back = (await store.listSources())[1]!;
  assert.equal(back.id, sources[1]!.id);
  assert.equal(back.retiredAt, undefined);
  await store.close();
});
