/** `tributary import` and `export` keep a blogroll's folders as source categories, and skip what is no feed. */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadSettings } from '../../src/config/config.js';
import { runCli, tempDir } from './cli.js';

const dir = tempDir('opml');
after(() => rmSync(dir, { recursive: true, force: true }));

const BLOGROLL = `<?xml version="1.0"?><opml version="2.0"><head><title>Blogroll</title></head><body>
  <outline text="Tech"><outline text="Linux">
    <outline type="rss" text="LWN" xmlUrl="https://lwn.example/rss" category="/News"/>
  </outline><outline type="rss" text="Rust" xmlUrl="https://rust.example/feed"/></outline>
  <outline type="link" text="About me" url="https://me.example/about"/>
  <outline type="rss" text="Loose" xmlUrl="https://loose.example/atom"/>
</body></opml>`;

/** Imports `opml` into a new project and exports it again: the config's sources and the exported OPML. */
async function importExport(name: string, opml: string) {
  const root = join(dir, name);
  mkdirSync(root);
  writeFileSync(join(root, 'in.opml'), opml);
  const imported = await runCli(['import', 'in.opml'], { cwd: root });
  assert.equal(imported.code, 0, imported.stderr);
  assert.equal((await runCli(['migrate'], { cwd: root })).code, 0);
  const exported = await runCli(['export'], { cwd: root });
  assert.equal(exported.code, 0, exported.stderr);
  return {
    sources: loadSettings(join(root, 'tributary.yaml'), {}).sources,
    stderr: imported.stderr,
    opml: exported.stdout,
  };
}

test('import → export → import: same sources, same categories, same structure; a link outline is skipped with a note', async () => {
  const first = await importExport('first', BLOGROLL);
  assert.deepEqual(first.sources, [
    { url: 'https://lwn.example/rss', name: 'LWN', categories: ['Tech/Linux', 'News'] },
    { url: 'https://rust.example/feed', name: 'Rust', categories: ['Tech'] },
    { url: 'https://loose.example/atom', name: 'Loose' },
  ]);
  assert.match(
    first.stderr,
    /skipped "About me" \(https:\/\/me\.example\/about\): .*type="link".*not a feed/,
  );
  const second = await importExport('second', first.opml);
  assert.deepEqual(second.sources, first.sources);
  assert.equal(second.stderr, '');
  const structure = (opml: string) => opml.replace(/<dateModified>[^<]*<\/dateModified>/, '');
  assert.equal(structure(second.opml), structure(first.opml));
  assert.match(
    first.opml,
    /<outline text="Tech" title="Tech">\n<outline text="Linux" title="Linux">\n<outline type="rss" text="LWN"/,
  );
});
