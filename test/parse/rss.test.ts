import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFeed } from '../../src/parse/index.js';

const RSS2 = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:atom="http://www.w3.org/2005/Atom" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel>
  <title>Example &amp; Co</title>
  <link>https://example.org/</link>
  <atom:link rel="self" href="https://example.org/feed.xml"/>
  <atom:link rel="hub" href="https://hub.example.net/"/>
  <description>News from &lt;b&gt;Example&lt;/b&gt;</description>
  <language>en-gb</language>
  <ttl>90</ttl>
  <managingEditor>ed@example.org (Ed Itor)</managingEditor>
  <item>
    <title>First &lt;em&gt;post&lt;/em&gt;</title>
    <link>https://example.org/1</link>
    <guid isPermaLink="false">post-1</guid>
    <pubDate>Tue, 05 Mar 2024 09:30:00 +0100</pubDate>
    <dc:creator>Ann Author</dc:creator>
    <category>kernel</category><category>security</category>
    <description>The summary</description>
    <content:encoded><![CDATA[<p>Full <a href="/rel">text</a></p>]]></content:encoded>
    <enclosure url="https://example.org/ep1.mp3" type="audio/mpeg" length="12345"/>
    <itunes:duration>1:02:03</itunes:duration>
  </item>
  <item>
    <title>Second</title>
    <guid>https://example.org/2</guid>
    <description><![CDATA[Only <b>description</b>]]></description>
  </item>
</channel>
</rss>`;

test('RSS 2.0 channel fields map to the feed', () => {
  const f = parseFeed(RSS2, { url: 'https://example.org/feed.xml' });
  assert.equal(f._tributary.format, 'rss20');
  assert.equal(f.version, 'https://jsonfeed.org/version/1.1');
  assert.equal(f.title, 'Example & Co');
  assert.equal(f.home_page_url, 'https://example.org/');
  assert.equal(f.feed_url, 'https://example.org/feed.xml');
  assert.deepEqual(f.hubs, [{ type: 'WebSub', url: 'https://hub.example.net/' }]);
  assert.equal(f.description, 'News from <b>Example</b>');
  assert.equal(f.language, 'en-gb');
  assert.equal(f._ttl_minutes, 90);
  assert.deepEqual(f.authors, [{ name: 'Ed Itor', _email: 'ed@example.org' }]);
  assert.equal(f._tributary.bozo, false);
});

test('RSS 2.0 item: content:encoded is the content, description the summary, title plain text', () => {
  const [a] = parseFeed(RSS2, { url: 'https://example.org/feed.xml' }).items;
  assert.equal(a!.id, 'post-1');
  assert.equal(a!.url, 'https://example.org/1');
  assert.equal(a!.title, 'First post');
  assert.equal(a!.content_html, '<p>Full <a href="https://example.org/rel">text</a></p>');
  assert.equal(a!.summary, 'The summary');
  assert.equal(a!.date_published, '2024-03-05T08:30:00Z');
  assert.deepEqual(a!.authors, [{ name: 'Ann Author' }]);
  assert.deepEqual(a!.tags, ['kernel', 'security']);
  assert.deepEqual(a!.attachments, [
    {
      url: 'https://example.org/ep1.mp3',
      mime_type: 'audio/mpeg',
      size_in_bytes: 12345,
      duration_in_seconds: 3723,
    },
  ]);
});

test('RSS 2.0 item: a permalink guid is the url when there is no link; description becomes content', () => {
  const b = parseFeed(RSS2).items[1]!;
  assert.equal(b.id, 'https://example.org/2');
  assert.equal(b.url, 'https://example.org/2');
  assert.equal(b.content_html, 'Only <b>description</b>');
  assert.equal(b.summary, undefined);
});

test('RSS 1.0 (RDF): items beside the channel, dc:date, rdf:about', () => {
  const f = parseFeed(`<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://ex.org/"><title>RDF feed</title><link>https://ex.org/</link><description>d</description></channel>
  <item rdf:about="https://ex.org/a"><title>A</title><link>https://ex.org/a</link><dc:date>2024-01-02T03:04:05+02:00</dc:date></item>
</rdf:RDF>`);
  assert.equal(f._tributary.format, 'rss10');
  assert.equal(f.title, 'RDF feed');
  assert.equal(f.items.length, 1);
  assert.equal(f.items[0]!.id, 'https://ex.org/a');
  assert.equal(f.items[0]!.date_published, '2024-01-02T01:04:05Z');
});

test('RSS 0.90 and 0.91 are recognised by namespace and version', () => {
  const r090 =
    parseFeed(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/">
  <channel><title>Old</title><link>http://ex.org/</link></channel><item><title>I</title><link>http://ex.org/i</link></item></rdf:RDF>`);
  assert.equal(r090._tributary.format, 'rss090');
  assert.equal(r090.items[0]!.url, 'http://ex.org/i');
  const r091 = parseFeed(
    '<rss version="0.91"><channel><title>T</title><item><title>x</title><link>http://ex.org/x</link></item></channel></rss>',
  );
  assert.equal(r091._tributary.format, 'rss091');
});

test('an item with neither guid nor link gets a stable hash id', () => {
  const xml =
    '<rss version="2.0"><channel><title>T</title><item><title>No id</title><description>d</description></item></channel></rss>';
  const a = parseFeed(xml).items[0]!.id;
  assert.match(a, /^urn:sha1:[0-9a-f]{40}$/);
  assert.equal(parseFeed(xml).items[0]!.id, a);
});

test('unescaped HTML in a description is returned as written and flagged', () => {
  const f = parseFeed(
    '<rss version="2.0"><channel><title>T</title><item><title>x</title><description><p>Hello<br>world</p></description></item></channel></rss>',
  );
  assert.equal(f.items[0]!.content_html, '<p>Hello<br>world</p>');
  assert.equal(f._tributary.bozo, true);
});

test('media:content, media:thumbnail and an image enclosure fill image and attachments', () => {
  const f =
    parseFeed(`<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>T</title>
  <item><title>v</title><link>https://ex.org/v</link>
    <media:content url="https://cdn.ex.org/v.mp4" type="video/mp4" fileSize="999" duration="61"/>
    <media:thumbnail url="https://cdn.ex.org/v.jpg"/></item></channel></rss>`);
  const item = f.items[0]!;
  assert.equal(item.image, 'https://cdn.ex.org/v.jpg');
  assert.deepEqual(item.attachments, [
    { url: 'https://cdn.ex.org/v.mp4', mime_type: 'video/mp4', size_in_bytes: 999, duration_in_seconds: 61 },
  ]);
});

test('titles with markup become plain text: scripts, styles and comments leave nothing behind', () => {
  const f = parseFeed(
    '<rss version="2.0"><channel><title>T</title><item><title>sa&lt;!-- x --&gt;fe &lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;</title></item></channel></rss>',
  );
  assert.equal(f.items[0]!.title, 'safe bold');
});

test('the feed description is sanitized: it has no later ingest step', () => {
  const f = parseFeed(
    '<rss version="2.0"><channel><title>T</title><description>&lt;b onclick="x()"&gt;safe&lt;/b&gt;&lt;script&gt;alert(1)&lt;/script&gt;</description></channel></rss>',
  );
  assert.equal(f.description, '<b>safe</b>');
});

test('markup written inside RSS text elements keeps its text: titles, guids, categories, authors', () => {
  const f = parseFeed(`<rss version="2.0"><channel><title>My <b>Bold</b> Blog</title>
  <item><title><em>Breaking</em>: news <i>today</i></title><guid isPermaLink="false"><span>id-42</span></guid>
    <category><b>Tech</b></category><category>Plain</category><author><a>Ann</a> <i>Author</i></author></item>
  <item><title>Line<br/>break</title></item></channel></rss>`);
  assert.equal(f.title, 'My Bold Blog');
  const [a, b] = f.items;
  assert.equal(a!.title, 'Breaking: news today');
  assert.equal(a!.id, 'id-42');
  assert.deepEqual(a!.tags, ['Tech', 'Plain']);
  assert.deepEqual(a!.authors, [{ name: 'Ann Author' }]);
  assert.equal(b!.title, 'Line break');
});

const RSS_WITH_ATOM = `<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>T</title>
  <item><link>https://ex.org/a</link><title>Atom-filled</title>
    <atom:author><atom:name>Ann Atom</atom:name><atom:uri>https://ex.org/ann</atom:uri></atom:author>
    <atom:summary>Short text</atom:summary>
    <atom:content type="html">&lt;p&gt;Full &lt;a href="/x"&gt;body&lt;/a&gt;&lt;/p&gt;</atom:content>
    <atom:published>2024-03-01T10:00:00Z</atom:published><atom:updated>2024-03-02T10:00:00Z</atom:updated>
    <atom:category term="kernel" label="The Kernel"/><atom:category term="rust"/></item>
  <item><link>https://ex.org/b</link><title>Text content</title><atom:content type="text">a &lt; b</atom:content></item>
  <item><link>https://ex.org/c</link><title>RSS wins</title><author>rss@ex.org (Rita Rss)</author>
    <atom:author><atom:name>Ann Atom</atom:name></atom:author><pubDate>Fri, 01 Mar 2024 09:00:00 GMT</pubDate>
    <atom:published>2020-01-01T00:00:00Z</atom:published><description>RSS description</description>
    <atom:summary>Atom summary</atom:summary><category>rss-tag</category><atom:category term="atom-tag"/></item>
</channel></rss>`;

test('Atom elements in an RSS item fill what the RSS elements leave out', () => {
  const [a, b] = parseFeed(RSS_WITH_ATOM, { url: 'https://ex.org/feed' }).items;
  assert.deepEqual(a!.authors, [{ name: 'Ann Atom', url: 'https://ex.org/ann' }]);
  assert.equal(a!.content_html, '<p>Full <a href="https://ex.org/x">body</a></p>');
  assert.equal(a!.summary, 'Short text');
  assert.equal(a!.date_published, '2024-03-01T10:00:00Z');
  assert.equal(a!.date_modified, '2024-03-02T10:00:00Z');
  assert.deepEqual(a!.tags, ['kernel', 'rust']);
  assert.equal(b!.content_text, 'a < b');
  assert.equal(b!.content_html, undefined);
});

test('RSS elements outrank their Atom equivalents in the same item', () => {
  const c = parseFeed(RSS_WITH_ATOM, { url: 'https://ex.org/feed' }).items[2]!;
  assert.deepEqual(c.authors, [{ name: 'Rita Rss', _email: 'rss@ex.org' }]);
  assert.equal(c.date_published, '2024-03-01T09:00:00Z');
  assert.equal(c.content_html, 'RSS description');
  assert.equal(c.summary, undefined);
  assert.deepEqual(c.tags, ['rss-tag']);
});

test('iTunes item elements: keywords are tags, itunes:title stands in for a missing title, episode facts kept', () => {
  const f =
    parseFeed(`<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>Pod</title>
  <item><guid>https://pod.example/e42</guid><itunes:title>Episode <b>42</b></itunes:title>
    <itunes:keywords>alpha, beta ,,gamma</itunes:keywords><category>news</category>
    <itunes:episode>42</itunes:episode><itunes:season>3</itunes:season>
    <itunes:episodeType>Full</itunes:episodeType><itunes:explicit>yes</itunes:explicit></item>
  <item><guid>https://pod.example/t</guid><title>RSS title</title><itunes:title>iTunes title</itunes:title>
    <itunes:episodeType>trailer</itunes:episodeType><itunes:explicit>clean</itunes:explicit><itunes:episode>x</itunes:episode></item>
  <item><guid>https://pod.example/p</guid><title>Plain</title></item>
</channel></rss>`);
  const [a, b, c] = f.items;
  assert.equal(a!.title, 'Episode 42');
  assert.deepEqual(a!.tags, ['news', 'alpha', 'beta', 'gamma']);
  assert.deepEqual(a!._itunes, { episode: 42, season: 3, episode_type: 'full', explicit: true });
  assert.equal(b!.title, 'RSS title');
  assert.deepEqual(b!._itunes, { episode_type: 'trailer', explicit: false });
  assert.equal(c!._itunes, undefined);
});

test('in URLs of a malformed feed, "&name" before "=" or a letter is not an entity (HTML\'s attribute rule)', () => {
  const f =
    parseFeed(`<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>&copy 2024 Me</title>
  <link>http://e.org/?a=1&copy=2&reg=3</link><atom:link rel="self" href="http://e.org/feed?x=1&para=2"/>
  <image><url>http://e.org/logo.png?s=1&times=2</url></image>
  <item><title>x</title><link>http://e.org/p?id=1&amp;lang=en&copy=2&notit</link>
    <guid>http://e.org/p?id=1&sect=4</guid><enclosure url="http://e.org/a.mp3?u=1&copy=9" type="audio/mpeg"/></item>
</channel></rss>`);
  assert.equal(f.title, '© 2024 Me');
  assert.equal(f.home_page_url, 'http://e.org/?a=1&copy=2&reg=3');
  assert.equal(f.feed_url, 'http://e.org/feed?x=1&para=2');
  assert.equal(f.icon, 'http://e.org/logo.png?s=1&times=2');
  const item = f.items[0]!;
  assert.equal(item.url, 'http://e.org/p?id=1&lang=en&copy=2&notit');
  assert.equal(item.id, 'http://e.org/p?id=1&sect=4');
  assert.equal(item.attachments![0]!.url, 'http://e.org/a.mp3?u=1&copy=9');
});

test('Atom URLs follow the same rule: link href, author uri, icon, id', () => {
  const f =
    parseFeed(`<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><icon>http://e.org/i.png?a=1&copy=2</icon>
  <entry><id>http://e.org/?p=1&reg=2</id><title>t</title><link href="http://e.org/?p=1&copy=2"/>
    <author><name>N</name><uri>http://e.org/~n?x=1&not=2</uri></author></entry></feed>`);
  assert.equal(f.icon, 'http://e.org/i.png?a=1&copy=2');
  const e = f.items[0]!;
  assert.equal(e.id, 'http://e.org/?p=1&reg=2');
  assert.equal(e.url, 'http://e.org/?p=1&copy=2');
  assert.equal(e.authors![0]!.url, 'http://e.org/~n?x=1&not=2');
});

test('a summary beside full content is plain text: its HTML and references rendered as a reader sees them', () => {
  const f =
    parseFeed(`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title>
  <item><title>a</title><link>https://ex.org/a</link>
    <description>It&amp;#8217;s here [&amp;#8230;]</description>
    <content:encoded><![CDATA[<p>It’s here, all of it.</p>]]></content:encoded></item>
  <item><title>b</title><link>https://ex.org/b</link>
    <description><![CDATA[<p>Tom &amp; <b>Jerry</b></p><p>Part two</p>]]></description>
    <content:encoded><![CDATA[<p>Full</p>]]></content:encoded></item>
</channel></rss>`);
  const [a, b] = f.items;
  assert.equal(a!.summary, 'It’s here […]');
  assert.equal(b!.summary, 'Tom & Jerry\n\nPart two');
  assert.equal(b!.content_html, '<p>Full</p>');
});

test('a guid is the item URL only when it is an absolute http(s) URL and not marked isPermaLink="false"', () => {
  const f = parseFeed(
    `<rss version="2.0"><channel><title>P</title>
  <item><title>a</title><guid>ep-0042</guid></item>
  <item><title>b</title><guid>/episodes/43</guid></item>
  <item><title>c</title><guid isPermaLink="false">https://pod.example/44</guid></item>
  <item><title>d</title><guid>https://pod.example/45</guid></item>
</channel></rss>`,
    { url: 'https://feeds.example.com/feed' },
  );
  assert.deepEqual(
    f.items.map((i) => [i.id, i.url]),
    [
      ['ep-0042', undefined],
      ['/episodes/43', undefined],
      ['https://pod.example/44', undefined],
      ['https://pod.example/45', 'https://pod.example/45'],
    ],
  );
});

test('an RSS person written "email (URL)" or "Name (URL)" has that URL as its url, not in its name', () => {
  const f = parseFeed(`<rss version="2.0"><channel><title>P</title>
  <managingEditor>editor@example.org (https://example.org/about)</managingEditor>
  <item><title>a</title><author>Jo Doe (https://jo.example/)</author></item>
  <item><title>b</title><author>jo@example.org (Jo Doe)</author></item>
  <item><title>c</title><author>Ann &lt;https://ann.example/&gt;</author></item>
</channel></rss>`);
  assert.deepEqual(f.authors, [
    { name: 'editor@example.org', url: 'https://example.org/about', _email: 'editor@example.org' },
  ]);
  assert.deepEqual(
    f.items.map((i) => i.authors),
    [
      [{ name: 'Jo Doe', url: 'https://jo.example/' }],
      [{ name: 'Jo Doe', _email: 'jo@example.org' }],
      [{ name: 'Ann', url: 'https://ann.example/' }],
    ],
  );
});

test('Media RSS elements nested in media:content count: its thumbnail is the image, its description the summary', () => {
  const f =
    parseFeed(`<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>T</title>
  <item><title>v</title><link>https://ex.org/v</link>
    <media:content url="https://cdn.ex.org/v.mp4" type="video/mp4">
      <media:thumbnail url="https://cdn.ex.org/v.jpg"/><media:description>About the video</media:description>
    </media:content></item>
  <item><title>w</title><link>https://ex.org/w</link><media:thumbnail url="https://cdn.ex.org/item.jpg"/>
    <media:group><media:content url="https://cdn.ex.org/w.mp4" type="video/mp4"><media:thumbnail url="https://cdn.ex.org/nested.jpg"/></media:content></media:group></item>
</channel></rss>`);
  const [v, w] = f.items;
  assert.equal(v!.image, 'https://cdn.ex.org/v.jpg');
  assert.equal(v!.summary, 'About the video');
  assert.deepEqual(v!.attachments, [{ url: 'https://cdn.ex.org/v.mp4', mime_type: 'video/mp4' }]);
  assert.equal(w!.image, 'https://cdn.ex.org/item.jpg');
});
