import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FeedError, parseFeed } from '../../src/parse/index.js';

function throwsFeedError(input: string | Uint8Array, code: string, url?: string): FeedError {
  try {
    parseFeed(input, { url });
  } catch (e) {
    assert.ok(e instanceof FeedError, `expected FeedError, got ${e}`);
    assert.equal(e.code, code);
    return e;
  }
  assert.fail('expected parseFeed to throw');
}

test('an HTML page is not a feed, and the error lists the feeds it advertises', () => {
  const e = throwsFeedError(
    `<!DOCTYPE html><html><head><base href="https://site.example/blog/">
      <link rel="alternate" type="application/rss+xml" title="RSS" href="feed.xml">
      <link rel="alternate" type="application/atom+xml" href="/atom.xml">
      <link rel="alternate" type="text/html" href="/other">
      <link rel="stylesheet" href="/s.css"></head><body></body></html>`,
    'html-page',
    'https://site.example/',
  );
  assert.deepEqual(
    e.feedLinks.map((l) => l.url),
    ['https://site.example/blog/feed.xml', 'https://site.example/atom.xml'],
  );
  assert.equal(e.feedLinks[0]!.title, 'RSS');
});

test('empty input, other XML, bad JSON, non-feed JSON and gzip bytes are typed errors', () => {
  throwsFeedError('   \n', 'empty');
  throwsFeedError('<?xml version="1.0"?><urlset><url/></urlset>', 'not-a-feed');
  throwsFeedError('{"version": ', 'malformed');
  throwsFeedError('{"hello": "world"}', 'not-a-feed');
  throwsFeedError(new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0]), 'binary');
  throwsFeedError('no markup at all', 'malformed');
});

test('leading garbage before the XML declaration is recovered', () => {
  const f = parseFeed(
    '\n\n junk <?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>',
  );
  assert.equal(f.title, 'T');
});

test('bytes are decoded by their declared encoding', () => {
  const bytes = Buffer.concat([
    Buffer.from('<?xml version="1.0" encoding="windows-1252"?><rss version="2.0"><channel><title>'),
    Buffer.from([0x93, 0x80, 0x94]),
    Buffer.from('</title></channel></rss>'),
  ]);
  assert.equal(parseFeed(bytes).title, '\u201c\u20ac\u201d');
});

test('a feed wrapped in an HTML page is still read, and flagged', () => {
  const f = parseFeed(
    '<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml"><body><feed xmlns="http://www.w3.org/2005/Atom"><title>Inside</title>' +
      '<entry><id>1</id><title>E</title></entry></feed></body></html>',
  );
  assert.equal(f.title, 'Inside');
  assert.equal(f.items.length, 1);
  assert.equal(f._tributary.bozo, true);
});

test("items without authors take the feed's (JSON Feed 1.1 rule), whatever the format", () => {
  const atom = parseFeed(`<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
  <author><name>Feed Owner</name><uri>https://ex.org/owner</uri></author>
  <entry><id>1</id><title>mine</title><author><name>Guest</name></author></entry>
  <entry><id>2</id><title>inherited</title></entry></feed>`);
  assert.deepEqual(atom.items[0]!.authors, [{ name: 'Guest' }]);
  assert.deepEqual(atom.items[1]!.authors, [{ name: 'Feed Owner', url: 'https://ex.org/owner' }]);

  const json = parseFeed(
    JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'J',
      authors: [{ name: 'Jay' }],
      items: [{ id: 'a', content_text: 'x' }],
    }),
  );
  assert.deepEqual(json.items[0]!.authors, [{ name: 'Jay' }]);
  // Each item gets its own copy: changing one item's authors leaves the feed's and the others' alone.
  assert.notEqual(atom.items[1]!.authors, atom.authors);
});

test('text before the document element (a PHP notice) is read past, and the feed is flagged bozo', () => {
  const f = parseFeed(
    'Notice: Undefined index: x in /var/www/feed.php on line 3\n<?xml version="1.0"?><rss version="2.0"><channel><title>After</title></channel></rss>',
  );
  assert.equal(f.title, 'After');
  assert.equal(f._tributary.bozo, true);
  assert.ok(f._tributary.warnings.includes('text before the document element'), f._tributary.warnings.join());
});
