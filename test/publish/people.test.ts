/** The view-model contract themes render: `post.source.face`/`faceFile`/`person`, the same on health cards. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dateLabels, personView, postView, sourceHealth } from '../../src/publish/index.js';
import type { Source, StoredEntry } from '../../src/store/index.js';

const NOW = new Date('2024-05-10T12:00:00Z');
const labels = dateLabels('UTC');
const source = (id: number, more: Partial<Source> = {}, options: Source['options'] = {}): Source => ({
  id,
  url: `https://s${id}.example/feed`,
  options,
  status: 'active',
  errorCount: 0,
  redirectSeenCount: 0,
  createdAt: NOW,
  ...more,
});
const entry = (sourceId: number): StoredEntry => ({
  id: 1,
  sourceId,
  item: { id: 'x', title: 'X', date_published: NOW.toISOString() },
  firstSeenAt: NOW,
  updatedAt: NOW,
});
/** The image proxy stand-in: marks the URLs a page routes. */
const routed = (url: string) => `/img/${encodeURIComponent(url)}`;

test('post.source: the configured face over the learned one, routed; the person with their home page', () => {
  const jo = source(
    1,
    { feedFace: 'https://s1.example/icon.png', homePageUrl: 'https://s1.example/' },
    { person: 'Jo Doe', face: 'http://faces.example/jo.png', homepage: 'https://jo.example/' },
  );
  const view = postView(entry(1), new Map([[1, jo]]), labels, undefined, routed);
  assert.deepEqual(view.source, {
    id: 1,
    name: 's1.example',
    homePageUrl: 'https://jo.example/',
    face: routed('http://faces.example/jo.png'),
    person: { name: 'Jo Doe', url: 'https://jo.example/' },
  });
});

test('a theme-file face is kept as faceFile (the feed face stands in until a theme serves it); no person, no person field', () => {
  const theo = source(
    2,
    { name: 'Theo', feedFace: 'https://s2.example/logo.png' },
    { face: 'faces/theo.png' },
  );
  const view = postView(entry(2), new Map([[2, theo]]), labels);
  assert.deepEqual(view.source, {
    id: 2,
    name: 'Theo',
    faceFile: 'faces/theo.png',
    face: 'https://s2.example/logo.png',
  });
  const bare = postView(entry(3), new Map([[3, source(3)]]), labels);
  assert.deepEqual(bare.source, { id: 3, name: 's3.example' });
});

test('health cards carry the same face and person', () => {
  const jo = source(1, {}, { person: 'Jo', face: 'https://faces.example/jo.png' });
  const card = sourceHealth(jo, { days: [], recentPosts: 0 }, NOW, labels, true, routed);
  assert.equal(card.face, routed('https://faces.example/jo.png'));
  assert.deepEqual(card.person, { name: 'Jo' });
});

test('a person of several sources: the first configured face and homepage among them, every source listed', () => {
  const a = source(
    1,
    { name: 'A', feedFace: 'https://s1.example/icon.png', homePageUrl: 'https://s1.example/' },
    { person: 'Jo' },
  );
  const b = source(
    2,
    { name: 'B' },
    { person: 'jo', face: 'https://faces.example/jo.png', homepage: 'https://jo.example/' },
  );
  assert.deepEqual(personView([a, b]), {
    name: 'Jo',
    url: 'https://jo.example/',
    face: 'https://faces.example/jo.png',
    sources: [
      { id: 1, name: 'A', homePageUrl: 'https://s1.example/' },
      { id: 2, name: 'B', homePageUrl: 'https://jo.example/' },
    ],
  });
  // Nothing configured: the learned face and the feed's home page of the first.
  assert.deepEqual(personView([a]), {
    name: 'Jo',
    url: 'https://s1.example/',
    face: 'https://s1.example/icon.png',
    sources: [{ id: 1, name: 'A', homePageUrl: 'https://s1.example/' }],
  });
});
