import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readOpml } from '../../src/config/opml.js';
import { renderOpmlOutlines, sourceOutline } from '../../src/publish/opml.js';

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

test('faces, people and home pages round-trip through OPML export and import', () => {
  const config = [
    {
      url: 'https://jo.example/feed',
      name: 'Jo writes',
      person: 'Jo Doe',
      face: 'https://faces.example/jo.png',
      homepage: 'https://jo.example/',
      categories: ['People'],
    },
    { url: 'https://jo.example/photos.xml', name: 'Jo shoots', person: 'Jo Doe', face: 'faces/jo.jpg' },
    { url: 'https://news.example/rss', name: 'News' },
  ];
  const xml = renderOpmlOutlines(
    'Planet',
    config.map((s) => sourceOutline({ url: s.url, name: s.name, options: s })),
    new Date(),
  );
  assert.match(xml, /face="https:\/\/faces\.example\/jo\.png" person="Jo Doe"/);
  assert.match(xml, /htmlUrl="https:\/\/jo\.example\/"/);
  assert.deepEqual(readOpml(xml), { sources: config, notes: [] });
});

test('OPML import: a face that is not an image URL or a theme file is left out with a note; htmlUrl is a home page only for a person', () => {
  const { sources, notes } = readOpml(`<opml version="2.0"><body>
    <outline type="rss" text="A" xmlUrl="https://a.example/feed" face="../../etc/passwd" person="Ann"/>
    <outline type="rss" text="B" xmlUrl="https://b.example/feed" face="data:image/png;base64,AAAA"/>
    <outline type="rss" text="C" xmlUrl="https://c.example/feed" htmlUrl="https://c.example/"/>
    <outline type="rss" text="D" xmlUrl="https://d.example/feed" htmlUrl="https://d.example/me" person="Dee"/>
  </body></opml>`);
  assert.deepEqual(sources, [
    { url: 'https://a.example/feed', name: 'A', person: 'Ann' },
    { url: 'https://b.example/feed', name: 'B' },
    { url: 'https://c.example/feed', name: 'C' },
    { url: 'https://d.example/feed', name: 'D', person: 'Dee', homepage: 'https://d.example/me' },
  ]);
  assert.equal(notes.length, 2);
  assert.match(notes[0]!, /face of "A".*theme directory/);
  assert.match(notes[1]!, /face of "B".*not an http\(s\) URL/);
});
