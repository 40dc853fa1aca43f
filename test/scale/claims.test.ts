/**
 * The store's side of a worker's claims (issue 12, item 2), on both backends: claims that pass over busy
 * hosts, leases renewed while a source waits or is fetched, and claims given back unfetched.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type FetchCheckpoint, pollHost } from '../../src/store/index.js';
import { backends } from '../store/backends.js';

const T0 = new Date('2024-05-10T12:00:00Z');
const seconds = (s: number) => new Date(T0.getTime() + s * 1000);

const checked = (at: Date, more: Partial<FetchCheckpoint> = {}): FetchCheckpoint => ({
  outcome: 'notModified',
  fetchedAt: at,
  httpStatus: 304,
  nextFetchAt: seconds(3600 * 4),
  ...more,
});

for (const backend of backends()) {
  describe(backend.name, { skip: backend.skip }, () => {
    test('a claim passes over the hosts it is told to, by the host each source is polled at', async () => {
      const store = await backend.open();
      const add = (url: string) => store.addSource({ url });
      const declared = await add('https://busy.example/feed');
      const other = await add('https://other.example/feed');
      const foundElsewhere = await add('https://busy.example/blog/');
      await store.setLearned(foundElsewhere.id, 'feedUrl', 'https://feeds.other.example/blog.xml');
      const foundOnBusy = await add('https://other.example/blog/');
      await store.setLearned(foundOnBusy.id, 'feedUrl', 'https://busy.example/other-blog.xml');
      await add('https://reader:s3cret@busy.example/private.xml');
      await add('http://[::1]:8080/feed.xml');
      // A move to another host, confirmed by three sightings an hour apart: polled at busy.example since.
      const moved = await add('https://moving.example/feed');
      for (const hour of [0, 1.1, 2.2])
        await store.commitFetch(
          moved.id,
          checked(seconds(hour * 3600), { permanentRedirect: 'https://busy.example/moved.xml' }),
        );
      const sources = await store.listSources();
      assert.equal(
        pollHost(sources.find((s) => s.id === moved.id)!),
        'busy.example',
        'the move was confirmed',
      );

      const at = seconds(3600 * 5);
      const skip = ['busy.example', '[::1]'];
      const claimed = await store.claimDueSources(at, 10, 'w1', 60, skip);
      assert.deepEqual(
        claimed.map((s) => s.id).sort(),
        sources.filter((s) => !skip.includes(pollHost(s))).map((s) => s.id),
      );
      assert.deepEqual(claimed.map((s) => s.id).sort(), [other.id, foundElsewhere.id]);
      const rest = await store.claimDueSources(at, 10, 'w2', 60);
      assert.equal(rest.length, sources.length - 2);
      assert.ok(rest.some((s) => s.id === declared.id && s.leaseOwner === 'w2'));
      await store.close();
    });

    test("renewing keeps a worker's leases, and says which it lost; giving back frees them at once", async () => {
      const store = await backend.open();
      const ids = [];
      for (const n of [1, 2, 3])
        ids.push((await store.addSource({ url: `https://site${n}.example/feed` })).id);
      assert.equal((await store.claimDueSources(T0, 10, 'w1', 60)).length, 3);

      assert.deepEqual((await store.renewLeases(ids, 'w1', seconds(50), 60)).sort(), ids);
      assert.deepEqual(await store.claimDueSources(seconds(70), 10, 'w2', 60), [], 'renewed past 60 s');
      assert.deepEqual(await store.renewLeases(ids, 'w2', seconds(70), 60), [], "not w2's to renew");

      // Run out (110 s), one taken by w2: w1 keeps the other two when it renews.
      const [taken] = await store.claimDueSources(seconds(200), 1, 'w2', 60);
      assert.deepEqual(
        (await store.renewLeases(ids, 'w1', seconds(201), 60)).sort(),
        ids.filter((id) => id !== taken!.id),
      );

      // Committing ends the lease: there is nothing left to renew.
      await store.commitFetch(taken!.id, checked(seconds(202)));
      assert.deepEqual(await store.renewLeases([taken!.id], 'w2', seconds(203), 60), []);

      const [given, kept] = ids.filter((id) => id !== taken!.id) as [number, number];
      await store.releaseLeases([given, kept], 'w2');
      assert.deepEqual(
        await store.claimDueSources(seconds(204), 10, 'w3', 60),
        [],
        "w2 cannot give back w1's",
      );
      await store.releaseLeases([given], 'w1');
      assert.deepEqual(
        (await store.claimDueSources(seconds(205), 10, 'w3', 60)).map((s) => s.id),
        [given],
        'given back, it is claimed at once',
      );
      await store.close();
    });
  });
}
