/**
 * From the config and the feeds to the published pages: tags from RSS `category`, Atom `category` and
 * JSON Feed `tags` meet on one tag page, and the config's `categories` make category pages.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type FeedServer, type Route, startFeedServer } from '../ingest/feed-server.js';
import { mainOf, textOfClass } from '../server/helpers.js';
import { runCli, tempDir } from './cli.js';

const hourAgo = new Date(Date.now() - 3_600_000);
const routes = new Map<string, Route>([
  [
    '/rss.xml',
    {
      body: `<?xml version="1.0"?><rss version="2.0"><channel><title>Rusty RSS</title><link>https://rss.example/</link>
      <item><title>From RSS</title><link>https://rss.example/1</link><pubDate>${hourAgo.toUTCString()}</pubDate>
      <category>Rust</category><category domain="x">Memory Safety</category></item></channel></rss>`,
    },
  ],
  [
    '/atom.xml',
    {
      contentType: 'application/atom+xml',
      body: `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atomic</title><id>urn:a</id>
      <updated>${hourAgo.toISOString()}</updated><entry><title>From Atom</title><id>urn:a:1</id>
      <link href="https://atom.example/1"/><updated>${hourAgo.toISOString()}</updated>
      <category term="rust" label="Rust language"/></entry></feed>`,
    },
  ],
  [
    '/feed.json',
    {
      contentType: 'application/feed+json',
      body: JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: 'Jason',
        items: [
          {
            id: 'j1',
            url: 'https://json.example/1',
            title: 'From JSON Feed',
            content_text: 'x',
            date_published: hourAgo.toISOString(),
            tags: ['RUST'],
          },
        ],
      }),
    },
  ],
]);

let server: FeedServer;
const root = tempDir('planet-pages');
before(async () => {
  server = await startFeedServer(routes);
});
after(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

test('tags of all three formats meet on one tag page; config categories make category pages', async () => {
  writeFileSync(
    join(root, 'tributary.yaml'),
    `site:\n  url: https://planet.example.org/\nsources:
  - url: ${server.url('/rss.xml')}\n    categories: [Languages/Rust]
  - url: ${server.url('/atom.xml')}\n    categories: [Languages]
  - ${server.url('/feed.json')}\n`,
  );
  const env = { TRIBUTARY_ALLOW_PRIVATE_NETWORKS: '1' };
  const refreshed = await runCli(['refresh', '--all', '--no-progress'], { cwd: root, env });
  assert.equal(refreshed.code, 0, refreshed.stderr);
  const built = await runCli(['build', '--out', 'site'], { cwd: root });
  assert.equal(built.code, 0, built.stderr);
  const titles = (file: string) =>
    textOfClass(mainOf(readFileSync(join(root, 'site', file), 'utf8')), 'post-title');
  assert.deepEqual(titles('tags/rust.html').sort(), ['From Atom', 'From JSON Feed', 'From RSS']);
  assert.deepEqual(titles('tags/memory%20safety.html'), ['From RSS']);
  assert.deepEqual(titles('categories/languages.html').sort(), ['From Atom', 'From RSS']);
  assert.deepEqual(titles('categories/languages/rust.html'), ['From RSS']);
});
