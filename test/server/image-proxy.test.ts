/**
 * The image proxy over real loopback HTTP, held to the faults of other aggregators' proxies: unsigned URLs
 * (SSRF through an open relay), HTML or SVG served from our origin (XSS), redirects passed on or followed into
 * the private network, unbounded bodies. Servers that must reach the loopback image server say so
 * (allowPrivateNetworks, or the image server as a trusted origin); the refusal with the guard on is checked
 * apart.
 */
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, test } from 'node:test';
import { sanitizeHtml } from '../../src/content/sanitize.js';
import type { FeedItem } from '../../src/model.js';
import { type ImageProxyOptions, proxyPath } from '../../src/server/image-proxy.js';
import { createServer } from '../../src/server/index.js';
import { type FixtureServer, redirect, respond, startFixtureServer } from '../fetch/fixture-server.js';
import { NOW, tempStore } from '../publish/fixtures.js';
import { listen, mainOf, request } from './helpers.js';
import { HTML, JPEG, PNG, SVG } from './image-fixtures.js';

const MB = 1024 * 1024;

let images: FixtureServer;
let canary: FixtureServer;
/** Bytes the endless image server wrote before the proxy hung up. */
let floodWritten = 0;
let store: Awaited<ReturnType<typeof tempStore>>['store'];
let dir: string;
let secret: string;
const servers: { close: () => Promise<void> }[] = [];

/** Writes a PNG header, then zeros as fast as the reader takes them, up to 64 MB: an image with no end. */
function endlessImage(_req: unknown, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'image/png' });
  const chunk = Buffer.alloc(64 * 1024);
  floodWritten = 0;
  res.write(PNG.subarray(0, 16));
  const pump = () => {
    while (!res.destroyed && floodWritten < 64 * MB) {
      floodWritten += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

/** Honours If-None-Match, as a well-behaved image server does. */
function versionedImage(req: { headers: Record<string, unknown> }, res: ServerResponse): void {
  const validators = { etag: '"v1"', 'last-modified': 'Fri, 10 May 2024 10:00:00 GMT' };
  if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304, validators).end();
  res.writeHead(200, { 'content-type': 'image/png', ...validators }).end(PNG);
}

before(async () => {
  canary = await startFixtureServer({ '/steal': respond(200, { 'content-type': 'image/png' }, PNG) });
  images = await startFixtureServer({
    '/photo.png': respond(200, { 'content-type': 'image/png' }, PNG),
    '/photo.jpg': respond(200, { 'content-type': 'image/jpeg; charset=binary' }, JPEG),
    '/page.html': respond(200, { 'content-type': 'text/html' }, HTML),
    '/drawing.svg': respond(200, { 'content-type': 'image/svg+xml' }, SVG),
    '/svg-labelled-png.png': respond(200, { 'content-type': 'image/png' }, SVG),
    '/html-labelled-png.png': respond(200, { 'content-type': 'image/png' }, HTML),
    '/png-labelled-html': respond(200, { 'content-type': 'text/html' }, PNG),
    '/endless.png': endlessImage,
    '/announced-11mb.png': respond(200, { 'content-type': 'image/png', 'content-length': String(11 * MB) }),
    '/versioned.png': versionedImage,
    '/unversioned.png': respond(200, { 'content-type': 'image/png', etag: '"v1"' }, PNG),
    '/moved.png': redirect(302, '/photo.png'),
    '/to-canary.png': redirect(302, `${canary.origin}/steal`),
    '/to-metadata.png': redirect(302, 'http://169.254.169.254/latest/meta-data/'),
  });
  ({ store, dir } = await tempStore());
  secret = (await store.setting('image_proxy_secret'))!;
  const source = await store.addSource({ url: 'https://blog.example/feed', name: 'Blog' });
  const item = (id: string, html: string): FeedItem => ({
    id,
    url: `https://blog.example/${id}`,
    title: id,
    content_html: sanitizeHtml(html, { baseUrl: 'https://blog.example/' }),
    date_published: NOW.toISOString(),
  });
  await store.commitFetch(source.id, {
    outcome: 'ok',
    fetchedAt: NOW,
    items: [
      item('plain-http', `<p>A photo: <img src="${images.url('/photo.png')}" alt="photo"></p>`),
      item('https', '<p><img src="https://cdn.example/secure.png" alt="secure"></p>'),
      item(
        'responsive',
        `<picture><source srcset="${images.url('/photo.jpg')} 2x, https://cdn.example/b.png 3x"><img src="https://cdn.example/a.png" srcset="${images.url('/photo.png')} 1x"></picture><video poster="${images.url('/photo.png')}" src="https://cdn.example/v.mp4"></video><table background="${images.url('/photo.png')}"><tr><td>cell</td></tr></table>`,
      ),
    ],
  });
});

after(async () => {
  for (const server of servers) await server.close();
  await store.close();
  await images.close();
  await canary.close();
  const { rmSync } = await import('node:fs');
  rmSync(dir, { recursive: true, force: true });
});

/** A river server on the shared store; its base URL. */
async function serve(imageProxy?: ImageProxyOptions): Promise<string> {
  const server = await listen(
    createServer({ store, site: { title: 'Proxy test' }, now: () => NOW, ...(imageProxy && { imageProxy }) }),
  );
  servers.push(server);
  return server.base;
}

const loopbackAllowed: ImageProxyOptions = { fetchPolicy: { allowPrivateNetworks: true } };
const sign = (url: string) => proxyPath(secret, url);
/** The `src`/`srcset`/`poster`/`background` values of the post whose title is `id`. */
function imageUrlsOf(page: string, id: string): string[] {
  const post = new RegExp(`<article[^>]*>(?:(?!</article>)[\\s\\S])*?>${id}</a>[\\s\\S]*?</article>`).exec(
    page,
  );
  assert.ok(post, `post ${id} on the page`);
  return [...post[0].matchAll(/\s(?:src|srcset|poster|background)="([^"]*)"/g)].map((m) => m[1]!);
}
const requestsFor = (path: string) => images.requests.filter((r) => r.path === path).length;

test("a post's plain-http image is shown through the proxy, as an image under headers that let nothing run", async () => {
  const base = await serve(loopbackAllowed);
  const page = await request(`${base}/`);
  assert.match(page.headers['content-security-policy'] as string, /img-src 'self' https: data:;/);
  const [src] = imageUrlsOf(mainOf(page.text), 'plain-http');
  assert.ok(src?.startsWith('/img/'), `the page loads the image from this site, not ${src}`);
  assert.doesNotMatch(page.text, new RegExp(images.origin), 'the http URL is nowhere in the page');
  assert.deepEqual(imageUrlsOf(mainOf(page.text), 'https'), ['https://cdn.example/secure.png']);

  const reply = await request(base + src);
  assert.equal(reply.status, 200);
  assert.deepEqual(reply.body, PNG);
  assert.equal(reply.headers['content-type'], 'image/png');
  assert.equal(reply.headers['content-security-policy'], "default-src 'none'; sandbox");
  assert.equal(reply.headers['x-content-type-options'], 'nosniff');
  assert.equal(reply.headers['content-disposition'], 'inline');
  assert.equal(reply.headers['content-length'], String(PNG.length));
  const head = await request(base + src, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.body.length, 0);
});

test('srcset candidates, <picture> sources, posters and table backgrounds go through the proxy too', async () => {
  const base = await serve(loopbackAllowed);
  const urls = imageUrlsOf(mainOf((await request(`${base}/`)).text), 'responsive');
  assert.deepEqual(urls, [
    `${sign(images.url('/photo.jpg'))} 2x, https://cdn.example/b.png 3x`,
    'https://cdn.example/a.png',
    `${sign(images.url('/photo.png'))} 1x`,
    sign(images.url('/photo.png')),
    'https://cdn.example/v.mp4',
    sign(images.url('/photo.png')),
  ]);
  const jpeg = await request(base + sign(images.url('/photo.jpg')));
  assert.equal(jpeg.status, 200);
  assert.equal(jpeg.headers['content-type'], 'image/jpeg');
});

test('site.image_proxy applies when pages are rendered, so it changes posts already stored', async () => {
  const all = await serve({ ...loopbackAllowed, mode: 'all' });
  const allPage = mainOf((await request(`${all}/`)).text);
  assert.deepEqual(imageUrlsOf(allPage, 'https'), [sign('https://cdn.example/secure.png')]);
  assert.equal(imageUrlsOf(allPage, 'plain-http')[0], sign(images.url('/photo.png')));
  const off = await serve({ mode: 'off' });
  const offPage = mainOf((await request(`${off}/`)).text);
  assert.deepEqual(imageUrlsOf(offPage, 'plain-http'), [images.url('/photo.png')]);
  assert.deepEqual(imageUrlsOf(offPage, 'https'), ['https://cdn.example/secure.png']);
  // The stored post is untouched: it still holds the image's own address.
  const stored = (await store.river({ limit: 10 })).entries.find((e) => e.item.id === 'plain-http');
  assert.match(stored!.item.content_html!, new RegExp(`src="${images.url('/photo.png')}"`));
});

test('an unsigned or tampered image address is refused with 403, and nothing is fetched', async () => {
  const base = await serve(loopbackAllowed);
  const before = images.requests.length;
  const target = images.url('/photo.png');
  const encoded = Buffer.from(target).toString('base64url');
  const otherSignature = sign(images.url('/photo.jpg')).split('/')[2]!;
  const signedPath = sign(target);
  for (const path of [
    `/img/${'A'.repeat(22)}/${encoded}`, // made up
    `/img/${otherSignature}/${encoded}`, // another image's signature
    `${signedPath.slice(0, -2)}${signedPath.endsWith('AA') ? 'BB' : 'AA'}`, // the URL changed after signing
    proxyPath('another key', target), // signed with another database's key
    `/img/${encoded}`,
    `/img/${signedPath.split('/')[2]}/${encoded}/more`,
    `/img/${signedPath.split('/')[2]}/${encodeURIComponent(target)}`,
  ]) {
    const reply = await request(base + path);
    assert.equal(reply.status, 403, path);
    assert.equal(reply.headers['content-security-policy'], "default-src 'none'; sandbox", path);
  }
  assert.equal(images.requests.length, before, 'the image server was never asked');
  assert.equal((await request(base + signedPath)).status, 200, 'control: the signed address works');
});

test("a key given in the environment (TRIBUTARY_IMAGE_PROXY_SECRET) signs instead of the database's", async () => {
  const base = await serve({ ...loopbackAllowed, secret: 'shared by every replica' });
  const [src] = imageUrlsOf(mainOf((await request(`${base}/`)).text), 'plain-http');
  assert.equal(src, proxyPath('shared by every replica', images.url('/photo.png')));
  assert.equal((await request(base + src)).status, 200);
  assert.equal((await request(base + sign(images.url('/photo.png')))).status, 403);
});

test('with the address guard on (the default), a loopback image is refused before connecting', async () => {
  const base = await serve();
  const connections = images.connections;
  const page = mainOf((await request(`${base}/`)).text);
  const [src] = imageUrlsOf(page, 'plain-http');
  assert.equal(src, sign(images.url('/photo.png')), 'the page still routes it through the proxy');
  const reply = await request(base + src);
  assert.equal(reply.status, 403);
  assert.doesNotMatch(reply.text, /127\.0\.0\.1/, 'the refusal does not tell what the address is');
  assert.equal(images.connections, connections, 'no connection was made');
  assert.equal((await request(base + sign('http://169.254.169.254/latest/meta-data/'))).status, 403);
  assert.equal((await request(base + sign('http://[::1]:9/x.png'))).status, 403);
  assert.equal((await request(base + sign('file:///etc/passwd'))).status, 403);
});

test('redirects are followed by the proxy, checked hop by hop, never passed on: none into a private address', async () => {
  // Only the image server itself is reachable: every other hop meets the guard.
  const base = await serve({ fetchInternals: { trustedOrigins: [images.origin] } });
  const moved = await request(base + sign(images.url('/moved.png')));
  assert.equal(moved.status, 200, 'a redirect to a public (here: trusted) image is followed');
  assert.equal(moved.headers.location, undefined, 'and not passed on to the browser');
  assert.deepEqual(moved.body, PNG);
  for (const path of ['/to-canary.png', '/to-metadata.png']) {
    const reply = await request(base + sign(images.url(path)));
    assert.equal(reply.status, 403, path);
    assert.equal(reply.headers.location, undefined, path);
  }
  assert.deepEqual(canary.requests, [], 'the private address was never reached');
});

test('only raster images are served: HTML, SVG, and either labelled as PNG, are refused', async () => {
  const base = await serve(loopbackAllowed);
  for (const path of [
    '/page.html',
    '/drawing.svg',
    '/svg-labelled-png.png',
    '/html-labelled-png.png',
    '/png-labelled-html',
  ]) {
    const reply = await request(base + sign(images.url(path)));
    assert.equal(reply.status, 502, path);
    assert.equal(reply.headers['content-type'], 'text/plain; charset=utf-8', path);
    assert.doesNotMatch(reply.text, /<script|<svg/i, `${path}: none of it is passed on`);
    assert.equal(requestsFor(path), 1, `${path} was fetched (and refused) once`);
  }
});

test('an image over 10 MB is refused as it streams in, not after reading it all', async () => {
  const base = await serve(loopbackAllowed);
  const endless = await request(base + sign(images.url('/endless.png')));
  assert.equal(endless.status, 502);
  assert.match(endless.text, /larger than the 10 MB/);
  assert.ok(floodWritten < 64 * MB, `the proxy hung up after ${floodWritten} bytes, not at the server's end`);
  const announced = await request(base + sign(images.url('/announced-11mb.png')));
  assert.equal(announced.status, 502);
  assert.match(announced.text, /larger than the 10 MB/);
});

test("validators: the image server's ETag and Last-Modified are passed on, and a reader's are honoured", async () => {
  const base = await serve(loopbackAllowed);
  const path = sign(images.url('/versioned.png'));
  const first = await request(base + path);
  assert.equal(first.status, 200);
  assert.equal(first.headers.etag, '"v1"');
  assert.equal(first.headers['last-modified'], 'Fri, 10 May 2024 10:00:00 GMT');
  assert.match(first.headers['cache-control'] as string, /max-age=\d+/);
  const again = await request(base + path, { headers: { 'if-none-match': '"v1"' } });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  assert.equal(again.headers.etag, '"v1"');
  const changed = await request(base + path, { headers: { 'if-none-match': '"v0"' } });
  assert.equal(changed.status, 200);
  assert.deepEqual(changed.body, PNG);
  // An image server that ignores conditional requests: the proxy compares its ETag itself.
  const ignoring = await request(base + sign(images.url('/unversioned.png')), {
    headers: { 'if-none-match': 'W/"v1"' },
  });
  assert.equal(ignoring.status, 304);
});
