/**
 * Settings every process of one database shares: the image proxy's signing key is made once (migration 6)
 * and every store opened on that database, a web replica or a worker, reads the same one.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openStore, type Store } from '../../src/store/index.js';
import { POSTGRES_SKIP, postgresSchema, sqlitePath } from './backends.js';

const databases = [
  { name: 'sqlite', skip: false as const, make: () => ({ url: sqlitePath(), drop: async () => {} }) },
  { name: 'postgres', skip: POSTGRES_SKIP, make: postgresSchema },
];

for (const backend of databases) {
  describe(backend.name, { skip: backend.skip }, () => {
    test('every process opening one database reads the same image proxy secret; another database has its own', async () => {
      const one = backend.make();
      const other = backend.make();
      const stores: Store[] = [];
      const open = async (url: string) => {
        const store = await openStore(url);
        stores.push(store);
        await store.migrate();
        return store;
      };
      try {
        // Two processes starting together, then one starting later: one secret, made once.
        const [a, b] = await Promise.all([open(one.url), open(one.url)]);
        const secret = await a!.setting('image_proxy_secret');
        assert.match(secret ?? '', /^[0-9a-f]{64}$/, 'a random 256-bit key, in hex');
        assert.equal(await b!.setting('image_proxy_secret'), secret);
        const later = await open(one.url);
        assert.equal(await later.setting('image_proxy_secret'), secret, 'migrating again keeps it');
        const elsewhere = await open(other.url);
        const otherSecret = await elsewhere.setting('image_proxy_secret');
        assert.match(otherSecret ?? '', /^[0-9a-f]{64}$/);
        assert.notEqual(otherSecret, secret);
      } finally {
        await Promise.all(stores.map((s) => s.close()));
        await one.drop();
        await other.drop();
      }
    });
  });
}
