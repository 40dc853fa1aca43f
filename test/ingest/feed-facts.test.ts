/** The default face of a source, from each feed format as Tributary parses it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { feedFacts } from '../../src/ingest/feed-facts.js';
import { parseFeed } from '../../src/parse/index.js';

const URL_ = 'https://blog.example/feed';
const face = (doc: string) => feedFacts(parseFeed(doc, { url: URL_ })).face;

test('JSON Feed: the author avatar, else the icon, else the favicon; relative ones resolved', () => {
  const feed = (more: object) =>
    JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'T', items: [], ...more });
  assert.equal(
    face(feed({ authors: [{ name: 'Jo', avatar: '/jo.png' }], icon: 'https://blog.example/icon.png' })),
    'https://blog.example/jo.png',
  );
  assert.equal(
    face(feed({ icon: 'https://blog.example/icon.png', favicon: 'https://blog.example/f.ico' })),
    'https://blog.example/icon.png',
  );
  assert.equal(face(feed({ favicon: 'https://blog.example/f.ico' })), 'https://blog.example/f.ico');
  assert.equal(face(feed({})), undefined);
  // Not an image a page of ours loads: left out, the next candidate taken.
  assert.equal(
    face(feed({ authors: [{ avatar: 'javascript:alert(1)' }], favicon: 'https://blog.example/f.ico' })),
    'https://blog.example/f.ico',
  );
});

test('Atom: <icon>, else <logo>', () => {
  const atom = (inner: string) =>
    `<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>urn:x</id><updated>2024-01-01T00:00:00Z</updated>${inner}</feed>`;
  assert.equal(face(atom('<logo>/logo.png</logo><icon>/icon.png</icon>')), 'https://blog.example/icon.png');
  assert.equal(face(atom('<logo>https://cdn.example/logo.png</logo>')), 'https://cdn.example/logo.png');
  assert.equal(face(atom('')), undefined);
});

test('RSS: <image><url>, else the iTunes image', () => {
  const rss = (inner: string) =>
    `<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>T</title><link>https://blog.example/</link>${inner}</channel></rss>`;
  assert.equal(
    face(
      rss(
        '<image><url>http://blog.example/me.gif</url><title>T</title><link>https://blog.example/</link></image>',
      ),
    ),
    'http://blog.example/me.gif',
  );
  assert.equal(
    face(rss('<itunes:image href="https://cdn.example/show.jpg"/>')),
    'https://cdn.example/show.jpg',
  );
  assert.equal(face(rss('')), undefined);
});

test('RSS 1.0: the channel image', () => {
  const rdf = `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
    <channel rdf:about="https://blog.example/"><title>T</title><link>https://blog.example/</link><image rdf:resource="https://blog.example/logo.png"/></channel>
    <image rdf:about="https://blog.example/logo.png"><url>https://blog.example/logo.png</url></image></rdf:RDF>`;
  assert.equal(face(rdf), 'https://blog.example/logo.png');
});
