import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readOpml } from '../../src/config/opml.js';
import { renderOpmlOutlines } from '../../src/publish/opml.js';

test('OPML import keeps order, titles and folders (as categories), drops duplicates and non-http URLs', () => {
  const { sources } = readOpml(`<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
    <outline text="Tech"><outline type="rss" text="A &amp; B" xmlUrl="https://a.example/feed"/>
      <outline text="Nested"><outline type="rss" title="C" xmlUrl="https://c.example/rss"/></outline></outline>
    <outline type="rss" text="dup" xmlUrl="https://a.example/feed"/>
    <outline type="rss" text="bad" xmlUrl="javascript:alert(1)"/>
    <outline type="rss" xmlUrl="https://d.example/atom"/></body></opml>`);
  assert.deepEqual(sources, [
    { url: 'https://a.example/feed', name: 'A & B', categories: ['Tech'] },
    { url: 'https://c.example/rss', name: 'C', categories: ['Tech/Nested'] },
    { url: 'https://d.example/atom' },
  ]);
});

test('OPML export escapes names and round-trips through import', () => {
  const xml = renderOpmlOutlines(
    'My <Planet>',
    [
      { xmlUrl: 'https://a.example/feed?x=1&y=2', title: 'Q&A "quoted"', htmlUrl: 'https://a.example/' },
      { xmlUrl: 'https://b.example/rss', title: 'B' },
    ],
    new Date(),
  );
  assert.match(xml, /<title>My &lt;Planet&gt;<\/title>/);
  assert.deepEqual(readOpml(xml).sources, [
    { url: 'https://a.example/feed?x=1&y=2', name: 'Q&A "quoted"' },
    { url: 'https://b.example/rss', name: 'B' },
  ]);
});

test('a document that is not OPML is refused', () => {
  assert.throws(() => readOpml('<rss version="2.0"><channel/></rss>'), /not an OPML/);
});
