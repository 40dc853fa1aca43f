/** Editing the source list from the command line: `add`, `remove`, `import` on a directory with or
 * without a config file. */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadSettings } from '../../src/config/config.js';
import { type FeedServer, type Route, rssFeed, startFeedServer } from '../ingest/feed-server.js';
import { filesIn, runCli, tempDir } from './cli.js';

const dir = tempDir('subscriptions');
const routes = new Map<string, Route>();
let server: FeedServer;
before(async () => {
  routes.set('/feed.xml', { body: rssFeed('loop', 2) });
  routes.set('/blog/', {
    contentType: 'text/html',
    body: '<html><head><title>Loop blog</title><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body></body></html>',
  });
  server = await startFeedServer(routes);
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

let projects = 0;
function emptyProject(): string {
  const root = join(dir, `p${++projects}`);
  mkdirSync(root);
  return root;
}
const sourcesOf = (root: string) => loadSettings(join(root, 'tributary.yaml'), {}).sources;
const allowLoopback = { TRIBUTARY_ALLOW_PRIVATE_NETWORKS: '1' };

test('add --no-discover in a directory without a config writes one holding exactly that source', async () => {
  const root = emptyProject();
  const feed = server.url('/feed.xml');
  const { code, stderr } = await runCli(['add', '--no-discover', '--name', 'Loop', feed], { cwd: root });
  assert.equal(code, 0, stderr);
  assert.deepEqual(filesIn(root), ['tributary.yaml']);
  assert.deepEqual(sourcesOf(root), [{ url: feed, name: 'Loop' }]);
});

test('add with discovery resolves a page to its feed, and the new config holds only that feed', async () => {
  const root = emptyProject();
  const { code, stderr } = await runCli(['add', server.url('/blog/')], { cwd: root, env: allowLoopback });
  assert.equal(code, 0, stderr);
  assert.deepEqual(sourcesOf(root), [{ url: server.url('/feed.xml') }]);
});

test('import into a directory without a config writes one holding the imported sources only', async () => {
  const root = emptyProject();
  writeFileSync(
    join(root, 'list.opml'),
    `<opml version="2.0"><body><outline text="Loop" xmlUrl="${server.url('/feed.xml')}"/></body></opml>`,
  );
  const { code, stderr } = await runCli(['import', 'list.opml'], { cwd: root });
  assert.equal(code, 0, stderr);
  assert.deepEqual(sourcesOf(root), [{ url: server.url('/feed.xml'), name: 'Loop' }]);
});

test('remove without a config file: an error, and no file is created', async () => {
  const root = emptyProject();
  const { code, stderr } = await runCli(['remove', 'https://lwn.net/headlines/rss'], { cwd: root });
  assert.equal(code, 1);
  assert.match(stderr, /no config file .*tributary\.yaml/);
  assert.deepEqual(filesIn(root), []);
});

/** A project following a plain feed (no name given), a blog page (its feed found by discovery) and a named
 * feed, refreshed once so the database knows their titles and feeds. */
async function refreshedProject(): Promise<string> {
  const root = emptyProject();
  routes.set('/named.xml', { body: rssFeed('named', 1) });
  writeFileSync(
    join(root, 'tributary.yaml'),
    `sources:\n  - ${server.url('/feed.xml')}\n  - ${server.url('/blog/')}\n  - url: ${server.url('/named.xml')}\n    name: My Name\n`,
  );
  const refreshed = await runCli(['refresh', '--no-progress'], { cwd: root, env: allowLoopback });
  assert.equal(refreshed.code, 0, refreshed.stderr);
  return root;
}

test('export: the name list shows, the site as htmlUrl, and the feed (not the page it was found on) as xmlUrl', async () => {
  const root = await refreshedProject();
  const { code, stdout, stderr } = await runCli(['export'], { cwd: root });
  assert.equal(code, 0, stderr);
  const outlines = [...stdout.matchAll(/<outline [^>]*\/>/g)].map((m) => m[0]);
  assert.deepEqual(outlines, [
    `<outline type="rss" text="loop" title="loop" xmlUrl="${server.url('/feed.xml')}" htmlUrl="https://loop.example/"/>`,
    `<outline type="rss" text="loop" title="loop" xmlUrl="${server.url('/feed.xml')}" htmlUrl="https://loop.example/"/>`,
    `<outline type="rss" text="My Name" title="My Name" xmlUrl="${server.url('/named.xml')}" htmlUrl="https://named.example/"/>`,
  ]);
});

test('remove accepts the name list shows, the feed title when the config gives none', async () => {
  const root = await refreshedProject();
  const listed = await runCli(['list'], { cwd: root });
  assert.match(listed.stdout, /\bloop\b/);
  const { code, stderr } = await runCli(['remove', 'My Name'], { cwd: root });
  assert.equal(code, 0, stderr);
  const byTitle = await runCli(['remove', 'loop'], { cwd: root });
  assert.equal(byTitle.code, 0, byTitle.stderr);
  assert.deepEqual(sourcesOf(root), [], 'both sources titled "loop" were removed');
  const missing = await runCli(['remove', 'loop'], { cwd: root });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no source loop in .*tributary\.yaml/);
});
