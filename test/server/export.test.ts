import assert from 'node:assert/strict';
import { createReadStream, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, posix } from 'node:path';
import { after, before, test } from 'node:test';
import { createServer, exportSite } from '../../src/server/index.js';
import { type Fixture, NOW, riverFixture, SITE } from '../publish/fixtures.js';
import { listen, mainOf, request } from './helpers.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.xml': 'application/xml',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** The plainest static file server: what any host of the exported folder would do. */
function staticServer(root: string): http.Server {
  return http.createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    let file = join(root, path);
    if (!file.startsWith(root)) file = join(root, '404.html');
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404, { 'Content-Type': TYPES['.html'] });
      createReadStream(join(root, '404.html')).pipe(res);
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
}

let fixture: Fixture;
let out: string;
let live: Awaited<ReturnType<typeof listen>>;
let exported: Awaited<ReturnType<typeof listen>>;
let files: string[];
const options = { pageSize: 2, now: () => NOW };

before(async () => {
  fixture = await riverFixture();
  out = mkdtempSync(join(tmpdir(), 'tributary-export-'));
  const result = await exportSite(fixture.store, out, SITE, options);
  files = (readdirSync(out, { recursive: true }) as string[]).filter((f) => statSync(join(out, f)).isFile());
  assert.equal(result.files, files.length);
  assert.equal(result.riverPages, 3);
  assert.equal(result.entries, 6);
  live = await listen(createServer({ store: fixture.store, site: SITE, ...options }));
  exported = await listen(staticServer(out));
});
after(async () => {
  await live.close();
  await exported.close();
  await fixture.cleanup();
  rmSync(out, { recursive: true, force: true });
});

test('the export writes the river pages, sources, permalinks, feeds, digest, stylesheet and 404 page', () => {
  const names = files.map((f) => f.split('\\').join('/')).sort();
  for (const name of [
    'index.html',
    'sources/index.html',
    'sources/1.html',
    'sources/2.html',
    'sources/3.html',
    'entries/1.html',
    'entries/6.html',
    'atom.xml',
    'rss.xml',
    'feed.json',
    'opml.xml',
    'digest.txt',
    'style.css',
    '404.html',
  ]) {
    assert.ok(names.includes(name), `${name} exported`);
  }
  assert.equal(names.filter((n) => n.startsWith('page/')).length, 2);
  assert.equal(
    names.filter((n) => /^sources\/2\/page\//.test(n)).length,
    1,
    'the 3-post source has a second page',
  );
});

/** What a reader sees in a page's main column: its text, without markup or link targets. */
function readerText(html: string): string {
  return mainOf(html)
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

test('served by a static file server, the exported river reads the same as the live one, page after page', async () => {
  let livePath: string | undefined = '/';
  let exportPath: string | undefined = '/index.html';
  let pages = 0;
  for (; livePath && exportPath && pages < 10; pages++) {
    const a = await request(live.base + livePath);
    const b = await request(exported.base + exportPath);
    assert.equal(b.status, 200, exportPath);
    assert.equal(readerText(b.text), readerText(a.text), `${livePath} vs ${exportPath}`);
    const older = (html: string) => /<a rel="next" href="([^"]+)">/.exec(html)?.[1]?.replace(/&amp;/g, '&');
    livePath = older(a.text);
    const next = older(b.text);
    exportPath = next && posix.join(posix.dirname(exportPath), next);
  }
  assert.equal(pages, 3);
  assert.equal(livePath, exportPath, 'both end on the same page');
});

test('feeds, digest and stylesheet are byte-identical to the live ones', async () => {
  for (const name of ['atom.xml', 'rss.xml', 'feed.json', 'opml.xml', 'digest.txt', 'style.css']) {
    const a = await request(`${live.base}/${name}`);
    const b = await request(`${exported.base}/${name}`);
    assert.deepEqual(b.body, a.body, name);
  }
});

test('every link and stylesheet in every exported page points to an exported file', async () => {
  let checked = 0;
  for (const file of files.filter((f) => f.endsWith('.html'))) {
    const html = (await request(`${exported.base}/${file}`)).text;
    assert.match(html, /<link rel="stylesheet" href="(\.\.\/)*style\.css">/, file);
    assert.doesNotMatch(html, /action="\/search"/, `${file}: no search form without a server`);
    for (const [, href] of html.matchAll(/(?:href|src)="([^"]+)"/g)) {
      if (/^https?:/.test(href!)) continue;
      const target = posix.normalize(posix.join(posix.dirname(file), href!));
      assert.ok(
        !target.startsWith('..') && existsSync(join(out, target)),
        `${file} links to ${href}, missing`,
      );
      checked++;
    }
  }
  assert.ok(checked > 100, `checked ${checked} local links`);
});
