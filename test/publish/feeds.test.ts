import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { prepareItems } from '../../src/ingest/prepare-items.js';
import type { JsonFeed } from '../../src/model.js';
import { parseFeed } from '../../src/parse/index.js';
import { renderDigestPost } from '../../src/publish/digest.js';
import {
  type FeedInput,
  publishedAuthors,
  renderAtom,
  renderDigest,
  renderJsonFeed,
  renderOpml,
  renderRss,
} from '../../src/publish/index.js';
import type { Source, StoredEntry } from '../../src/store/index.js';
import { type Fixture, NOW, riverFixture, SITE, tempStore } from './fixtures.js';

let fixture: Fixture;
let input: FeedInput;
before(async () => {
  fixture = await riverFixture();
  const sources = new Map((await fixture.store.listSources()).map((s) => [s.id, s]));
  input = { site: SITE, entries: (await fixture.store.river({ limit: 50 })).entries, sources, now: NOW };
});
after(() => fixture.cleanup());

/** What a reader of the river sees for each post, in river order. */
function expected(entries: readonly StoredEntry[], sources: ReadonlyMap<number, Source>) {
  return entries.map((e) => ({
    id: e.item.id,
    title: e.item.title,
    url: e.item.url,
    date_published: e.item.date_published,
    authors: publishedAuthors(e.item, sources.get(e.sourceId)).map((a) => a.name),
  }));
}

function seen(feed: JsonFeed) {
  return feed.items.map((i) => ({
    id: i.id,
    title: i.title,
    url: i.url,
    date_published: i.date_published,
    authors: (i.authors ?? []).map((a) => a.name),
  }));
}

for (const [name, render, format] of [
  ['Atom', renderAtom, 'atom10'],
  ['RSS', renderRss, 'rss20'],
  ['JSON Feed', renderJsonFeed, 'json11'],
] as const) {
  test(`${name} output round-trips through parseFeed: ids, titles, urls, dates, authors`, () => {
    const feed = parseFeed(render(input), { url: 'https://planet.example.org/feed' });
    assert.equal(feed._tributary.format, format);
    assert.equal(feed._tributary.bozo, false, feed._tributary.warnings.join('; '));
    assert.equal(feed.title, 'Planet Test');
    assert.equal(feed.items.length, 6);
    assert.deepEqual(seen(feed), expected(input.entries, input.sources));
  });
}

test('Atom and RSS entries name their origin feed in <source>', () => {
  const atom = parseFeed(renderAtom(input));
  const rss = parseFeed(renderRss(input));
  const first = input.entries[0]!;
  const origin = input.sources.get(first.sourceId)!;
  assert.deepEqual(atom.items[0]!._source, {
    title: 'Video Channel',
    url: 'https://video.example.com/',
    feed_url: origin.url,
  });
  assert.deepEqual(rss.items[0]!._source, { title: 'Video Channel', feed_url: origin.url });
  assert.equal(atom.items[0]!._youtube_id, 'dQw4w9WgXcQ');
});

test('enclosures survive into Atom (all), RSS (the first) and JSON Feed (all)', () => {
  const podcast = (f: JsonFeed) => f.items.find((i) => i.title === 'A podcast about looms')!;
  const mp3 = { url: 'https://cdn.example.org/loom.mp3', mime_type: 'audio/mpeg', size_in_bytes: 12345 };
  assert.deepEqual(podcast(parseFeed(renderAtom(input))).attachments?.[0], mp3);
  assert.deepEqual(podcast(parseFeed(renderRss(input))).attachments, [mp3]);
  assert.equal(podcast(parseFeed(renderJsonFeed(input))).attachments?.length, 2);
});

test('XML feeds stay well-formed with markup and characters XML 1.0 forbids in the data', () => {
  const source = input.sources.get(input.entries[0]!.sourceId)!;
  const hostile: StoredEntry = {
    ...input.entries[0]!,
    item: {
      id: 'tag:x,2024:<&>',
      url: 'https://example.org/?a=1&b=<2>',
      title: 'Bell\u0007 nul\u0000 ]]> </title><script>alert(1)</script> \uFFFE lone\uD800 pair😀',
      content_html: '<p>fine &amp; dandy</p>\u000B',
      authors: [{ name: 'O\'Brien "Bob" <bob>' }],
      date_published: '2024-05-01T00:00:00Z',
    },
  };
  const one: FeedInput = { ...input, entries: [hostile], sources: new Map([[source.id, source]]) };
  for (const xml of [renderAtom(one), renderRss(one)]) {
    assert.doesNotMatch(xml, /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE]/);
    assert.doesNotMatch(xml, /<script>/);
    const feed = parseFeed(xml);
    assert.equal(feed._tributary.bozo, false, feed._tributary.warnings.join('; '));
    assert.equal(feed.items[0]!.title, 'Bell nul ]]> </title><script>alert(1)</script> lone pair😀');
    assert.equal(feed.items[0]!.id, 'tag:x,2024:<&>');
    assert.equal(feed.items[0]!.url, 'https://example.org/?a=1&b=%3C2%3E', 'the link, normalised');
    assert.equal(feed.items[0]!.authors?.[0]?.name, 'O\'Brien "Bob" <bob>');
  }
});

test('OPML lists every source still published, with feed and site URLs', () => {
  const sources = [...input.sources.values()];
  const gone: Source = { ...sources[0]!, id: 99, url: 'https://gone.example/feed', status: 'gone' };
  const opml = renderOpml(SITE, [...sources, gone], NOW);
  const outlines = [...opml.matchAll(/<outline [^>]*xmlUrl="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(
    outlines,
    sources.map((s) => s.url),
  );
  assert.match(opml, /text="Ada&apos;s Notebook" title="Ada&apos;s Notebook"/);
  assert.match(opml, /htmlUrl="https:\/\/ada\.example\.org\/"/);
});

test('digest: per post the title, the attribution line, then the body as text; posts apart by blank lines', () => {
  const digest = renderDigest(input);
  const posts = digest.split(/\n\n\n/);
  assert.equal(posts[0], 'Planet Test\nPosts from a few test blogs');
  assert.equal(posts.length, 7);
  assert.equal(
    posts.find((p) => p.startsWith('Analytical engines')),
    [
      'Analytical engines',
      'Post Syndicated from Ada Lovelace original https://ada.example.org/posts/ada-1',
      '',
      'The engine weaves algebraic patterns.',
      '',
      '- cards',
      '- mill',
    ].join('\n'),
  );
  assert.ok(
    digest.includes(
      'Plain text thoughts\nPost Syndicated from Grace Hopper original https://grace.example.net/posts/grace-2\n\nFirst line.\n\nSecond <para> & more.',
    ),
  );
  assert.ok(
    digest.includes(
      'A short film\nPost Syndicated from Video Channel original https://video.example.com/posts/vid-1',
    ),
  );
  assert.ok(digest.endsWith('We found a moth.\n'));
});

/** A feed as the river gets it: parsed, prepared as ingest prepares it, stored, read back for publishing. */
async function publishParsed(
  feedText: string,
  url: string,
  check: (input: FeedInput) => void,
): Promise<void> {
  const { store, dir } = await tempStore();
  try {
    const parsed = parseFeed(feedText, { url });
    const source = await store.addSource({ url });
    await store.commitFetch(source.id, {
      outcome: 'ok',
      fetchedAt: NOW,
      feed: { title: parsed.title },
      httpStatus: 200,
      durationMs: 1,
      nextFetchAt: NOW,
      items: prepareItems(parsed.items, url),
    });
    const sources = new Map((await store.listSources()).map((s) => [s.id, s]));
    check({ site: SITE, entries: (await store.river({ limit: 5 })).entries, sources, now: NOW });
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('an HTML excerpt beside full content reaches the merged feeds as the text summary they declare', () =>
  publishParsed(
    `<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>WP</title>
      <item><title>Here</title><link>https://wp.example.org/here/</link><guid>https://wp.example.org/?p=1</guid>
        <description><![CDATA[<p>It&#8217;s here [&#8230;]</p>]]></description>
        <content:encoded><![CDATA[<p>It’s here, all of it.</p>]]></content:encoded></item></channel></rss>`,
    'https://wp.example.org/feed/',
    (merged) => {
      assert.match(renderAtom(merged), /<summary type="text">It’s here \[…\]<\/summary>/);
      assert.equal(JSON.parse(renderJsonFeed(merged)).items[0].summary, 'It’s here […]');
    },
  ));

test('a text summary with "&" and "<" is stored and published as the text it is, not escaped twice', () =>
  publishParsed(
    `<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>TV</title>
      <item><title>Cartoons</title><link>https://tv.example/1</link><description>Tom &amp;amp; Jerry: 3 &amp;lt; 4</description>
        <content:encoded><![CDATA[<p>The whole review.</p>]]></content:encoded></item></channel></rss>`,
    'https://tv.example/feed',
    (merged) => {
      assert.equal(merged.entries[0]!.item.summary, 'Tom & Jerry: 3 < 4');
      assert.equal(JSON.parse(renderJsonFeed(merged)).items[0].summary, 'Tom & Jerry: 3 < 4');
      assert.match(renderAtom(merged), /<summary type="text">Tom &amp; Jerry: 3 &lt; 4<\/summary>/);
    },
  ));

test("a post credited to its feed's author only (Atom <feed><author>) is credited to that author everywhere", () =>
  publishParsed(
    `<feed xmlns="http://www.w3.org/2005/Atom"><title>Owner's blog</title><author><name>Olive Owner</name></author>
      <entry><id>tag:o.example,2024:1</id><title>Hello</title><link href="https://o.example/1"/>
        <updated>2024-05-10T10:00:00Z</updated><content type="html">&lt;p&gt;Hi&lt;/p&gt;</content></entry></feed>`,
    'https://o.example/atom.xml',
    (merged) => {
      const line = 'Post Syndicated from Olive Owner original https://o.example/1';
      assert.ok(renderDigest(merged).includes(line), renderDigest(merged));
      assert.deepEqual(JSON.parse(renderJsonFeed(merged)).items[0].authors, [{ name: 'Olive Owner' }]);
      assert.match(renderAtom(merged), /<author><name>Olive Owner<\/name><\/author>/);
    },
  ));

test('the digest of a 3-post river reads title, attribution, text, next title: no rule lines', () =>
  publishParsed(
    `<rss version="2.0"><channel><title>Three</title><managingEditor>t@three.example (Tess)</managingEditor>
      <item><title>One</title><link>https://three.example/1</link><pubDate>Fri, 10 May 2024 11:00:00 GMT</pubDate>
        <description>&lt;p&gt;First.&lt;/p&gt;&lt;hr&gt;&lt;p&gt;After a rule.&lt;/p&gt;</description></item>
      <item><title>Two</title><link>https://three.example/2</link><pubDate>Fri, 10 May 2024 10:00:00 GMT</pubDate>
        <description>Second.</description></item>
      <item><title>Three</title><link>https://three.example/3</link><pubDate>Fri, 10 May 2024 09:00:00 GMT</pubDate>
        <description>Third.</description></item></channel></rss>`,
    'https://three.example/feed',
    (river) => {
      const digest = renderDigest({ ...river, site: { title: 'Planet Test' } });
      assert.equal(
        digest,
        [
          'Planet Test',
          '',
          '',
          'One',
          'Post Syndicated from Tess original https://three.example/1',
          '',
          'First.',
          '',
          'After a rule.',
          '',
          '',
          'Two',
          'Post Syndicated from Tess original https://three.example/2',
          '',
          'Second.',
          '',
          '',
          'Three',
          'Post Syndicated from Tess original https://three.example/3',
          '',
          'Third.',
          '',
        ].join('\n'),
      );
      assert.doesNotMatch(digest, /^\s*[-=_*]{3,}\s*$/m);
    },
  ));

test('a plain-text body keeps at most one blank line in a row, so it cannot read as the next post', () => {
  const post = renderDigestPost(
    { id: 'p', title: 'T', content_text: 'One.\n\n\n\nTwo.\n \n\nThree.' },
    undefined,
  );
  assert.equal(post, 'T\nPost Syndicated from an unknown source\n\nOne.\n\nTwo.\n\nThree.');
});
