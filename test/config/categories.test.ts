/** Source categories: written in the config, read from OPML folders and `category` attributes, written back
 * as folders; OPML outlines that are not feeds are skipped, not subscribed. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ConfigError, loadSettings } from '../../src/config/config.js';
import { readOpml } from '../../src/config/opml.js';
import { renderOpmlOutlines } from '../../src/publish/opml.js';

const dir = mkdtempSync(join(tmpdir(), 'tributary-categories-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const BLOGROLL = `<?xml version="1.0"?><opml version="2.0"><head><title>Blogroll</title></head><body>
  <outline text="Tech" title="Tech">
    <outline text="Linux">
      <outline type="rss" text="LWN" xmlUrl="https://lwn.example/rss" category="/News,kernel"/>
      <outline type="rss" text="Kernel" xmlUrl="https://kernel.example/feed"/>
    </outline>
    <outline type="rss" text="Rust" xmlUrl="https://rust.example/feed"/>
  </outline>
  <outline type="link" text="A page" url="https://page.example/about"/>
  <outline type="rss" text="Loose" xmlUrl="https://loose.example/atom" category="/Friends/Close"/>
</body></opml>`;

test('OPML import: nested folders and the category attribute become categories; a type="link" outline is skipped with a note', () => {
  const { sources, notes } = readOpml(BLOGROLL);
  assert.deepEqual(sources, [
    { url: 'https://lwn.example/rss', name: 'LWN', categories: ['Tech/Linux', 'News', 'kernel'] },
    { url: 'https://kernel.example/feed', name: 'Kernel', categories: ['Tech/Linux'] },
    { url: 'https://rust.example/feed', name: 'Rust', categories: ['Tech'] },
    { url: 'https://loose.example/atom', name: 'Loose', categories: ['Friends/Close'] },
  ]);
  assert.deepEqual(notes, [
    'skipped "A page" (https://page.example/about): an outline of type="link" is a link to a page, not a feed',
  ]);
});

test('OPML round trip: import → export → import gives the same sources and categories, and the same document', () => {
  const first = readOpml(BLOGROLL).sources;
  const outlines = (sources: typeof first) =>
    sources.map((s) => ({ title: s.name!, xmlUrl: s.url, categories: s.categories }));
  const exported = renderOpmlOutlines('Blogroll', outlines(first), new Date('2024-05-10T00:00:00Z'));
  const second = readOpml(exported);
  assert.deepEqual(second.sources, first);
  assert.deepEqual(second.notes, []);
  assert.equal(
    renderOpmlOutlines('Blogroll', outlines(second.sources), new Date('2024-05-10T00:00:00Z')),
    exported,
  );
  // Nested as folders, not flattened into attributes.
  assert.match(
    exported,
    /<outline text="Tech" title="Tech">\n<outline text="Linux" title="Linux">\n<outline type="rss" text="LWN" title="LWN" xmlUrl="https:\/\/lwn\.example\/rss" category="\/News,\/kernel"\/>/,
  );
});

test('config: categories is a list of /-paths, tidied; anything else is an error naming the source', () => {
  const path = join(dir, 'categories.yaml');
  writeFileSync(
    path,
    'sources:\n  - url: https://a.example/feed\n    categories: [" Tech / Linux/ ", News]\n  - https://b.example/feed\n',
  );
  assert.deepEqual(loadSettings(path, {}).sources, [
    { url: 'https://a.example/feed', categories: ['Tech/Linux', 'News'] },
    { url: 'https://b.example/feed' },
  ]);
  for (const [value, message] of [
    ['Tech', /sources\[0\]\.categories must be a list/],
    ['["/ /"]', /sources\[0\]\.categories\[0\] is empty/],
    ['["a,b"]', /sources\[0\]\.categories\[0\] cannot contain a comma/],
  ] as const) {
    writeFileSync(path, `sources:\n  - url: https://a.example/feed\n    categories: ${value}\n`);
    assert.throws(
      () => loadSettings(path, {}),
      (e: unknown) => e instanceof ConfigError && message.test(e.message),
      value,
    );
  }
});
