/**
 * The river in a real headless Chromium: every XSS vector of ../shared (when present) and our own hostile
 * fixtures go through sanitizeHtml as ingest does, titles and names go in unsanitized (they are plain text
 * the templates must escape). Nothing may run, no dialog may open, no request may reach the canary, and our
 * own stylesheet must load under the CSP. Also saves screenshots to artifacts/screenshots/.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { sanitizeHtml } from '../../src/content/sanitize.js';
import type { FeedItem } from '../../src/model.js';
import { createServer } from '../../src/server/index.js';
import { NOW, riverFixture, SITE, tempStore } from '../publish/fixtures.js';
import { absent, launch } from './chromium.js';
import { listen } from './helpers.js';

const VECTORS = fileURLToPath(new URL('../../../../shared/corpus/xss/vectors.json', import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL('../../../artifacts/screenshots/', import.meta.url));

/** Runs before any page script: traps dialogs' functions and records CSP violations. */
const HOOKS = `
  window.__ran = [];
  for (const name of ['alert', 'confirm', 'prompt', 'print']) {
    window[name] = (...args) => { window.__ran.push(name + ':' + String(args[0])); };
  }
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample });
  });
`;

/** Our own hostile fixtures; `C` is the canary origin nothing may reach. */
function ownFixtures(c: string): string[] {
  return [
    `<script src="${c}/script.js"></script><script>alert('inline')</script>`,
    `<img src=x onerror="alert('img')">`,
    `<img src="${c}/pixel.png"><img srcset="${c}/srcset.png 1x">`,
    `<a href="javascript:alert('a')">click</a><a href="${c}/ping" ping="${c}/ping2">ping</a>`,
    `<iframe src="javascript:alert('iframe')"></iframe><iframe src="${c}/frame"></iframe>`,
    `<iframe srcdoc="<script>alert('srcdoc')</script>"></iframe>`,
    `<svg onload="alert('svg')"><circle r="5"/></svg>`,
    `<style>@import url(${c}/import.css); body{background:url(${c}/bg.png)}</style>`,
    `<link rel="stylesheet" href="${c}/linked.css">`,
    `<meta http-equiv="refresh" content="0;url=${c}/refresh">`,
    `<form action="${c}/form"><input name=q autofocus onfocus="alert('focus')"><button>go</button></form>`,
    `<object data="${c}/object"></object><embed src="${c}/embed">`,
    `<base href="${c}/"><a href="relative">relative</a>`,
    `<p style="background-image:url(${c}/inline-bg.png)">styled</p><p style="color: red">red</p>`,
    `<video poster="${c}/poster.png"><source src="${c}/video.mp4" onerror="alert('source')"></video>`,
    `<audio src="${c}/audio.mp3" autoplay></audio>`,
    `<math><mtext><table><mglyph><style><img src=x onerror=alert('mxss')>`,
    `<noscript><p title="</noscript><img src=x onerror=alert('noscript')>">`,
    `<details open ontoggle="alert('toggle')">x</details>`,
    `<input type=image src="${c}/input.png">`,
    `<body onload="alert('body')">`,
    `<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">`,
    `<img src="data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>">`,
    `<a href="&#106;avascript:alert('entity')">entity</a><a href="java\tscript:alert('tab')">tab</a>`,
    `<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ" onload="alert('yt')"></iframe>`,
    `<table background="${c}/table.png"><tr><td>cell</td></tr></table>`,
    `<div data-x="1" id="__ran" class="post">clobber</div><img name="__violations">`,
  ];
}

interface Vector {
  id: string;
  payload: string;
}

function vectors(): Vector[] {
  if (!existsSync(VECTORS)) return [];
  return (JSON.parse(readFileSync(VECTORS, 'utf8')) as Vector[]).map((v) => ({
    id: v.id,
    payload: v.payload,
  }));
}

/** A server of our own that counts every request reaching it, and serves one deliberately unsafe page. */
async function canaryServer() {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    if (req.url === '/control') {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end("<p>control</p><script>alert('control')</script>");
      return;
    }
    hits.push(req.url ?? '');
    res.writeHead(204);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, hits, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Hermetic network: our server passes, the canary is recorded and refused, outside images get a placeholder. */
async function guard(
  context: BrowserContext,
  base: string,
  canary: string,
  blocked: string[],
): Promise<void> {
  const placeholder =
    '<svg xmlns="http://www.w3.org/2000/svg" width="480" height="270"><rect width="100%" height="100%" fill="#8a9bb0"/></svg>';
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(base) || url === `${canary}/control`) return route.continue();
    if (url.startsWith(canary)) {
      blocked.push(url);
      return route.abort();
    }
    if (route.request().resourceType() === 'image') {
      return route.fulfill({ status: 200, contentType: 'image/svg+xml', body: placeholder });
    }
    return route.abort();
  });
}

interface PageState {
  ran: string[];
  violations: { directive: string; blocked: string; sample: string }[];
  maxWidth: string;
}

async function visit(page: Page, url: string) {
  const response = await page.goto(url, { waitUntil: 'load' });
  // Time for event handlers that fire after load (autofocus, toggle, media errors) to have fired.
  await page.waitForTimeout(300);
  // A string, not a function: the test project has no DOM types.
  const state = await page.evaluate<PageState>(
    '({ ran: [...window.__ran], violations: [...window.__violations], maxWidth: getComputedStyle(document.body).maxWidth })',
  );
  return { status: response?.status(), url: page.url(), ...state };
}

test('XSS vectors in a real browser: nothing runs, no dialog, no canary request, our assets pass the CSP', {
  skip: absent,
  timeout: 60_000,
}, async (t) => {
  const canary = await canaryServer();
  const { store, dir } = await tempStore();
  const server = await listen(
    createServer({ store, site: { title: 'Hostile river' }, pageSize: 1000, now: () => NOW }),
  );
  const browser = await launch();
  t.after(async () => {
    await browser.close();
    await server.close();
    await canary.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const hostileName = `<img src=x onerror="alert('name')"><img src="${canary.origin}/name.png">`;
  const source = await store.addSource({ url: 'https://hostile.example/feed', name: hostileName });
  const payloads = [
    ...vectors(),
    ...ownFixtures(canary.origin).map((payload, i) => ({ id: `own-${i}`, payload })),
  ];
  const items: FeedItem[] = payloads.map((v, i) => {
    // Titles and author names are plain text: they reach the templates unsanitized, on purpose.
    const item: FeedItem = {
      id: v.id,
      url: `https://hostile.example/posts/${v.id}`,
      title: i % 3 === 0 ? v.payload : `Vector ${v.id}`,
      content_html: sanitizeHtml(v.payload, { baseUrl: 'https://hostile.example/posts/' }),
      date_published: new Date(NOW.getTime() - i * 60_000).toISOString(),
    };
    if (i % 3 === 1) item.authors = [{ name: v.payload }];
    return item;
  });
  await store.commitFetch(source.id, { outcome: 'ok', fetchedAt: NOW, items });

  const context = await browser.newContext({ serviceWorkers: 'block' });
  const blocked: string[] = [];
  await guard(context, server.base, canary.origin, blocked);
  await context.addInitScript(HOOKS);
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });

  // Control: the harness does detect script that runs (an unsafe page without CSP, on the canary).
  const control = await visit(page, `${canary.origin}/control`);
  assert.deepEqual(control.ran, ['alert:control'], 'the hooks catch a payload that runs');

  const firstOwn = (await store.river({ limit: 1000 })).entries.filter((e) => e.item.id.startsWith('own-'));
  const paths = [
    '/',
    '/sources',
    `/sources/${source.id}`,
    '/search?q=vector',
    ...firstOwn.map((e) => `/entries/${e.id}`),
  ];
  for (const path of paths) {
    const result = await visit(page, server.base + path);
    assert.equal(result.status, 200, path);
    assert.equal(result.url, server.base + path, `${path}: no navigation away`);
    assert.deepEqual(result.ran, [], `${path}: script from content ran`);
    const own = result.violations.filter((v) => v.blocked.startsWith(server.base));
    assert.deepEqual(own, [], `${path}: our own assets were blocked by the CSP`);
    assert.equal(result.maxWidth, '736px', `${path}: our stylesheet applied`);
    if (path === '/') {
      // The listener works: content's inline styles are refused by the CSP (as they should be).
      assert.ok(
        result.violations.some((v) => v.directive === 'style-src-attr'),
        'content styles are blocked',
      );
    }
  }
  assert.deepEqual(dialogs, [], 'no dialog opened');
  assert.deepEqual(blocked, [], 'no request was even attempted to the canary');
  assert.deepEqual(canary.hits, [], 'no request reached the canary');
  assert.ok(payloads.length >= ownFixtures('').length);
  t.diagnostic(`${payloads.length} payloads over ${paths.length} pages`);
});

test('screenshots of the river and /sources, desktop and phone, light and dark', {
  skip: absent,
  timeout: 60_000,
}, async (t) => {
  const fixture = await riverFixture();
  const server = await listen(createServer({ store: fixture.store, site: SITE, now: () => NOW }));
  const browser = await launch();
  t.after(async () => {
    await browser.close();
    await server.close();
    await fixture.cleanup();
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  const shots = [
    { name: 'river-desktop', path: '/', width: 1280, height: 900, scheme: 'light' },
    { name: 'river-desktop-dark', path: '/', width: 1280, height: 900, scheme: 'dark' },
    { name: 'river-phone', path: '/', width: 390, height: 844, scheme: 'light' },
    { name: 'sources-desktop', path: '/sources', width: 1280, height: 900, scheme: 'light' },
    { name: 'sources-phone', path: '/sources', width: 390, height: 844, scheme: 'dark' },
  ] as const;
  for (const shot of shots) {
    const context = await browser.newContext({
      viewport: { width: shot.width, height: shot.height },
      colorScheme: shot.scheme,
      isMobile: shot.width < 500,
    });
    await guard(context, server.base, 'http://canary.invalid', []);
    await context.addInitScript(HOOKS);
    const page = await context.newPage();
    const result = await visit(page, server.base + shot.path);
    assert.equal(result.status, 200);
    assert.deepEqual(result.violations, [], `${shot.name}: a clean page has no CSP violation at all`);
    // Nothing wider than the viewport: no sideways scrolling on a phone.
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    assert.ok(overflow <= 0, `${shot.name}: page is ${overflow}px wider than the viewport`);
    await page.screenshot({ path: `${SCREENSHOTS}${shot.name}.png`, fullPage: shot.width < 500 });
    await context.close();
  }
});
