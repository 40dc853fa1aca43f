/**
 * The planet pages over real HTTP: tags and categories on posts and as pages with their own feeds, per-source
 * feeds, one post carried by several sources, monthly archives, the icon and robots.txt, and a /sources
 * page that keeps error details to itself when asked.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import { parseFeed } from '../../src/parse/index.js';
import { CONTENT_SECURITY_POLICY, createServer } from '../../src/server/index.js';
import { NOW, riverFixture, SITE } from '../publish/fixtures.js';
import { listen, mainOf, request, textOfClass } from './helpers.js';
import { type PlanetFixture, planetFixture } from './planet-fixture.js';

let fixture: PlanetFixture;
let base: string;
let close: () => Promise<void>;

before(async () => {
  fixture = await planetFixture();
  ({ base, close } = await listen(
    createServer({ store: fixture.store, site: SITE, pageSize: 2, now: () => NOW }),
  ));
});
after(async () => {
  await close();
  await fixture.store.close();
  rmSync(fixture.dir, { recursive: true, force: true });
});

const titlesOf = (main: string) => textOfClass(main, 'post-title');

/** The main column of every page of a listing, following its "Older posts" links. */
async function allPages(path: string): Promise<string[]> {
  const pages: string[] = [];
  for (let next: string | undefined = path; next && pages.length < 20; ) {
    const reply = await request(base + next);
    assert.equal(reply.status, 200, next);
    pages.push(mainOf(reply.text));
    next = /<a rel="next" href="([^"]+)">Older posts<\/a>/.exec(reply.text)?.[1]?.replace(/&amp;/g, '&');
  }
  return pages;
}

const allTitles = async (path: string) => (await allPages(path)).flatMap(titlesOf);

/** A feed fetched from the server: well-formed (XML), read back by parseFeed without complaint. */
async function feedAt(path: string) {
  const reply = await request(base + path);
  assert.equal(reply.status, 200, path);
  if (!path.endsWith('.json'))
    assert.equal(XMLValidator.validate(reply.text), true, `${path} is well-formed`);
  const feed = parseFeed(reply.text);
  assert.equal(feed._tributary.bozo, false, `${path}: ${feed._tributary.warnings.join('; ')}`);
  return feed;
}

test('posts show their tags, each linking to its tag page', async () => {
  const html = mainOf((await request(`${base}/`)).text);
  assert.match(
    html,
    /<p class="tags">Tags: <a rel="tag" href="\/tags\/engines">Engines<\/a>, <a rel="tag" href="\/tags\/history">History<\/a><\/p>/,
  );
  const entry = (await request(`${base}/entries/3`)).text;
  assert.match(entry, /<a rel="tag" href="\/tags\/c%2B%2B%20%26%20go">C\+\+ &amp; Go<\/a>/);
});

test('/tags/<tag>: its posts, newest first, paginated like the river; matched case-insensitively; percent-encoded', async () => {
  const history = ['Analytical engines', 'Looms and cards', 'A compiler', 'Notes on Note G'];
  assert.deepEqual(await allTitles('/tags/history'), history);
  assert.deepEqual(await allTitles('/tags/HiStOrY'), history);
  assert.deepEqual(await allTitles('/tags/c%2B%2B%20%26%20GO'), ['Notes on Note G']);
  const page = (await request(`${base}/tags/history`)).text;
  assert.match(page, /<title>Posts tagged “History” — Planet Test<\/title>/);
  for (const path of ['/tags/nothing-here', '/tags/%E0%A4%A', '/tags/history?before=zz']) {
    assert.equal((await request(base + path)).status, 404, path);
  }
});

test('tag, category and source pages advertise their own feeds, which hold the same posts', async () => {
  const pages: [string, string, string[]][] = [
    [
      '/tags/history',
      '/tags/history',
      ['Analytical engines', 'Looms and cards', 'A compiler', 'Notes on Note G'],
    ],
    ['/categories/tech/languages', '/categories/tech/languages', ['Nanoseconds', 'A compiler']],
    [`/sources/${fixture.grace.id}`, `/sources/${fixture.grace.id}`, ['Nanoseconds', 'A compiler']],
  ];
  for (const [page, feeds, titles] of pages) {
    const html = (await request(base + page)).text;
    for (const [type, file] of [
      ['application/atom+xml', 'atom.xml'],
      ['application/rss+xml', 'rss.xml'],
      ['application/feed+json', 'feed.json'],
    ]) {
      const href = `${feeds}/${file}`;
      assert.match(
        html,
        new RegExp(`<link rel="alternate" type="${type.replace('+', '\\+')}" title="[^"]+" href="${href}">`),
      );
      assert.match(mainOf(html), new RegExp(`<a href="${href}">`), `${page} links ${href} visibly`);
      const feed = await feedAt(href);
      assert.deepEqual(
        feed.items.map((i) => i.title),
        titles,
        href,
      );
      assert.equal(feed.feed_url, `https://planet.example.org${href}`);
      assert.equal(feed.home_page_url, `https://planet.example.org${feeds}`);
    }
  }
  const rss = (await request(`${base}/tags/history/rss.xml`)).text;
  assert.match(
    rss,
    /<channel>\n<title>Posts tagged “History” — Planet Test<\/title><link>https:\/\/planet\.example\.org\/tags\/history<\/link>/,
  );
});

test('/categories/<path>: posts of the sources in it or below it; unknown categories are 404', async () => {
  assert.deepEqual(await allTitles('/categories/Tech'), [
    'Analytical engines',
    'Nanoseconds',
    'Looms and cards',
    'A compiler',
    'Notes on Note G',
  ]);
  assert.deepEqual(await allTitles('/categories/history'), [
    'Analytical engines',
    'Looms and cards',
    'Notes on Note G',
  ]);
  const html = (await request(`${base}/categories/tech/languages`)).text;
  assert.match(html, /<h1>Category: Tech\/Languages<\/h1>/);
  assert.match(mainOf(html), /<a href="\/sources\/2">Compilers &amp; Co<\/a>/);
  // The source page names its categories, linking to them.
  const source = mainOf((await request(`${base}/sources/${fixture.ada.id}`)).text);
  assert.match(
    source,
    /<a href="\/categories\/tech\/hardware">Tech\/Hardware<\/a>, <a href="\/categories\/history">History<\/a>/,
  );
  for (const path of ['/categories/nope', '/categories/tech/nope', '/categories/']) {
    assert.equal((await request(base + path)).status, 404, path);
  }
});

test('one article carried by three sources: shown once, attributed to the first, "also in" the others', async () => {
  // On a category page too, where the other sources are not in the category.
  const aggregators = mainOf((await request(`${base}/categories/aggregators`)).text);
  assert.match(
    aggregators,
    /Also in: <a href="\/sources\/4">Digest<\/a>, <a href="\/sources\/5">Weekly<\/a>/,
  );
  const posts = (await allPages('/'))
    .flatMap((main) => main.split('<article '))
    .filter((post) => post.includes('Shared article'));
  assert.equal(posts.length, 1, 'shown once');
  const post = posts[0]!;
  assert.match(post, /<a href="\/sources\/3">Planet Net<\/a>/);
  assert.match(
    post,
    new RegExp(
      `<p class="also-in">Also in: <a href="/sources/${fixture.digest.id}">Digest</a>, <a href="/sources/${fixture.weekly.id}">Weekly</a></p>`,
    ),
  );
});

test('/archive/YYYY/MM: the month’s posts, stable links, month navigation, linked from the river', async () => {
  assert.deepEqual(await allTitles('/archive/2024/05'), [
    'Analytical engines',
    'Nanoseconds',
    'Shared article',
  ]);
  assert.deepEqual(await allTitles('/archive/2024/04'), ['Looms and cards', 'A compiler']);
  const april = mainOf((await request(`${base}/archive/2024/04`)).text);
  assert.match(april, /<h1>April 2024<\/h1>/);
  assert.match(april, /<a rel="prev" href="\/archive\/2024\/03">← March 2024<\/a>/);
  assert.match(april, /<a rel="next" href="\/archive\/2024\/05">May 2024 →<\/a>/);
  const march = mainOf((await request(`${base}/archive/2024/03`)).text);
  assert.doesNotMatch(march, /rel="prev"/);
  const river = mainOf((await request(`${base}/`)).text);
  assert.match(river, /<a href="\/archive\/2024\/05">Archive: May 2024<\/a>/);
  for (const path of ['/archive/2024/13', '/archive/2024/5', '/archive/2023/01', '/archive/24/05']) {
    assert.equal((await request(base + path)).status, 404, path);
  }
});

test('/favicon.ico (a built-in icon, cached long), /robots.txt, and an icon link on every page', async () => {
  const icon = await request(`${base}/favicon.ico`);
  assert.equal(icon.status, 200);
  assert.equal(icon.headers['content-type'], 'image/x-icon');
  assert.match(icon.headers['cache-control'] ?? '', /max-age=(\d{7,})/);
  assert.deepEqual([...icon.body.subarray(0, 6)], [0, 0, 1, 0, 1, 0], 'an ICO file holding one image');
  const robots = await request(`${base}/robots.txt`);
  assert.equal(robots.status, 200);
  assert.equal(robots.headers['content-type'], 'text/plain; charset=utf-8');
  assert.match(robots.text, /^User-agent: \*$/m);
  for (const path of [
    '/',
    '/tags/history',
    '/categories/tech',
    '/archive/2024/05',
    '/sources',
    '/sources/1',
    '/entries/1',
    '/nope',
  ]) {
    const reply = await request(base + path);
    assert.match(reply.text, /<link rel="icon" href="\/favicon\.ico" type="image\/x-icon">/, path);
    assert.equal(reply.headers['content-security-policy'], CONTENT_SECURITY_POLICY, path);
    assert.doesNotMatch(reply.text, /<script|\sstyle=/i, path);
  }
});

test('site.public_health false: /sources keeps error text and fetch timings to itself; counts stay', async () => {
  const river = await riverFixture();
  const shown = await listen(createServer({ store: river.store, site: SITE, now: () => NOW }));
  const hidden = await listen(
    createServer({ store: river.store, site: { ...SITE, publicHealth: false }, now: () => NOW }),
  );
  try {
    for (const path of ['/sources', `/sources/${river.ada.id}`]) {
      const open = mainOf((await request(shown.base + path)).text);
      assert.match(open, /connection reset/);
      assert.match(open, /ms median/);
      const closed = mainOf((await request(hidden.base + path)).text);
      assert.doesNotMatch(closed, /connection reset|Last error/);
      assert.doesNotMatch(closed, /\d ms/);
      assert.match(closed, /<dt>Posts per week<\/dt>/);
      assert.match(closed, /<dt>Status<\/dt><dd class="status-error">error<\/dd>/);
      assert.match(closed, /fetches?, 1 not ok/);
    }
  } finally {
    await shown.close();
    await hidden.close();
    await river.cleanup();
  }
});
