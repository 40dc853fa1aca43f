/** A tag page and a category page in a real headless Chromium: the posts shown, our icon and stylesheet
 * loaded, and not one Content Security Policy violation reported (events or console). */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { createServer } from '../../src/server/index.js';
import { NOW, SITE } from '../publish/fixtures.js';
import { chromiumMissing, hermeticPage, launch } from './chromium.js';
import { listen } from './helpers.js';
import { planetFixture } from './planet-fixture.js';

/** Records CSP violations before any page script could run. */
const HOOKS = `window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push(e.effectiveDirective + ' ' + e.blockedURI);
});`;

test('tag and category pages in Chromium: their posts, and no CSP violation', {
  skip: chromiumMissing,
  timeout: 60_000,
}, async (t) => {
  const fixture = await planetFixture();
  const server = await listen(createServer({ store: fixture.store, site: SITE, now: () => NOW }));
  const browser = await launch();
  t.after(async () => {
    await browser.close();
    await server.close();
    await fixture.store.close();
    rmSync(fixture.dir, { recursive: true, force: true });
  });
  const { page, console } = await hermeticPage(browser, server.base, HOOKS);
  const loaded: string[] = [];
  page.on('requestfinished', (request) => loaded.push(new URL(request.url()).pathname));

  for (const [path, titles] of [
    ['/tags/history', ['Analytical engines', 'Looms and cards', 'A compiler', 'Notes on Note G']],
    ['/categories/tech/languages', ['Nanoseconds', 'A compiler']],
  ] as const) {
    const response = await page.goto(server.base + path, { waitUntil: 'load' });
    assert.equal(response?.status(), 200, path);
    assert.deepEqual(await page.locator('main .post-title').allInnerTexts(), titles, path);
    assert.deepEqual(await page.evaluate<string[]>('window.__violations'), [], `${path}: CSP violations`);
    assert.equal(
      await page.evaluate<string>('getComputedStyle(document.body).maxWidth'),
      '736px',
      `${path}: our stylesheet applied`,
    );
  }
  assert.deepEqual(
    console.filter((line) => /Content Security Policy|Refused to/i.test(line)),
    [],
    'the console reports no CSP violation',
  );
  assert.ok(
    loaded.some((p) => p === '/style.css'),
    `stylesheet loaded (${loaded.join(', ')})`,
  );
});
