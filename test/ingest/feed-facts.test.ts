/** The default face of a source, from each feed format as Tributary parses it, and learned by a refresh. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { feedFacts } from '../../src/ingest/feed-facts.js';
import { ParsePool } from '../../src/ingest/parse-pool.js';
import { refreshAll } from '../../src/ingest/refresh-all.js';
import { parseFeed } from '../../src/parse/index.js';
import { openStore } from '../../src/store/index.js';
import { type Route, rssFeed, startFeedServer, testIngestDeps } from './feed-server.js';

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

test('a refresh over HTTP learns each feed face and keeps it with the source (also from parse threads)', async (t) => {
  const jsonFeed = JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: 'Jo',
    authors: [{ name: 'Jo', avatar: '/avatar.jpg' }],
    items: [{ id: '1', content_text: 'hi', date_published: '2024-05-01T00:00:00Z' }],
  });
  const atom =
    '<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:a</id><updated>2024-05-01T00:00:00Z</updated><icon>/icon.png</icon></feed>';
  const server = await startFeedServer(
    new Map<string, Route>([
      ['/jo.json', { body: jsonFeed, contentType: 'application/feed+json' }],
      ['/a.atom', { body: atom, contentType: 'application/atom+xml' }],
      ['/plain.xml', { body: rssFeed('plain', 1) }],
    ]),
  );
  const dir = mkdtempSync(join(tmpdir(), 'tributary-feed-face-'));
  const pool = new ParsePool(1);
  t.after(async () => {
    await pool.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const store = await openStore(join(dir, 'faces.db'));
  await store.migrate();
  t.after(() => store.close());
  for (const path of ['/jo.json', '/a.atom', '/plain.xml']) await store.addSource({ url: server.url(path) });
  await refreshAll({ ...testIngestDeps(store), reader: pool }, await store.listSources(), { concurrency: 2 });
  const faces = Object.fromEntries(
    (await store.listSources()).map((s) => [new URL(s.url).pathname, s.feedFace]),
  );
  assert.deepEqual(faces, {
    '/jo.json': server.url('/avatar.jpg'),
    '/a.atom': server.url('/icon.png'),
    '/plain.xml': undefined,
  });
});
