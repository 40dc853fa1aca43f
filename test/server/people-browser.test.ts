/** Faces in a real headless Chromium: on the river, /sources and /people the proxied faces load (the image
 * proxy serving them from the loopback image server), and not one Content Security Policy violation. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createServer } from '../../src/server/index.js';
import { NOW, SITE } from '../publish/fixtures.js';
import { chromiumMissing, HOOKS, hermeticPage, launch } from './chromium.js';
import { listen } from './helpers.js';
import { peopleFixture } from './people-fixture.js';

test('faces load in Chromium on the river, /sources and /people, without a CSP violation', {
  skip: chromiumMissing,
  timeout: 60_000,
}, async (t) => {
  const fixture = await peopleFixture();
  const server = await listen(
    createServer({
      store: fixture.store,
      site: SITE,
      now: () => NOW,
      imageProxy: { fetchPolicy: { allowPrivateNetworks: true } },
    }),
  );
  const browser = await launch();
  t.after(async () => {
    await browser.close();
    await server.close();
    await fixture.close();
  });
  const { page, console } = await hermeticPage(browser, server.base, HOOKS);

  for (const [path, proxied] of [
    ['/', 2],
    ['/sources', 2],
    ['/people', 2],
  ] as const) {
    const response = await page.goto(server.base + path, { waitUntil: 'load' });
    assert.equal(response?.status(), 200, path);
    // Lazy images below the fold load once scrolled to.
    await page.evaluate('window.scrollTo(0, document.body.scrollHeight)');
    // Polled from here: waitForFunction polls with eval in the page, which the page's CSP rightly refuses.
    for (let i = 0; i < 200; i++) {
      const complete = `[...document.querySelectorAll('img.face[src^="/img/"]')].every((img) => img.complete)`;
      if (await page.evaluate<boolean>(complete)) break;
      await sleep(100);
    }
    const loaded = await page.evaluate<{ src: string; width: number }[]>(
      `[...document.querySelectorAll('img.face[src^="/img/"]')].map((img) => ({ src: img.getAttribute('src'), width: img.naturalWidth }))`,
    );
    assert.ok(loaded.length >= proxied, `${path}: proxied faces shown (${JSON.stringify(loaded)})`);
    assert.ok(
      loaded.every((img) => img.width === 1),
      `${path}: every proxied face loaded (${JSON.stringify(loaded)})`,
    );
    assert.deepEqual(await page.evaluate('window.__violations'), [], `${path}: CSP violations`);
  }
  assert.deepEqual(
    console.filter((line) => /Content Security Policy|Refused to/i.test(line)),
    [],
    'the console reports no CSP violation',
  );
});
