import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFeed } from '../../src/parse/index.js';

const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example.org/" xml:lang="en">
  <title type="html">A &lt;i&gt;blog&lt;/i&gt;</title>
  <subtitle>Notes</subtitle>
  <link href="/"/>
  <link rel="self" href="/atom.xml"/>
  <id>tag:example.org,2024:blog</id>
  <updated>2024-05-01T12:00:00Z</updated>
  <author><name>Blog Owner</name><uri>/about</uri><email>o@example.org</email></author>
  <entry xml:base="posts/">
    <title>Tables &amp; lists</title>
    <link rel="alternate" type="text/html" href="tables.html"/>
    <link rel="enclosure" href="/a.ogg" type="audio/ogg" length="100"/>
    <id>tag:example.org,2024:1</id>
    <published>2024-04-30T10:00:00-04:00</published>
    <updated>2024-05-01T12:00:00Z</updated>
    <category term="html" label="HTML"/>
    <summary type="text">Short &lt;not markup&gt;</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><table><tr><th>a</th></tr></table><img src="pic.png"/></div></content>
  </entry>
  <entry>
    <title type="text">Plain</title>
    <id>tag:example.org,2024:2</id>
    <updated>2024-05-02T00:00:00Z</updated>
    <content type="text">Line one

Line two &amp; more</content>
  </entry>
</feed>`;

test('Atom 1.0 feed: xml:base resolution, html title made plain, links by rel', () => {
  const f = parseFeed(ATOM);
  assert.equal(f._tributary.format, 'atom10');
  assert.equal(f.title, 'A blog');
  assert.equal(f.description, 'Notes');
  assert.equal(f.home_page_url, 'https://blog.example.org/');
  assert.equal(f.feed_url, 'https://blog.example.org/atom.xml');
  assert.equal(f.language, 'en');
  assert.deepEqual(f.authors, [
    { name: 'Blog Owner', url: 'https://blog.example.org/about', _email: 'o@example.org' },
  ]);
});

test('Atom entry: xhtml content without its div, URLs resolved against the entry base', () => {
  const e = parseFeed(ATOM).items[0]!;
  assert.equal(e.id, 'tag:example.org,2024:1');
  assert.equal(e.url, 'https://blog.example.org/posts/tables.html');
  assert.equal(e.title, 'Tables & lists');
  assert.equal(
    e.content_html,
    '<table><tr><th>a</th></tr></table><img src="https://blog.example.org/posts/pic.png"/>',
  );
  assert.equal(e.summary, 'Short <not markup>');
  assert.equal(e.date_published, '2024-04-30T14:00:00Z');
  assert.equal(e.date_modified, '2024-05-01T12:00:00Z');
  assert.deepEqual(e.tags, ['html']);
  assert.deepEqual(e.attachments, [
    { url: 'https://blog.example.org/a.ogg', mime_type: 'audio/ogg', size_in_bytes: 100 },
  ]);
});

test('Atom text content is content_text, with no HTML invented for it', () => {
  const e = parseFeed(ATOM).items[1]!;
  assert.equal(e.content_text, 'Line one\n\nLine two & more');
  assert.equal(e.content_html, undefined);
  assert.equal(e.date_published, undefined);
  assert.equal(e.date_modified, '2024-05-02T00:00:00Z');
});

test('Atom 0.3: version, issued/modified, base64 and escaped modes', () => {
  const f = parseFeed(`<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Old Atom</title>
  <link rel="alternate" type="text/html" href="http://ex.org/"/>
  <entry><title>E</title><link rel="alternate" type="text/html" href="http://ex.org/e"/><id>e1</id>
    <issued>2004-01-01T00:00:00Z</issued><modified>2004-01-02T00:00:00Z</modified>
    <content type="text/html" mode="base64">${Buffer.from('<b>bold</b>').toString('base64')}</content>
    <summary type="text/html" mode="escaped">&lt;i&gt;it&lt;/i&gt;</summary></entry></feed>`);
  assert.equal(f._tributary.format, 'atom03');
  const e = f.items[0]!;
  assert.equal(e.content_html, '<b>bold</b>');
  assert.equal(e.summary, 'it');
  assert.equal(e.date_published, '2004-01-01T00:00:00Z');
  assert.equal(e.date_modified, '2004-01-02T00:00:00Z');
});

test('YouTube channel feed: video id, thumbnail and media:description', () => {
  const f = parseFeed(`<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" xmlns:media="http://search.yahoo.com/mrss/" xmlns="http://www.w3.org/2005/Atom">
 <link rel="self" href="https://www.youtube.com/feeds/videos.xml?channel_id=UCabc"/>
 <title>A Channel</title>
 <link rel="alternate" href="https://www.youtube.com/channel/UCabc"/>
 <entry>
  <id>yt:video:dQw4w9WgXcQ</id>
  <yt:videoId>dQw4w9WgXcQ</yt:videoId>
  <title>A video</title>
  <link rel="alternate" href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"/>
  <author><name>A Channel</name><uri>https://www.youtube.com/channel/UCabc</uri></author>
  <published>2024-06-01T10:00:00+00:00</published>
  <media:group>
   <media:title>A video</media:title>
   <media:content url="https://www.youtube.com/v/dQw4w9WgXcQ?version=3" type="application/x-shockwave-flash" width="640" height="390"/>
   <media:thumbnail url="https://i1.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg" width="480" height="360"/>
   <media:description>What this video is about.
Second line.</media:description>
  </media:group>
 </entry>
</feed>`);
  const e = f.items[0]!;
  assert.equal(e._youtube_id, 'dQw4w9WgXcQ');
  assert.equal(e.image, 'https://i1.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg');
  assert.equal(e.summary, 'What this video is about.\nSecond line.');
  assert.equal(e.url, 'https://www.youtube.com/watch?v=dQw4w9WgXcQ');
});

const b64 = (s: string | Uint8Array) => Buffer.from(s).toString('base64');

test('base64 is decoded only where it is base64 of text: other MIME-typed text stays as written', () => {
  const entry = (inner: string) =>
    parseFeed(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>e</id>${inner}</entry></feed>`).items[0]!;
  assert.equal(entry('<title type="application/x-custom">Hello</title>').title, 'Hello');
  // "News" is valid base64, but of bytes that are not text.
  assert.equal(entry('<title type="application/x-custom">News</title>').title, 'News');
  const json = entry('<content type="application/json">{"a":1}</content>');
  assert.equal(json.content_text, '{"a":1}');
  assert.equal(json.content_html, undefined);
  const encoded = entry(`<content type="application/octet-stream">\n  ${b64('<p>Hi</p>')}\n</content>`);
  assert.equal(encoded.content_html, '<p>Hi</p>');
});

test('base64 content of binary media is not shown as text, and the feed says why', () => {
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
  const f = parseFeed(
    `<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>e</id><title>Pic</title><content type="image/png">${b64(png)}</content></entry></feed>`,
  );
  const e = f.items[0]!;
  assert.equal(e.content_html, undefined);
  assert.equal(e.content_text, undefined);
  assert.ok(
    f._tributary.warnings.some((w) => w.includes('image/png')),
    f._tributary.warnings.join(),
  );
});

test('xml:base applies to every URL: author uri under its own base, an empty href, any relative id', () => {
  const f = parseFeed(
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://ex.org/blog/"><title>B</title>
  <link rel="self" href=""/>
  <author xml:base="https://people.ex.org/"><name>Ann</name><uri>ann</uri></author>
  <entry><id>posts/1</id><title>One</title><link href=""/>
    <author><name>Bob</name><uri xml:base="/staff/">bob</uri></author></entry>
  <entry><id>/posts/2</id><title>Two</title></entry>
  <entry><id>tag:ex.org,2024:3</id><title>Three</title></entry>
  <entry><id>t3_42tizy</id><title>Opaque</title></entry></feed>`,
    { url: 'https://ex.org/feed.atom' },
  );
  assert.equal(f.feed_url, 'https://ex.org/blog/');
  assert.deepEqual(f.authors, [{ name: 'Ann', url: 'https://people.ex.org/ann' }]);
  const [one, two, three, opaque] = f.items;
  assert.equal(one!.id, 'https://ex.org/blog/posts/1');
  assert.equal(one!.url, 'https://ex.org/blog/');
  assert.deepEqual(one!.authors, [{ name: 'Bob', url: 'https://ex.org/staff/bob' }]);
  assert.equal(two!.id, 'https://ex.org/posts/2');
  assert.equal(three!.id, 'tag:ex.org,2024:3');
  assert.equal(opaque!.id, 't3_42tizy');
});

test('type="html" content wrapped in a literal XHTML div: the div is a wrapper, its text the HTML', () => {
  const f = parseFeed(`<feed xmlns="http://www.w3.org/2005/Atom"><title>W</title>
  <entry><id>a</id><title>Escaped</title>
    <content type="html"><div xmlns="http://www.w3.org/1999/xhtml">&lt;p&gt;Hi &amp;amp; bye&lt;/p&gt;</div></content></entry>
  <entry><id>b</id><title>Written</title>
    <content type="html">
      <div xmlns="http://www.w3.org/1999/xhtml"><p>Hi</p></div>
    </content></entry>
  <entry><id>c</id><title>Two blocks</title>
    <content type="html"><p>One</p><p>Two</p></content></entry></feed>`);
  const [a, b, c] = f.items;
  assert.equal(a!.content_html, '<p>Hi &amp; bye</p>');
  assert.equal(b!.content_html, '<p>Hi</p>');
  assert.equal(c!.content_html, '<p>One</p><p>Two</p>');
});

test('an HTML summary beside content is plain text; a text summary stays as written', () => {
  const f = parseFeed(`<feed xmlns="http://www.w3.org/2005/Atom"><title>S</title>
  <entry><id>a</id><title>a</title><summary type="html">&lt;p&gt;Short &amp;amp; &lt;em&gt;sweet&lt;/em&gt;&lt;/p&gt;</summary>
    <content type="html">&lt;p&gt;Long&lt;/p&gt;</content></entry>
  <entry><id>b</id><title>b</title><summary>Use &lt;b&gt; for bold</summary><content type="html">&lt;p&gt;x&lt;/p&gt;</content></entry></feed>`);
  assert.equal(f.items[0]!.summary, 'Short & sweet');
  assert.equal(f.items[1]!.summary, 'Use <b> for bold');
});
