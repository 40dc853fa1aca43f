/**
 * Image URLs mapped in sanitized HTML when a page is rendered: exactly the URLs a browser loads by itself
 * change, and nothing else in the markup does.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { mapImageUrls } from '../../src/content/image-urls.js';
import { sanitizeHtml } from '../../src/content/sanitize.js';

const VECTORS = fileURLToPath(new URL('../../../../shared/corpus/xss/vectors.json', import.meta.url));
const BASE = { baseUrl: 'http://blog.example/posts/1' };

test('the URLs a browser loads as images by itself are mapped, each srcset candidate with its descriptor', () => {
  const html = sanitizeHtml(
    '<p><a href="http://blog.example/big.png"><img src="http://blog.example/a.png" alt="A"></a></p>' +
      '<picture><source srcset="http://blog.example/b.avif 1x, http://blog.example/b2.avif 2x" type="image/avif">' +
      '<img src="data:image/png;base64,iVBORw0KGgo=" srcset="http://blog.example/c.png 480w,http://blog.example/c2.png 960w"></picture>' +
      '<video poster="http://blog.example/p.jpg"><source src="http://blog.example/v.mp4"></video>' +
      '<table background="http://blog.example/t.png"><tr><td>x</td></tr></table>',
    BASE,
  );
  const mapped = mapImageUrls(html, (url) => (url.startsWith('http:') ? `/img/${url.slice(20)}` : url));
  assert.equal(
    mapped,
    '<p><a href="http://blog.example/big.png"><img src="/img/a.png" alt="A" /></a></p>' +
      '<picture><source srcset="/img/b.avif 1x, /img/b2.avif 2x" type="image/avif" />' +
      '<img src="data:image/png;base64,iVBORw0KGgo=" srcset="/img/c.png 480w, /img/c2.png 960w" /></picture>' +
      '<video poster="/img/p.jpg"><source src="http://blog.example/v.mp4" /></video>' +
      '<table background="/img/t.png"><tr><td>x</td></tr></table>',
  );
  assert.match(
    mapped,
    /<a href="http:\/\/blog\.example\/big\.png">/,
    'links are not images: left as they are',
  );
  assert.match(mapped, /<source src="http:\/\/blog\.example\/v\.mp4"/, 'media sources are not images either');
  assert.match(mapped, /src="data:image\/png;base64,iVBORw0KGgo="/);
});

test('HTML holding no image comes back as the very same string, unparsed', () => {
  const html = sanitizeHtml('<p>Text with a <a href="http://blog.example/">link</a>.</p>', BASE);
  let called = 0;
  assert.equal(
    mapImageUrls(html, (url) => {
      called++;
      return url;
    }),
    html,
  );
  assert.equal(called, 0);
});

test('everything but the image URLs comes out as it went in, for every sanitized XSS vector', {
  skip: !existsSync(VECTORS) && `no vectors at ${VECTORS}`,
}, () => {
  const vectors = JSON.parse(readFileSync(VECTORS, 'utf8')) as { id: string; payload: string }[];
  let withImages = 0;
  for (const { id, payload } of vectors) {
    const html = sanitizeHtml(payload, BASE);
    assert.equal(
      mapImageUrls(html, (url) => url),
      html,
      `${id}: identity mapping changed the markup`,
    );
    const mapped = mapImageUrls(html, (url) => `/img/${Buffer.from(url).toString('base64url')}`);
    if (mapped !== html) withImages++;
    // What the mapping writes is still HTML the sanitizer would keep as it is.
    assert.equal(sanitizeHtml(mapped), mapped, `${id}: mapped output is not sanitizer-stable`);
  }
  assert.ok(withImages > 20, `${withImages} vectors hold images that were mapped`);
});
