/** The static export of the planet pages: tags, categories, months and every feed it can enumerate, served by
 * the plainest static file server, with every link (percent-encoded names included) leading to a file. */
import assert from 'node:assert/strict';
import { createReadStream, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join, normalize, posix } from 'node:path';
import { after, before, test } from 'node:test';
import { parseFeed } from '../../src/parse/index.js';
import { createServer, exportSite } from '../../src/server/index.js';
import { NOW, SITE } from '../publish/fixtures.js';
import { listen, mainOf, request } from './helpers.js';
import { type PlanetFixture, planetFixture } from './planet-fixture.js';

/** Serves files as any static host does: the URL path percent-decoded to a file name. */
function staticServer(root: string): http.Server {
  return http.createServer((req, res) => {
    const file = join(root, normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200);
    createReadStream(file).pipe(res);
  });
}

let fixture: PlanetFixture;
let out: string;
let files: string[];
let live: Awaited<ReturnType<typeof listen>>;
let exported: Awaited<ReturnType<typeof listen>>;
const options = { pageSize: 2, now: () => NOW };

before(async () => {
  fixture = await planetFixture();
  out = mkdtempSync(join(tmpdir(), 'tributary-planet-export-'));
  await exportSite(fixture.store, out, SITE, options);
  files = (readdirSync(out, { recursive: true }) as string[]).filter((f) => statSync(join(out, f)).isFile());
  live = await listen(createServer({ store: fixture.store, site: SITE, ...options }));
  exported = await listen(staticServer(out));
});
after(async () => {
  await live.close();
  await exported.close();
  await fixture.store.close();
  rmSync(fixture.dir, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

test('tags, categories (and the categories above them), months, per-source feeds, icon and robots.txt are written', () => {
  for (const name of [
    'tags/history.html',
    'tags/history/atom.xml',
    'tags/c%2B%2B%20%26%20go.html',
    'tags/c%2B%2B%20%26%20go/feed.json',
    'categories/tech.html',
    'categories/tech/languages.html',
    'categories/tech/languages/rss.xml',
    'categories/history.html',
    'archive/2024/05.html',
    'archive/2024/04.html',
    'archive/2024/03.html',
    'sources/1/atom.xml',
    'sources/5/feed.json',
    'favicon.ico',
    'robots.txt',
  ]) {
    assert.ok(
      files.includes(name),
      `${name} exported (of ${files.filter((f) => !f.startsWith('entries')).join(', ')})`,
    );
  }
  for (const paged of ['tags/history/page/', 'categories/tech/page/', 'archive/2024/05/page/'])
    assert.ok(
      files.some((f) => f.startsWith(paged)),
      `${paged}… exported`,
    );
});

test('every link of every exported page leads to an exported file', async () => {
  let checked = 0;
  for (const file of files.filter((f) => f.endsWith('.html'))) {
    const html = (await request(`${exported.base}/${encodeURI(file)}`)).text;
    assert.match(html, /<link rel="icon" href="(\.\.\/)*favicon\.ico"/, file);
    for (const [, href] of html.matchAll(/href="([^"?]+)"/g)) {
      if (/^https?:/.test(href!)) continue;
      const reply = await request(`${exported.base}/${posix.join(posix.dirname(encodeURI(file)), href!)}`);
      assert.equal(reply.status, 200, `${file} links to ${href}`);
      checked++;
    }
  }
  assert.ok(checked > 200, `checked ${checked} links`);
});

test('exported tag, category and month pages read as the live ones; their feeds point at themselves', async () => {
  for (const [livePath, file] of [
    ['/tags/history', 'tags/history.html'],
    ['/categories/tech', 'categories/tech.html'],
    ['/archive/2024/04', 'archive/2024/04.html'],
  ]) {
    const text = (html: string) =>
      mainOf(html)
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ');
    assert.equal(
      text((await request(`${exported.base}/${file}`)).text),
      text((await request(live.base + livePath!)).text),
    );
  }
  // A tag whose name needs escaping: the feed's self link, on a static host at the site's URL, is the file.
  const feed = parseFeed((await request(`${exported.base}/tags/c%252B%252B%2520%2526%2520go/atom.xml`)).text);
  assert.deepEqual(
    feed.items.map((i) => i.title),
    ['Notes on Note G'],
  );
  const self = new URL(feed.feed_url!);
  assert.equal(`${self.origin}/`, SITE.url);
  assert.equal((await request(exported.base + self.pathname)).status, 200, self.pathname);
  assert.equal((await request(exported.base + new URL(feed.home_page_url!).pathname)).status, 200);
});
