/** A config file with mistakes stops every command with all of them listed, before anything is written. */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { filesIn, runCli, tempDir } from './cli.js';

const dir = tempDir('config');
after(() => rmSync(dir, { recursive: true, force: true }));

test('unknown keys: exit 1 naming file, line, key path and the nearest valid key, every one, nothing written', async () => {
  const config = join(dir, 'tributary.yaml');
  writeFileSync(
    config,
    [
      'site:',
      '  title: My Planet',
      'source:',
      '  - https://a.example/feed',
      'fetch:',
      '  timeout_second: 5',
      'sources:',
      '  - url: https://b.example/feed',
      '    nmae: B',
      '  - url: https://c.example/feed',
      '    full_artcle: true',
      '',
    ].join('\n'),
  );
  const { code, stdout, stderr } = await runCli(['refresh', '--no-progress'], { cwd: dir });
  assert.equal(code, 1, stderr);
  assert.equal(stdout, '');
  const expected = [
    [3, 'source', 'sources'],
    [6, 'fetch.timeout_second', 'timeout_seconds'],
    [9, 'sources[0].nmae', 'name'],
    [11, 'sources[1].full_artcle', 'full_article'],
  ] as const;
  for (const [line, key, suggestion] of expected) {
    assert.ok(
      stderr.includes(`${config}:${line}: unknown key "${key}" (did you mean "${suggestion}"?)`),
      `${key} at line ${line} in:\n${stderr}`,
    );
  }
  assert.deepEqual(filesIn(dir), ['tributary.yaml'], 'no database was created');
});
