/** The `site:` settings of the planet: public health details. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ConfigError, loadSettings } from '../../src/config/config.js';

const dir = mkdtempSync(join(tmpdir(), 'tributary-site-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('site.public_health is true or false; absent, /sources shows everything', () => {
  const path = join(dir, 'site.yaml');
  writeFileSync(path, 'site:\n  public_health: false\n');
  assert.equal(loadSettings(path, {}).site.publicHealth, false);
  writeFileSync(path, 'site:\n  title: x\n');
  assert.equal(loadSettings(path, {}).site.publicHealth, undefined);
  writeFileSync(path, 'site:\n  public_health: hidden\n');
  assert.throws(
    () => loadSettings(path, {}),
    (e: unknown) => e instanceof ConfigError && /site\.public_health must be true or false/.test(e.message),
  );
});
