/**
 * People in the store, on every backend: the face a feed gives itself is learned at fetch and kept, and
 * `/people` reads its people page by page from one index: the sources of a configured person grouped
 * (case aside), every other source a person of its own, retired ones left out, the config followed.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SourceConfig } from '../../src/config/config.js';
import { syncSources } from '../../src/ingest/sync-sources.js';
import type { FetchCheckpoint, PeoplePage, Store } from '../../src/store/index.js';
import { backends } from './backends.js';

const T0 = new Date('2024-05-10T12:00:00Z');

function ok(feed: FetchCheckpoint['feed'], fetchedAt = T0): FetchCheckpoint {
  return { outcome: 'ok', fetchedAt, items: [], httpStatus: 200, feed };
}

/** Every page of people, as [person key's sources' urls], following the cursors (bounded). */
async function allPeople(store: Store, limit: number): Promise<{ pages: number; people: string[][] }> {
  const people: string[][] = [];
  let pages = 0;
  let page: PeoplePage | undefined;
  do {
    page = await store.peoplePage({ limit, ...(page?.next !== undefined && { after: page.next }) });
    pages++;
    for (const person of page.people) people.push(person.sources.map((s) => new URL(s.url).host));
  } while (page.next !== undefined && pages < 50);
  return { pages, people };
}

for (const backend of backends()) {
  describe(backend.name, { skip: backend.skip }, () => {
    test('a fetch learns the feed face; a fetch without one keeps it, a new one replaces it', async () => {
      const store = await backend.open();
      const { id } = await store.addSource({ url: 'https://jo.example.org/feed' });
      await store.commitFetch(id, ok({ title: 'Jo', face: 'https://jo.example.org/me.png' }));
      assert.equal((await store.getSource(id))?.feedFace, 'https://jo.example.org/me.png');
      await store.commitFetch(id, ok({ title: 'Jo' }, new Date(T0.getTime() + 60_000)));
      assert.equal((await store.getSource(id))?.feedFace, 'https://jo.example.org/me.png');
      await store.commitFetch(id, { outcome: 'failed', fetchedAt: new Date(T0.getTime() + 120_000) });
      assert.equal((await store.getSource(id))?.feedFace, 'https://jo.example.org/me.png');
      await store.commitFetch(
        id,
        ok({ face: 'https://cdn.example.net/jo.jpg' }, new Date(T0.getTime() + 180_000)),
      );
      const [listed] = await store.listSources();
      assert.equal(listed?.feedFace, 'https://cdn.example.net/jo.jpg');
      await store.close();
    });

    test('people: grouped by configured person, others alone, sorted by name, paginated, retired left out', async () => {
      const store = await backend.open();
      const config: SourceConfig[] = [
        { url: 'https://zed-blog.example/feed', name: 'Zed writes', person: 'Zed Shaw' },
        { url: 'https://anna.example/feed', name: 'Anna' },
        { url: 'https://zed-photos.example/feed', person: 'zed shaw' },
        { url: 'https://bob.example/feed', name: 'bob' },
        { url: 'https://carol.example/feed', name: 'Carol', person: 'Carol' },
        { url: 'https://mia.example/feed', name: 'Mia' },
        { url: 'https://old.example/feed', name: 'Old' },
      ];
      await syncSources(store, config, T0);
      const expected = [
        ['anna.example'],
        ['bob.example'],
        ['carol.example'],
        ['mia.example'],
        ['old.example'],
        ['zed-blog.example', 'zed-photos.example'],
      ];
      for (const limit of [1, 2, 4, 100]) {
        const { pages, people } = await allPeople(store, limit);
        assert.deepEqual(people, expected, `pages of ${limit}`);
        assert.equal(pages, Math.ceil(expected.length / limit), `pages of ${limit}`);
      }
      const first = await store.peoplePage({ limit: 10 });
      const zed = first.people.at(-1)!;
      assert.equal(zed.key, 'zed shaw');
      assert.deepEqual(
        zed.sources.map((s) => s.options.person),
        ['Zed Shaw', 'zed shaw'],
      );

      // The config moves Mia under Anna's person and drops Old: the next sync is what /people shows.
      await syncSources(
        store,
        config
          .filter((s) => s.name !== 'Old')
          .map((s) => (s.name === 'Mia' || s.name === 'Anna' ? { ...s, person: 'Anna K.' } : s)),
        new Date(T0.getTime() + 60_000),
      );
      const { people } = await allPeople(store, 2);
      assert.deepEqual(people, [
        ['anna.example', 'mia.example'],
        ['bob.example'],
        ['carol.example'],
        ['zed-blog.example', 'zed-photos.example'],
      ]);
      await store.close();
    });

    test('a config sync picks up a changed face, person or homepage, and removing one clears it', async () => {
      const store = await backend.open();
      const jo = { url: 'https://jo.example/feed', person: 'Jo', face: 'https://jo.example/a.png' };
      await syncSources(store, [jo], T0);
      const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
      for (const [i, edited] of [
        { ...jo, face: 'https://jo.example/b.png' },
        { ...jo, face: 'faces/jo.png' },
        { ...jo, person: 'Jo Doe' },
        { ...jo, homepage: 'https://jo.example/about' },
        { url: jo.url },
      ].entries()) {
        const result = await syncSources(store, [edited], at(i + 1));
        assert.deepEqual(
          [result.updated, result.added, result.unchanged],
          [1, 0, false],
          JSON.stringify(edited),
        );
        const [source] = await store.listSources();
        const { url, ...options } = edited;
        assert.deepEqual(source?.options, options, JSON.stringify(edited));
      }
      await store.close();
    });

    test('a source without a name is sorted by the title its feed gives', async () => {
      const store = await backend.open();
      await syncSources(store, [{ url: 'https://a.example/feed' }, { url: 'https://b.example/feed' }], T0);
      const [a] = await store.listSources();
      await store.commitFetch(a!.id, ok({ title: 'Zulu' }));
      const { people } = await allPeople(store, 10);
      assert.deepEqual(people, [['b.example'], ['a.example']]);
      await store.close();
    });
  });
}
