/**
 * `tributary theme export`, and a broken theme stopping `serve`, `run` and `build` at start: exit 1, one
 * message naming the file, line and cause, and nothing served or written.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli, tempDir } from './cli.js';

const dir = tempDir('theme');
after(() => rmSync(dir, { recursive: true, force: true }));

test('theme export writes the templates, stylesheet and README; refuses to overwrite them without --force', async () => {
  const first = await runCli(['theme', 'export', 'mine'], { cwd: dir });
  assert.equal(first.code, 0, first.stderr);
  // Every built-in template, the stylesheet and the README: the count it prints is what it wrote.
  const written = readdirSync(join(dir, 'mine'));
  assert.ok(written.includes('people.eta'));
  assert.match(first.stdout, new RegExp(`wrote the default theme to mine \\(${written.length} files\\)`));
  for (const file of ['layout.eta', 'post.eta', 'river.eta', 'sources.eta', 'style.css', 'README.md'])
    assert.ok(existsSync(join(dir, 'mine', file)), file);
  assert.match(readFileSync(join(dir, 'mine', 'README.md'), 'utf8'), /\| `it\.post` \| PostView/);

  writeFileSync(join(dir, 'mine', 'style.css'), 'body { color: red; }\n');
  const again = await runCli(['theme', 'export', 'mine'], { cwd: dir });
  assert.equal(again.code, 1);
  assert.match(
    again.stderr,
    /^tributary theme export: mine already holds layout\.eta, .*style\.css, README\.md: not overwriting them \(--force does\)\n$/,
  );
  assert.equal(readFileSync(join(dir, 'mine', 'style.css'), 'utf8'), 'body { color: red; }\n');

  const forced = await runCli(['theme', 'export', 'mine', '--force', '--from', 'planet'], { cwd: dir });
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(readFileSync(join(dir, 'mine', 'style.css'), 'utf8'), /planet theme: faces/);
  const unknown = await runCli(['theme', 'export', 'other', '--from', 'venus'], { cwd: dir });
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /--from venus: no such built-in theme \(default, planet\)/);
});

test('a theme with a bad template stops serve, run and build at start with its file and line', async () => {
  const theme = join(dir, 'site', 'themes', 'broken');
  mkdirSync(theme, { recursive: true });
  writeFileSync(join(theme, 'entry.eta'), '<h1>Post</h1>\n<%~ it.post.title %>\n');
  writeFileSync(
    join(dir, 'site', 'tributary.yaml'),
    'site:\n  theme: themes/broken\n  listen: 127.0.0.1:0\ndatabase: river.db\nsources: []\n',
  );
  const file = join(theme, 'entry.eta');
  for (const args of [['build', '--out', 'out'], ['serve'], ['run']]) {
    const result = await runCli(args, { cwd: join(dir, 'site'), timeoutMs: 20_000 });
    assert.equal(result.code, 1, `${args[0]} exits 1 (not killed while serving): ${result.stderr}`);
    assert.equal(
      result.stderr,
      `tributary ${args[0]}: theme: ${file}:2: raw output <%~ it.post.title %> is refused: print values with <%= %> ` +
        "(escaped); raw output is only for include('@name', {…}), it.raw.postHtml(post) (the sanitized post body)\n",
    );
    assert.equal(result.stdout, '');
  }
  assert.ok(!existsSync(join(dir, 'site', 'out')), 'build wrote nothing');
  assert.ok(
    !existsSync(join(dir, 'site', 'river.db')),
    'no database was created: the theme was checked first',
  );
});
