/**
 * `tributary build` has no image proxy to point at: it copies the images the live site would proxy into the
 * export, through the same guard, within bounds, and the pages load the copies.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { after, before, test } from 'node:test';
import { sanitizeHtml } from '../../src/content/sanitize.js';
import type { FeedItem } from '../../src/model.js';
import type { ExportImageOptions } from '../../src/server/export-images.js';
import { exportSite } from '../../src/server/index.js';
import { type FixtureServer, respond, startFixtureServer } from '../fetch/fixture-server.js';
import { NOW, tempStore } from '../publish/fixtures.js';
import { HTML, JPEG, PNG, SVG } from './image-fixtures.js';

let images: FixtureServer;
let store: Awaited<ReturnType<typeof tempStore>>['store'];
let dir: string;
const outs: string[] = [];

before(async () => {
  images = await startFixtureServer({
    '/a.png': respond(200, { 'content-type': 'image/png' }, PNG),
    '/b.jpg': respond(200, { 'content-type': 'image/jpeg' }, JPEG),
    '/c.png': respond(200, { 'content-type': 'image/png' }, PNG),
    '/drawing.svg': respond(200, { 'content-type': 'image/svg+xml' }, SVG),
    '/page.png': respond(200, { 'content-type': 'image/png' }, HTML),
  });
  ({ store, dir } = await tempStore());
  const source = await store.addSource({ url: 'https://blog.example/feed', name: 'Blog' });
  const item = (id: string, hoursAgo: number, html: string): FeedItem => ({
    id,
    url: `https://blog.example/${id}`,
    title: id,
    content_html: sanitizeHtml(html, { baseUrl: 'https://blog.example/' }),
    date_published: new Date(NOW.getTime() - hoursAgo * 3_600_000).toISOString(),
  });
  await store.commitFetch(source.id, {
    outcome: 'ok',
    fetchedAt: NOW,
    items: [
      item('first', 1, `<img src="${images.url('/a.png')}" srcset="${images.url('/b.jpg')} 2x">`),
      item('second', 2, `<img src="${images.url('/a.png')}"><img src="https://cdn.example/x.png">`),
      item('third', 3, `<img src="${images.url('/c.png')}">`),
      item('hostile', 4, `<img src="${images.url('/drawing.svg')}"><img src="${images.url('/page.png')}">`),
    ],
  });
});

after(async () => {
  await store.close();
  await images.close();
  for (const out of outs) rmSync(out, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

async function exportWith(options: ExportImageOptions) {
  const out = mkdtempSync(join(tmpdir(), 'tributary-export-images-'));
  outs.push(out);
  const result = await exportSite(store, out, { title: 'Export' }, { now: () => NOW, images: options });
  const page = (file: string) => readFileSync(join(out, file), 'utf8');
  /** The image URLs of the post titled `id` in the page at `file`. */
  const imagesOf = (file: string, id: string) => {
    const post = new RegExp(`<article[^>]*>(?:(?!</article>)[\\s\\S])*?>${id}</[\\s\\S]*?</article>`).exec(
      page(file),
    );
    assert.ok(post, `${id} in ${file}`);
    return [...post[0].matchAll(/\s(?:src|srcset)="([^"]*)"/g)].map((m) => m[1]!);
  };
  return { out, result, imagesOf };
}

const allowLoopback = { fetchPolicy: { allowPrivateNetworks: true } };

test('plain-http images are copied into the export once each, and every page loads the copies', async () => {
  const { out, result, imagesOf } = await exportWith({ mode: 'http', ...allowLoopback });
  const [a, b] = imagesOf('index.html', 'first');
  assert.match(a!, /^images\/[0-9a-f]{32}\.png$/);
  assert.match(b!, /^images\/[0-9a-f]{32}\.jpg 2x$/);
  assert.deepEqual(readFileSync(join(out, a!)), PNG);
  assert.deepEqual(readFileSync(join(out, b!.replace(' 2x', ''))), JPEG);
  assert.deepEqual(imagesOf('index.html', 'second'), [a, 'https://cdn.example/x.png'], 'https is left as is');
  // A permalink and a source page one folder down reach the same copy.
  const entry = imagesOf('entries/1.html', 'first')[0]!;
  assert.equal(posix.join('entries', entry), a);
  assert.equal(
    posix.join('sources', imagesOf('sources/1.html', 'third')[0]!),
    imagesOf('index.html', 'third')[0],
  );
  assert.equal(result.images, 3, 'a.png, b.jpg and c.png, each once');
  assert.equal(images.requests.filter((r) => r.path === '/a.png').length, 1);
  // What is no raster image stays out of the export, at its own address.
  assert.deepEqual(imagesOf('index.html', 'hostile'), [images.url('/drawing.svg'), images.url('/page.png')]);
  assert.equal(result.imagesNotCopied, 2);
});

test('with the address guard on (the default), no loopback image is fetched and pages keep their addresses', async () => {
  const asked = images.requests.length;
  const { out, result, imagesOf } = await exportWith({ mode: 'http' });
  assert.equal(images.requests.length, asked, 'the image server was never asked');
  assert.equal(result.images, 0);
  assert.deepEqual(imagesOf('index.html', 'third'), [images.url('/c.png')]);
  assert.ok(!existsSync(join(out, 'images')));
});

test('the export copies at most the bounded number of images; the rest keep their address', async () => {
  const { result, imagesOf } = await exportWith({ mode: 'http', ...allowLoopback, maxImages: 2 });
  assert.equal(result.images, 2);
  assert.match(imagesOf('index.html', 'first')[0]!, /^images\//);
  assert.deepEqual(imagesOf('index.html', 'third'), [images.url('/c.png')]);
});

test('image_proxy: off copies nothing', async () => {
  const { result, imagesOf } = await exportWith({ mode: 'off', ...allowLoopback });
  assert.equal(result.images, 0);
  assert.deepEqual(imagesOf('index.html', 'third'), [images.url('/c.png')]);
});
