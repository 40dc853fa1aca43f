/**
 * Every feed the site publishes — merged, per tag, per category, per source — is valid with and without
 * `site.url`: without it, `run` and `build` warn once and use the address the site is served at.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import { loadSettings, starterConfig } from '../../src/config/config.js';
import type { JsonFeed } from '../../src/model.js';
import { parseFeed } from '../../src/parse/index.js';
import { type PlanetFixture, planetFixture } from '../server/planet-fixture.js';
import { runCli, startCli, tempDir } from './cli.js';

const FEEDS = [
  'atom.xml',
  'rss.xml',
  'feed.json',
  'tags/history/atom.xml',
  'tags/history/rss.xml',
  'tags/history/feed.json',
  'categories/tech/atom.xml',
  'categories/tech/rss.xml',
  'categories/tech/feed.json',
  'sources/1/atom.xml',
  'sources/1/rss.xml',
  'sources/1/feed.json',
];
const PUBLIC = 'https://planet.example.org/';

let fixture: PlanetFixture;
const dir = tempDir('site-url');
before(async () => {
  fixture = await planetFixture();
  await fixture.store.close();
});
after(() => {
  rmSync(fixture.dir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

/** A project whose config names the fixture's database, with or without `site.url`. */
function project(name: string, url?: string): string {
  const root = join(dir, name);
  mkdirSync(root);
  const site = url ? `site:\n  url: ${url}\n` : '';
  writeFileSync(
    join(root, 'tributary.yaml'),
    `${site}database: ${join(fixture.dir, 'river.db')}\nsources: []\n`,
  );
  return root;
}

/** A feed as published: well-formed, read back by parseFeed without complaint, and with the links each
 * format requires (RSS channel link; Atom self link and an http id; JSON Feed home and feed URLs) under `base`. */
function checkFeed(name: string, text: string, base: string): void {
  if (!name.endsWith('.json')) assert.equal(XMLValidator.validate(text), true, `${name} is well-formed`);
  const feed = parseFeed(text);
  assert.equal(feed._tributary.bozo, false, `${name}: ${feed._tributary.warnings.join('; ')}`);
  assert.ok(feed.items.length > 0, `${name} has posts`);
  const under = (url: string | undefined, what: string) =>
    assert.ok(url?.startsWith(base), `${name}: ${what} ${url} is under ${base}`);
  if (name.endsWith('rss.xml'))
    under(/<channel>[\s\S]*?<link>([^<]+)<\/link>/.exec(text)?.[1], 'channel link');
  if (name.endsWith('atom.xml')) {
    under(/<link rel="self" type="application\/atom\+xml" href="([^"]+)"\/>/.exec(text)?.[1], 'self link');
    under(/^<feed[^>]*>\n<id>([^<]+)<\/id>/m.exec(text)?.[1], 'id');
  }
  if (name.endsWith('feed.json')) {
    const json = JSON.parse(text) as JsonFeed;
    under(json.home_page_url, 'home_page_url');
    under(json.feed_url, 'feed_url');
  }
}

const warnings = (stderr: string) => stderr.split('\n').filter((line) => /site\.url/.test(line));

for (const url of [PUBLIC, undefined]) {
  const label = url ? 'with site.url' : 'without site.url';

  test(`build ${label}: every feed valid; ${url ? 'no warning' : 'one warning, the listen address used'}`, async () => {
    const root = project(`build-${url ? 'url' : 'none'}`, url);
    const { code, stderr } = await runCli(['build', '--out', 'site'], { cwd: root });
    assert.equal(code, 0, stderr);
    assert.equal(warnings(stderr).length, url ? 0 : 1, stderr);
    if (!url) assert.match(warnings(stderr)[0]!, /http:\/\/127\.0\.0\.1:8080\//);
    for (const name of FEEDS) {
      checkFeed(name, readFileSync(join(root, 'site', name), 'utf8'), url ?? 'http://127.0.0.1:8080/');
    }
  });

  test(`run ${label}: every feed served valid; ${url ? 'no warning' : 'one warning, the address served at used'}`, async () => {
    const root = project(`run-${url ? 'url' : 'none'}`, url);
    const child = startCli(['run', '--listen', '127.0.0.1:0'], { cwd: root });
    let stderr = '';
    try {
      const served = await new Promise<string>((resolve, reject) => {
        child.stderr.on('data', (d) => {
          stderr += d;
          const m = /serving the river at (\S+?)"/.exec(stderr);
          if (m) resolve(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`run exited ${code}: ${stderr}`)));
      });
      for (const name of FEEDS) {
        const reply = await fetch(new URL(name, served));
        assert.equal(reply.status, 200, name);
        checkFeed(name, await reply.text(), url ?? served);
      }
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.on('close', resolve));
    }
    assert.equal(warnings(stderr).length, url ? 0 : 1, stderr);
  });
}

test('init writes site.url, the address the starter config serves at', () => {
  const path = join(dir, 'starter.yaml');
  writeFileSync(path, starterConfig());
  const { site } = loadSettings(path, {});
  assert.equal(site.url, 'http://127.0.0.1:8080/');
  assert.equal(site.listen, '127.0.0.1:8080');
});
