import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { syncSources } from '../../src/ingest/sync-sources.js';
import { openStore } from '../../src/store/index.js';

const dir = mkdtempSync(join(tmpdir(), 'tributary-sync-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the database follows the config: adds, removes, option edits apply, learned options survive', async () => {
  const store = await openStore(join(dir, 'sync.db'));
  await store.migrate();
  const a = 'https://a.example/feed';
  const b = 'https://b.example/rss';
  assert.deepEqual(
    await syncSources(store, [
      { url: a, full_article: true },
      { url: b, name: 'B' },
    ]),
    { added: 2, removed: 0 },
  );
  const [sa] = await store.listSources();
  // What Tributary learned itself (the feed behind a page URL) is kept across syncs.
  await store.addSource({ url: sa!.url, options: { ...sa!.options, feedUrl: 'https://a.example/real.xml' } });

  assert.deepEqual(await syncSources(store, [{ url: a }]), { added: 0, removed: 1 });
  const sources = await store.listSources();
  assert.equal(sources.length, 1);
  assert.deepEqual(sources[0]!.options, { feedUrl: 'https://a.example/real.xml' });
  assert.equal((await syncSources(store, [{ url: a }])).added, 0);
  await store.close();
});
