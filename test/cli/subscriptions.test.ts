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
