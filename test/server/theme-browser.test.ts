/**
 * Themes in a real headless Chromium: a theme exported with the CLI and edited shows its change both served
 * and built; the planet theme renders faces in a left column (screenshot kept as a test artifact); and a
 * theme cannot weaken the Content Security Policy — its own files load without a violation, while an inline
 * script or an http: stylesheet it adds is refused.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext } from 'playwright-core';
import { CONTENT_SECURITY_POLICY, createServer, exportSite } from '../../src/server/index.js';
import { BUILT_IN_THEMES, loadTheme } from '../../src/server/theme/index.js';
import { runCli } from '../cli/cli.js';
import { NOW, SITE } from '../publish/fixtures.js';
import { chromiumMissing, HOOKS, launch } from './chromium.js';
import { listen } from './helpers.js';
import { PNG } from './image-fixtures.js';
import { type PlanetFixture, planetFixture } from './planet-fixture.js';

const skip = chromiumMissing;
let fixture: PlanetFixture;
let tmp: string;
let browser: Browser;
before(async () => {
  if (skip) return;
  fixture = await planetFixture();
  tmp = mkdtempSync(join(tmpdir(), 'tributary-theme-browser-'));
  browser = await launch();
});
after(async () => {
  if (skip) return;
  await browser.close();
  await fixture.store.close();
  rmSync(fixture.dir, { recursive: true, force: true });
  // The planet screenshot is a test artifact: kept when TRIBUTARY_KEEP_ARTIFACTS is set.
  if (!process.env.TRIBUTARY_KEEP_ARTIFACTS) rmSync(tmp, { recursive: true, force: true });
  else console.log(`theme browser artifacts in ${tmp}`);
});

/** A context that reaches only `allowed` origins (and files), with dialogs trapped and CSP violations recorded. */
async function hermetic(...allowed: string[]): Promise<BrowserContext> {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    return url.startsWith('file:') || allowed.some((a) => url.startsWith(a))
      ? route.continue()
      : route.abort();
  });
  await context.addInitScript(HOOKS);
  return context;
}

const violations = (page: import('playwright-core').Page) =>
  page.evaluate<{ directive: string; blocked: string }[]>('window.__violations');

async function serveTheme(setting: string) {
  return listen(
    createServer({ store: fixture.store, site: SITE, now: () => NOW, theme: loadTheme(setting) }),
  );
}

test('a theme exported with the CLI, one template and the stylesheet edited: the change shows served and built', {
  skip,
  timeout: 120_000,
}, async () => {
  const dir = join(tmp, 'exported');
  const exported = await runCli(['theme', 'export', dir], { cwd: tmp });
  assert.equal(exported.code, 0, exported.stderr);
  const river = join(dir, 'river.eta');
  writeFileSync(
    river,
    readFileSync(river, 'utf8').replace(
      '<h1><%= it.heading %></h1>',
      '<h1><%= it.heading %></h1>\n<p class="theme-mark">Edited by our theme</p>',
    ),
  );
  appendFileSync(join(dir, 'style.css'), '\n.theme-mark { color: rgb(200, 10, 20); }\n');

  const server = await serveTheme(dir);
  const out = join(tmp, 'built');
  await exportSite(fixture.store, out, SITE, { now: () => NOW, theme: loadTheme(dir) });
  const context = await hermetic(server.base);
  try {
    const page = await context.newPage();
    for (const url of [`${server.base}/`, pathToFileURL(join(out, 'index.html')).href]) {
      await page.goto(url, { waitUntil: 'load' });
      assert.equal(await page.locator('.theme-mark').textContent(), 'Edited by our theme', url);
      assert.equal(
        await page.evaluate<string>("getComputedStyle(document.querySelector('.theme-mark')).color"),
        'rgb(200, 10, 20)',
        `${url}: the edited stylesheet applies`,
      );
      assert.ok(
        (await page.locator('main .post-title').count()) > 0,
        `${url}: posts shown by the built-in fallbacks`,
      );
      assert.deepEqual(await violations(page), [], `${url}: no CSP violation`);
    }
  } finally {
    await context.close();
    await server.close();
  }
});

test('the planet theme: a face column beside each post and source card, compact type; screenshot saved', {
  skip,
  timeout: 120_000,
}, async () => {
  const server = await serveTheme('planet');
  const context = await hermetic(server.base);
  try {
    const page = await context.newPage();
    await page.setViewportSize({ width: 1200, height: 900 });
    await page.goto(`${server.base}/`, { waitUntil: 'load' });
    const posts = await page.locator('main article.post').count();
    assert.ok(posts >= 5, `posts shown (${posts})`);
    assert.equal(
      await page.locator('main article.post > .face-column .face').count(),
      posts,
      'a face per post',
    );
    // No source has a face yet: each shows its name's initial, and the name beside it.
    assert.deepEqual(
      (await page.locator('main .face-initial').allInnerTexts()).slice(0, 2),
      ['A', 'C'],
      "Ada's Notebook, then Compilers & Co",
    );
    const first = page.locator('main article.post').first();
    const face = await first.locator('.face-column').boundingBox();
    const body = await first.locator('.post-column').boundingBox();
    assert.ok(face && body && face.x + face.width <= body.x, 'the face column is left of the post');
    assert.equal(
      await page.evaluate('getComputedStyle(document.body).maxWidth'),
      '992px',
      'the wider planet page',
    );
    assert.deepEqual(await violations(page), [], 'no CSP violation');

    const file = join(tmp, 'planet-theme.png');
    await page.screenshot({ path: file, fullPage: true });
    const png = readFileSync(file);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
    assert.equal(png.readUInt32BE(16), 1200, 'as wide as the viewport');
    assert.ok(png.readUInt32BE(20) >= 900, 'the whole page');
    assert.ok(png.length > 20_000, `a page's worth of pixels, not a blank (${png.length} bytes)`);

    await page.goto(`${server.base}/sources`, { waitUntil: 'load' });
    const cards = await page.locator('main article.source').count();
    assert.ok(cards >= 5);
    assert.equal(
      await page.locator('main article.source .face-column .face').count(),
      cards,
      'a face per source card',
    );
  } finally {
    await context.close();
    await server.close();
  }
});

test('a theme cannot weaken the CSP: its files load without violation; its inline script and http: stylesheet do not', {
  skip,
  timeout: 120_000,
}, async () => {
  const canaryHits: string[] = [];
  const canary = await listen(
    http.createServer((request, response) => {
      canaryHits.push(request.url ?? '');
      response.writeHead(200, { 'Content-Type': 'text/css' });
      response.end('body { display: none; }');
    }),
  );
  const layout = BUILT_IN_THEMES.default.templates['@layout']!.replace(
    '</head>',
    [
      `<link rel="stylesheet" href="<%= it.links.theme('extra.css') %>">`,
      `<link rel="stylesheet" href="${canary.base}/evil.css">`,
      "<script>alert('theme script')</script>",
      '</head>',
    ].join('\n'),
  ).replace(
    '<header class="site">',
    `<header class="site">\n<img class="logo" src="<%= it.links.theme('logo.png') %>" alt="">`,
  );
  const dir = join(tmp, 'hostile');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'layout.eta'), layout);
  writeFileSync(join(dir, 'extra.css'), '.site-title a { color: rgb(0, 128, 0); }\n');
  writeFileSync(join(dir, 'logo.png'), PNG);

  const server = await serveTheme(dir);
  // The canary is reachable: only the policy can keep the browser from it.
  const context = await hermetic(server.base, canary.base);
  try {
    const page = await context.newPage();
    const response = await page.goto(`${server.base}/`, { waitUntil: 'load' });
    assert.equal(
      response?.headers()['content-security-policy'],
      CONTENT_SECURITY_POLICY,
      'the policy, unchanged',
    );
    assert.deepEqual(await page.evaluate('window.__ran'), [], 'the inline script did not run');
    assert.deepEqual(canaryHits, [], 'the http: stylesheet was not requested');
    assert.equal(await page.evaluate('getComputedStyle(document.body).display'), 'block');
    assert.equal(
      await page.evaluate<string>("getComputedStyle(document.querySelector('.site-title a')).color"),
      'rgb(0, 128, 0)',
      "the theme's own stylesheet applies",
    );
    assert.equal(
      await page.evaluate<number>("document.querySelector('img.logo').naturalWidth"),
      1,
      'its image loads',
    );
    const seen = await violations(page);
    assert.deepEqual(
      seen.filter((v) => v.blocked.startsWith(server.base)),
      [],
      "no violation from Tributary's own or the theme's files",
    );
    assert.deepEqual(
      seen.map((v) => `${v.directive} ${v.blocked}`).sort(),
      ['script-src-elem inline', `style-src-elem ${canary.base}/evil.css`],
      'the two the theme tried, refused',
    );
  } finally {
    await context.close();
    await server.close();
    await canary.close();
  }
});
