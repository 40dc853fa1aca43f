import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import type { FeedItem } from '../../src/model.js';
import { dateLabels, riverView } from '../../src/publish/index.js';
import { decodeRiverCursor } from '../../src/store/index.js';
import { type Fixture, riverFixture, tempStore } from './fixtures.js';

test('a river page groups posts under day headings, newest first', async (t) => {
  const fixture: Fixture = await riverFixture();
  t.after(() => fixture.cleanup());
  const sources = new Map((await fixture.store.listSources()).map((s) => [s.id, s]));
  const view = riverView(await fixture.store.river({ limit: 50 }), sources, dateLabels('UTC'));
  assert.deepEqual(
    view.days.map((d) => [d.key, d.label, d.posts.map((p) => p.title)]),
    [
      ['2024-05-10', 'Friday, 10 May 2024', ['A short film', 'Nanoseconds & <wire>']],
      ['2024-05-09', 'Thursday, 9 May 2024', ['Plain text thoughts', 'A podcast about looms']],
      ['2024-05-08', 'Wednesday, 8 May 2024', ['Analytical engines']],
      ['2024-05-07', 'Tuesday, 7 May 2024', ['Debugging']],
    ],
  );
  assert.equal(view.older, undefined);
  // Read seven hours behind UTC, the podcast (06:00Z on the 9th) falls on the 8th.
  const pacific = riverView(
    await fixture.store.river({ limit: 50 }),
    sources,
    dateLabels('America/Los_Angeles'),
  );
  assert.deepEqual(
    pacific.days.map((d) => [d.key, d.posts.length]),
    [
      ['2024-05-10', 2],
      ['2024-05-09', 1],
      ['2024-05-08', 2],
      ['2024-05-07', 1],
    ],
  );
});

test('a post view carries media, the YouTube video and escaped plain text', async (t) => {
  const fixture = await riverFixture();
  t.after(() => fixture.cleanup());
  const sources = new Map((await fixture.store.listSources()).map((s) => [s.id, s]));
  const posts = riverView(await fixture.store.river({ limit: 50 }), sources, dateLabels()).days.flatMap(
    (d) => d.posts,
  );
  const film = posts.find((p) => p.title === 'A short film')!;
  assert.equal(film.youtube?.embedUrl, 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ');
  assert.deepEqual(film.media, [
    { kind: 'video', url: 'https://cdn.example.com/film.mp4', label: 'film.mp4', mimeType: 'video/mp4' },
  ]);
  const podcast = posts.find((p) => p.title === 'A podcast about looms')!;
  assert.deepEqual(
    podcast.media.map((m) => [m.kind, m.label]),
    [
      ['audio', 'loom.mp3'],
      ['link', 'Show notes'],
    ],
  );
  const text = posts.find((p) => p.title === 'Plain text thoughts')!;
  assert.equal(text.contentHtml, '<p>First line.</p>\n<p>Second &lt;para&gt; &amp; more.</p>');
});

test('cursor pagination walks the whole river with no gaps and no repeats, ties included', async () => {
  const { store, dir } = await tempStore();
  try {
    const source = await store.addSource({ url: 'https://many.example.org/feed' });
    // 47 posts over 5 instants: many share a publication date, so order rests on the id tie-break.
    const items: FeedItem[] = Array.from({ length: 47 }, (_, n) => ({
      id: `post-${n}`,
      title: `Post ${n}`,
      date_published: new Date(Date.UTC(2024, 4, 1 + (n % 5))).toISOString(),
    }));
    await store.commitFetch(source.id, { outcome: 'ok', fetchedAt: new Date('2024-06-01T00:00:00Z'), items });
    const sources = new Map([[source.id, source]]);
    const seen: string[] = [];
    let before: ReturnType<typeof decodeRiverCursor>;
    let pages = 0;
    do {
      const view = riverView(
        await store.river({ limit: 10, ...(before && { before }) }),
        sources,
        dateLabels(),
      );
      seen.push(...view.days.flatMap((d) => d.posts.map((p) => p.title!)));
      before = view.older ? decodeRiverCursor(view.older) : undefined;
      assert.ok(!view.older || before, 'the page token decodes back to a cursor');
    } while (before && ++pages < 10);
    assert.equal(seen.length, 47);
    assert.equal(new Set(seen).size, 47);
    const all = (await store.river({ limit: 100 })).entries.map((e) => e.item.title);
    assert.deepEqual(seen, all);
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
