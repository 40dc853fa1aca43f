/**
 * `tributary demo` as a reader sees it, in a real headless Chromium with no network but the river's own
 * server: every picture of the sample posts shows (the sample sites serve them over plain http on loopback,
 * and the river loads them through its image proxy), and the page's CSP refuses nothing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { DEMO_FEEDS, startDemo } from '../../src/demo/index.js';
import { chromiumMissing, HOOKS, launch } from '../server/chromium.js';

interface ImageState {
  src: string;
  currentSrc: string;
  naturalWidth: number;
  face: boolean;
}

test('the demo river in Chromium: every image loads, from the river itself, with no CSP violation', {
  skip: chromiumMissing,
  timeout: 120_000,
}, async (t) => {
  const demo = await startDemo({ listen: '127.0.0.1:0', log: pino({ level: 'silent' }) });
  const browser = await launch();
  t.after(async () => {
    await browser.close();
    await demo.close();
  });
  const origin = new URL(demo.url).origin;
  const context = await browser.newContext({
    serviceWorkers: 'block',
    viewport: { width: 1280, height: 900 },
  });
  // Offline but for the river: anything else the page asks for is refused, and images are noted.
  const outsideImages: string[] = [];
  await context.route('**/*', (route) => {
    const request = route.request();
    if (request.url().startsWith(`${origin}/`)) return route.continue();
    if (request.resourceType() === 'image') outsideImages.push(request.url());
    return route.abort();
  });
  await context.addInitScript(HOOKS);
  const page = await context.newPage();
  const response = await page.goto(demo.url, { waitUntil: 'load' });
  assert.equal(response?.status(), 200);
  // Thumbnails load lazily: bring each image into view in turn, and wait until it has loaded or failed.
  await page.evaluate(`(async () => {
    for (const img of document.images) {
      img.scrollIntoView();
      if (!img.complete) await new Promise((done) => {
        img.addEventListener('load', done);
        img.addEventListener('error', done);
      });
    }
  })()`);
  const images = await page.evaluate<ImageState[]>(
    '[...document.images].map((img) => ({ src: img.getAttribute("src"), currentSrc: img.currentSrc, naturalWidth: img.naturalWidth, face: img.classList.contains("face") }))',
  );
  const violations = await page.evaluate<unknown[]>('window.__violations');

  // Every picture of a post; the podcast's cover (the show's artwork) is its source's face beside each episode.
  const pictures = DEMO_FEEDS.flatMap((f) => f.images).filter((i) => !i.path.endsWith('/cover.jpg'));
  const faces = images.filter((i) => i.face);
  assert.equal(
    images.length - faces.length,
    pictures.length,
    'every picture of a sample post is on the river',
  );
  assert.ok(faces.length > 0, 'the podcast shows its face');
  assert.equal(new Set(faces.map((i) => i.src)).size, 1, 'one face: the podcast cover');
  const broken = images.filter((i) => i.naturalWidth === 0).map((i) => i.src);
  assert.deepEqual(broken, [], 'images that did not load');
  for (const image of images) {
    assert.ok(image.currentSrc.startsWith(`${origin}/img/`), `${image.currentSrc} is served by the river`);
  }
  assert.deepEqual(violations, [], 'no CSP violation');
  assert.deepEqual(outsideImages, [], 'no image was asked of any other host');
});
