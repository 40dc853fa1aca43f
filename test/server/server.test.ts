import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FeedItem } from '../../src/model.js';
import { parseFeed } from '../../src/parse/index.js';
import { CONTENT_SECURITY_POLICY, createServer } from '../../src/server/index.js';
import { TEMPLATES } from '../../src/server/templates.js';
import { checkTemplate } from '../../src/server/theme/check.js';
import { BUILT_IN_THEMES } from '../../src/server/theme/index.js';
import { type Fixture, NOW, riverFixture, SITE, tempStore } from '../publish/fixtures.js';
import { listen, mainOf, request, textOfClass } from './helpers.js';

let fixture: Fixture;
let base: string;
let close: () => Promise<void>;

before(async () => {
  fixture = await riverFixture();
  ({ base, close } = await listen(createServer({ store: fixture.store, site: SITE, now: () => NOW })));
});
after(async () => {
  await close();
  await fixture.cleanup();
});

const HTML_PAGES = ['/', '/sources', '/sources/1', '/entries/1', '/search?q=moth', '/search'];

test('every HTML page, including errors, carries the CSP and the other security headers', async () => {
  for (const path of [...HTML_PAGES, '/no/such/page', '/entries/999', '/?before=not-a-cursor']) {
    const reply = await request(base + path);
    assert.equal(reply.headers['content-type'], 'text/html; charset=utf-8', path);
    assert.equal(reply.headers['content-security-policy'], CONTENT_SECURITY_POLICY, path);
    assert.equal(reply.headers['x-content-type-options'], 'nosniff', path);
    assert.equal(reply.headers['referrer-policy'], 'no-referrer', path);
    assert.equal(reply.headers['cross-origin-opener-policy'], 'same-origin', path);
    assert.match(reply.text, /^<!doctype html>/, path);
    assert.doesNotMatch(reply.text, /<script|\sstyle=/i, `${path} has no script and no inline style`);
  }
  assert.equal(
    CONTENT_SECURITY_POLICY,
    "default-src 'none'; img-src 'self' https: data:; media-src https:; frame-src https://www.youtube-nocookie.com https://player.vimeo.com; style-src 'self' https:; font-src 'self' https:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'; connect-src 'self'",
  );
});

test('status codes: pages 200, unknown paths and cursors 404 (with the 404 page), POST 405', async () => {
  for (const path of HTML_PAGES) assert.equal((await request(base + path)).status, 200, path);
  for (const path of [
    '/nope',
    '/entries/999',
    '/sources/42',
    '/entries/abc',
    '/?before=zz',
    '/sources/1/x',
  ]) {
    const reply = await request(base + path);
    assert.equal(reply.status, 404, path);
    assert.match(mainOf(reply.text), /<h1>Not found<\/h1>/);
  }
  const post = await request(`${base}/`, { method: 'POST' });
  assert.equal(post.status, 405);
  assert.equal(post.headers.allow, 'GET, HEAD');
});

test('the river: newest first under day headings, titles link to originals, attribution for all three fallbacks', async () => {
  const html = (await request(`${base}/`)).text;
  assert.deepEqual(textOfClass(html, 'post-title'), [
    'A short film',
    'Nanoseconds & <wire>',
    'Plain text thoughts',
    'A podcast about looms',
    'Analytical engines',
    'Debugging',
  ]);
  assert.deepEqual(
    [...html.matchAll(/<h2 id="day-[^"]+"><time datetime="([^"]+)">([^<]+)<\/time><\/h2>/g)].map((m) => m[2]),
    ['Friday, 10 May 2024', 'Thursday, 9 May 2024', 'Wednesday, 8 May 2024', 'Tuesday, 7 May 2024'],
  );
  const lines = textOfClass(html, 'attribution');
  // First entry author; the source's configured author; the source's feed title (no name, no author).
  assert.ok(lines.includes('Post Syndicated from Ada Lovelace original https://ada.example.org/posts/ada-1'));
  assert.ok(
    lines.includes('Post Syndicated from Grace Hopper original https://grace.example.net/posts/grace-3'),
  );
  assert.ok(
    lines.includes('Post Syndicated from Video Channel original https://video.example.com/posts/vid-1'),
  );
  assert.equal(lines.length, 6);
  assert.match(html, /<a href="https:\/\/ada\.example\.org\/posts\/ada-1">Analytical engines<\/a>/);
  assert.match(html, /<a href="\/sources\/1">Ada&#39;s Notebook<\/a>/);
  assert.match(html, /<time datetime="2024-05-08T10:00:00Z">8 May 2024, 10:00<\/time>/);
  assert.match(html, /<audio controls preload="none" src="https:\/\/cdn\.example\.org\/loom\.mp3"><\/audio>/);
  assert.match(html, /<video controls preload="none" src="https:\/\/cdn\.example\.com\/film\.mp4"><\/video>/);
  assert.match(html, /<img src="https:\/\/i\.ytimg\.com\/vi\/dQw4w9WgXcQ\/hqdefault\.jpg"/);
  assert.match(
    html,
    /<p>The engine <em>weaves<\/em> algebraic patterns\.<\/p>/,
    'sanitized content is inserted as HTML',
  );
  assert.match(html, /<link rel="stylesheet" href="\/style\.css\?v=[\w-]+">/);
});

test('the entry permalink embeds the YouTube video through youtube-nocookie', async () => {
  const html = (await request(`${base}/entries/6`)).text;
  assert.match(html, /<iframe src="https:\/\/www\.youtube-nocookie\.com\/embed\/dQw4w9WgXcQ"/);
  assert.match(html, /<h1 class="post-title">/);
  assert.match(html, /<title>A short film — Planet Test<\/title>/);
});

test('/sources shows each source’s health and a server-rendered SVG chart; /sources/<id> its posts', async () => {
  const html = mainOf((await request(`${base}/sources`)).text);
  assert.equal([...html.matchAll(/<article class="source"/g)].length, 3);
  assert.equal([...html.matchAll(/<svg viewBox="0 0 298 48"/g)].length, 3);
  assert.match(html, /<dt>Last error<\/dt><dd>connection reset<\/dd>/);
  assert.match(html, /<dt>Status<\/dt><dd class="status-error">error<\/dd>/);
  assert.match(html, /<dt>Fetch time<\/dt><dd>1560 ms median, last 3000 ms<\/dd>/);
  assert.match(html, /class="strip outcome-failed"/);
  assert.match(html, /aria-label="Last 30 days: 2 new posts, 2 fetches, 1 not ok"/);
  // The cards' charts are a few paths; a source's own page has a tooltip for each day.
  const one = mainOf((await request(`${base}/sources/1`)).text);
  assert.match(one, /<title>2024-05-09: 2 new posts; 1 fetch, 0 not ok<\/title>/);
  assert.match(one, /<dt>Fetch time<\/dt><dd>1560 ms median, last 3000 ms<\/dd>/);
  const two = mainOf((await request(`${base}/sources/2`)).text);
  assert.match(two, /<h1>Compilers &amp; Co<\/h1>/);
  assert.deepEqual(textOfClass(two, 'post-title'), [
    'Nanoseconds & <wire>',
    'Plain text thoughts',
    'Debugging',
  ]);
});

test('search finds posts by their words and echoes the query escaped', async () => {
  const found = mainOf((await request(`${base}/search?q=moth`)).text);
  assert.deepEqual(textOfClass(found, 'post-title'), ['Debugging']);
  assert.match(found, /1 post matches “moth”/);
  const hostile = (await request(`${base}/search?q=${encodeURIComponent('"><script>alert(1)</script>')}`))
    .text;
  assert.doesNotMatch(hostile, /<script>/);
  assert.match(hostile, /value="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
  assert.match(
    hostile,
    /is not closed: add the closing &quot;/,
    'an unclosed quote is a message, escaped too',
  );
});

test('feeds and the digest: content types with charset, and parseable', async () => {
  const types: Record<string, string> = {
    '/atom.xml': 'application/atom+xml; charset=utf-8',
    '/rss.xml': 'application/rss+xml; charset=utf-8',
    '/feed.json': 'application/feed+json; charset=utf-8',
    '/opml.xml': 'text/x-opml; charset=utf-8',
    '/digest.txt': 'text/plain; charset=utf-8',
    '/style.css': 'text/css; charset=utf-8',
  };
  for (const [path, type] of Object.entries(types)) {
    const reply = await request(base + path);
    assert.equal(reply.status, 200, path);
    assert.equal(reply.headers['content-type'], type, path);
    assert.equal(reply.headers['x-content-type-options'], 'nosniff', path);
  }
  for (const path of ['/atom.xml', '/rss.xml', '/feed.json']) {
    const feed = parseFeed((await request(base + path)).body);
    assert.equal(feed.items.length, 6, path);
    assert.equal(feed.home_page_url, 'https://planet.example.org/', path);
  }
  assert.match(
    (await request(`${base}/digest.txt`)).text,
    /^Debugging\nPost Syndicated from Grace Hopper original /m,
  );
  assert.match((await request(`${base}/style.css`)).headers['cache-control']!, /max-age=86400/);
  assert.equal((await request(`${base}/`)).headers['cache-control'], 'public, max-age=60');
});

test('conditional requests: ETag and Last-Modified give 304 on every page and feed', async () => {
  for (const path of [
    ...HTML_PAGES,
    '/atom.xml',
    '/rss.xml',
    '/feed.json',
    '/opml.xml',
    '/digest.txt',
    '/style.css',
  ]) {
    const first = await request(base + path);
    const etag = first.headers.etag!;
    assert.match(etag, /^"[\w-]+"$/, path);
    const again = await request(base + path, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304, path);
    assert.equal(again.body.length, 0);
    assert.equal(again.headers.etag, etag);
    assert.equal((await request(base + path, { headers: { 'if-none-match': '"other"' } })).status, 200, path);
    const lastModified = first.headers['last-modified'];
    if (path === '/search') continue; // an empty search shows no posts: nothing to date it by
    assert.ok(lastModified, `${path} has Last-Modified`);
    assert.equal(
      (await request(base + path, { headers: { 'if-modified-since': lastModified } })).status,
      304,
      path,
    );
    const earlier = new Date(Date.parse(lastModified) - 1000).toUTCString();
    assert.equal(
      (await request(base + path, { headers: { 'if-modified-since': earlier } })).status,
      200,
      path,
    );
  }
  // The tag of a compressed variant validates too (a cache may hold either).
  const gz = await request(`${base}/`, { headers: { 'accept-encoding': 'gzip' } });
  assert.match(gz.headers.etag!, /-gzip"$/);
  assert.equal(
    (await request(`${base}/`, { headers: { 'if-none-match': `W/${gz.headers.etag}` } })).status,
    304,
  );
});

test('compression by Accept-Encoding: br preferred, gzip, identity; same bytes once decoded', async () => {
  const plain = await request(`${base}/`);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.headers.vary, 'Accept-Encoding');
  assert.equal(Number(plain.headers['content-length']), plain.body.length);
  const gz = await request(`${base}/`, { headers: { 'accept-encoding': 'gzip, deflate' } });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.deepEqual(gunzipSync(gz.body), plain.body);
  const br = await request(`${base}/`, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
  assert.equal(br.headers['content-encoding'], 'br');
  assert.deepEqual(brotliDecompressSync(br.body), plain.body);
  assert.ok(br.body.length < plain.body.length / 2);
  const refused = await request(`${base}/`, { headers: { 'accept-encoding': 'br;q=0, gzip;q=0.5' } });
  assert.equal(refused.headers['content-encoding'], 'gzip');
  const feed = await request(`${base}/atom.xml`, { headers: { 'accept-encoding': 'gzip' } });
  assert.ok(parseFeed(gunzipSync(feed.body)).items.length > 0);
});

test('HEAD gives GET’s headers and no body', async () => {
  for (const path of ['/', '/atom.xml', '/nope']) {
    const get = await request(base + path);
    const head = await request(base + path, { method: 'HEAD' });
    assert.equal(head.status, get.status, path);
    assert.equal(head.body.length, 0);
    assert.equal(head.headers['content-length'], get.headers['content-length'], path);
    assert.equal(head.headers.etag, get.headers.etag, path);
    assert.equal(head.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
  }
});

test('untrusted plain text (titles, names, ids) is escaped; only sanitized content is raw', async (t) => {
  const { store, dir } = await tempStore();
  const server = await listen(createServer({ store, site: { title: 'Site <b>&</b>' }, now: () => NOW }));
  t.after(async () => {
    await server.close();
    await store.close();
    (await import('node:fs')).rmSync(dir, { recursive: true, force: true });
  });
  const source = await store.addSource({
    url: 'https://evil.example/feed',
    name: '<img src=x onerror=alert(1)>',
    author: '"><script>alert(2)</script>',
  });
  const item: FeedItem = {
    id: 'e1',
    url: 'javascript:alert(3)',
    title: '<svg onload=alert(4)>',
    content_html: '<p>safe</p>',
    attachments: [{ url: 'javascript:alert(5)', mime_type: 'audio/mpeg' }],
    _youtube_id: '"><script>',
  };
  await store.commitFetch(source.id, { outcome: 'ok', fetchedAt: NOW, items: [item] });
  const html = (await request(`${server.base}/`)).text;
  assert.doesNotMatch(html, /<img src=x|<script>|<svg|javascript:/);
  assert.match(html, /&lt;svg onload=alert\(4\)&gt;/);
  assert.match(html, /Post Syndicated from &quot;&gt;&lt;script&gt;alert\(2\)&lt;\/script&gt;<\/p>/);
  assert.match(html, /<title>Site &lt;b&gt;&amp;&lt;\/b&gt;<\/title>/);
  assert.doesNotMatch(html, /youtube/);
});

test('templates insert raw output only for our own templates and the one sanitized-content slot', () => {
  const raw = Object.values(TEMPLATES).flatMap((t) =>
    [...t.matchAll(/<%~([\s\S]*?)%>/g)].map((m) => m[1]!.trim()),
  );
  for (const expression of raw) {
    const allowed =
      /^include\('@\w+', \{[^}]*\}\)$/.test(expression) ||
      expression === 'it.body' ||
      expression === 'it.raw.postHtml(it.post)';
    assert.ok(allowed, `unexpected raw output: ${expression}`);
  }
  assert.equal(raw.filter((e) => e.includes('postHtml')).length, 1);
  // The rules every theme is held to at start (theme/check.ts) pass for the built-in themes.
  for (const theme of Object.values(BUILT_IN_THEMES)) {
    const templates = new Set(Object.keys(theme.templates));
    for (const [name, source] of Object.entries(theme.templates)) {
      const context = { templates, assets: new Set<string>(), isLayout: name === '@layout' };
      assert.deepEqual(checkTemplate(source, context), [], `${theme.name} ${name}`);
    }
  }
});

test('rendered pages are cached and re-rendered after the time-to-live; a failing store gives a 500', async (t) => {
  const { store, dir } = await tempStore();
  const source = await store.addSource({ url: 'https://fresh.example/feed', name: 'Fresh' });
  const add = (n: number) =>
    store.commitFetch(source.id, {
      outcome: 'ok',
      fetchedAt: new Date(NOW.getTime() + n * 1000),
      items: [
        { id: `p${n}`, title: `Post ${n}`, date_published: new Date(NOW.getTime() + n * 1000).toISOString() },
      ],
    });
  await add(1);
  const errors: unknown[] = [];
  const cached = await listen(
    createServer({ store, site: SITE, cacheTtlMs: 3_600_000, onError: (e) => errors.push(e) }),
  );
  const live = await listen(
    createServer({ store, site: SITE, cacheTtlMs: 0, onError: (e) => errors.push(e) }),
  );
  t.after(async () => {
    await cached.close();
    await live.close();
    (await import('node:fs')).rmSync(dir, { recursive: true, force: true });
  });
  const titles = async (b: string) => textOfClass((await request(`${b}/`)).text, 'post-title');
  assert.deepEqual(await titles(cached.base), ['Post 1']);
  assert.deepEqual(await titles(live.base), ['Post 1']);
  await add(2);
  assert.deepEqual(await titles(cached.base), ['Post 1'], 'served from the cache within its time-to-live');
  assert.deepEqual(await titles(live.base), ['Post 2', 'Post 1'], 'rendered again once stale');
  // Re-rendering unchanged data gives the same bytes (no clock in the body), so validators keep matching.
  for (const path of ['/', '/entries/1', '/atom.xml', '/rss.xml', '/feed.json', '/opml.xml', '/digest.txt']) {
    const first = await request(live.base + path);
    const second = await request(live.base + path, { headers: { 'if-none-match': first.headers.etag! } });
    assert.equal(second.status, 304, path);
  }
  await store.close();
  const failed = await request(`${live.base}/`);
  assert.equal(failed.status, 500);
  assert.equal(failed.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
  assert.equal(failed.headers['cache-control'], 'no-store');
  assert.equal(errors.length, 1);
});

test('pagination over HTTP: following "Older posts" visits every post once, in river order', async (t) => {
  const { store, dir } = await tempStore();
  const source = await store.addSource({ url: 'https://many.example/feed', name: 'Many' });
  const items: FeedItem[] = Array.from({ length: 47 }, (_, n) => ({
    id: `m${n}`,
    title: `Many ${n}`,
    date_published: new Date(Date.UTC(2024, 4, 1 + (n % 4), n % 3)).toISOString(),
  }));
  await store.commitFetch(source.id, { outcome: 'ok', fetchedAt: NOW, items });
  const server = await listen(createServer({ store, site: SITE, pageSize: 10 }));
  t.after(async () => {
    await server.close();
    await store.close();
    (await import('node:fs')).rmSync(dir, { recursive: true, force: true });
  });
  for (const start of ['/', `/sources/${source.id}`]) {
    const seen: string[] = [];
    let path: string | undefined = start;
    for (let pages = 0; path && pages < 10; pages++) {
      const html: string = (await request(server.base + path)).text;
      seen.push(...[...html.matchAll(/<article class="post" id="post-(\d+)"/g)].map((m) => m[1]!));
      path = /<a rel="next" href="([^"]+)">Older posts<\/a>/.exec(html)?.[1]?.replace(/&amp;/g, '&');
      if (pages > 0) assert.match(html, /Newest posts/);
    }
    const all = (await store.river({ limit: 100 })).entries.map((e) => String(e.id));
    assert.equal(seen.length, 47, start);
    assert.deepEqual(seen, all, start);
  }
});

test('the stylesheet adapts to dark mode and small screens', async () => {
  const css = (await request(`${base}/style.css`)).text;
  assert.match(css, /@media \(prefers-color-scheme: dark\)/);
  assert.match(css, /@media \(max-width: 40rem\)/);
});
