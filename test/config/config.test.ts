import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ConfigError, loadSettings, saveSources, starterConfig } from '../../src/config/config.js';
import { DEFAULT_SOURCES } from '../../src/config/defaults.js';
import { CONFIG_SPEC, isListSpec, isMapSpec, type Spec } from '../../src/config/schema.js';

const dir = mkdtempSync(join(tmpdir(), 'tributary-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('without a config file, the bundled sources and defaults are used', () => {
  const s = loadSettings(undefined, { TRIBUTARY_CONFIG: undefined } as NodeJS.ProcessEnv);
  assert.equal(s.file, undefined);
  assert.equal(s.sources.length, DEFAULT_SOURCES.length);
  assert.ok(s.sources.some((x) => x.url.includes('lwn.net')));
  assert.ok(s.sources.some((x) => x.url.includes('youtube.com/@')));
  assert.equal(s.fetch.allowPrivateNetworks, false);
});

test('the file sets site, database (relative to the file), fetch and sources; the environment overrides', () => {
  const path = join(dir, 'a.yaml');
  writeFileSync(
    path,
    'site:\n  title: My Planet\ndatabase: data/river.db\nfetch:\n  concurrency: 3\nsources:\n  - https://a.example/feed\n  - url: https://b.example/rss\n    name: B\n    author: Bee\n',
  );
  const s = loadSettings(path, {});
  assert.equal(s.site.title, 'My Planet');
  assert.equal(s.database, join(dir, 'data/river.db'));
  assert.equal(s.fetch.concurrency, 3);
  assert.deepEqual(s.sources, [
    { url: 'https://a.example/feed' },
    { url: 'https://b.example/rss', name: 'B', author: 'Bee' },
  ]);
  const env = loadSettings(undefined, {
    TRIBUTARY_CONFIG: path,
    TRIBUTARY_DATABASE_URL: 'postgres://db/x',
    TRIBUTARY_ALLOW_PRIVATE_NETWORKS: '1',
  });
  assert.equal(env.database, 'postgres://db/x');
  assert.equal(env.fetch.allowPrivateNetworks, true);
});

test('mistakes in the file are reported with the file and the setting', () => {
  const path = join(dir, 'bad.yaml');
  writeFileSync(path, 'sources:\n  - url: ftp://x.example/feed\n');
  assert.throws(
    () => loadSettings(path, {}),
    (e: unknown) => e instanceof ConfigError && /sources\[0\]\.url/.test(e.message),
  );
  writeFileSync(path, 'fetch:\n  concurrency: -1\n');
  assert.throws(() => loadSettings(path, {}), /fetch\.concurrency/);
  assert.throws(() => loadSettings(join(dir, 'none.yaml'), {}), /does not exist/);
});

test('site.image_proxy is http unless set to off, http or all; anything else is named with the choices', () => {
  assert.equal(
    loadSettings(undefined, { TRIBUTARY_CONFIG: undefined } as NodeJS.ProcessEnv).site.imageProxy,
    'http',
  );
  const path = join(dir, 'images.yaml');
  writeFileSync(path, 'site:\n  image_proxy: all\n');
  assert.equal(loadSettings(path, {}).site.imageProxy, 'all');
  writeFileSync(path, 'site:\n  image_proxy: https\n');
  assert.throws(
    () => loadSettings(path, {}),
    /images\.yaml:2: site\.image_proxy must be off, http or all, got "https"/,
  );
  writeFileSync(path, 'site:\n  image_proxy: off\n');
  const env = loadSettings(path, { TRIBUTARY_IMAGE_PROXY_SECRET: 'from the environment' });
  assert.equal(env.site.imageProxy, 'off');
  assert.equal(env.imageProxySecret, 'from the environment');
});

test('saving sources keeps the rest of the file, comments included', () => {
  const path = join(dir, 'keep.yaml');
  writeFileSync(path, starterConfig());
  saveSources(path, [{ url: 'https://only.example/feed', name: 'Only' }]);
  const text = readFileSync(path, 'utf8');
  assert.match(text, /# Tributary configuration/);
  const s = loadSettings(path, {});
  assert.deepEqual(s.sources, [{ url: 'https://only.example/feed', name: 'Only' }]);
  assert.equal(s.site.title, 'Tributary');
});

test('every mistake in the file is reported at once, each with its line', () => {
  const path = join(dir, 'many.yaml');
  writeFileSync(
    path,
    [
      'fetch:',
      '  concurrency: -1',
      '  timeout_second: 5',
      'sources:',
      '  - name: no address',
      '  - url: ftp://x.example/feed',
      'timeout_seconds: 3',
      '',
    ].join('\n'),
  );
  assert.throws(
    () => loadSettings(path, {}),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.equal(
        e.message,
        [
          `config ${path} has 5 errors:`,
          `  ${path}:2: fetch.concurrency must be a positive number`,
          `  ${path}:3: unknown key "fetch.timeout_second" (did you mean "timeout_seconds"?)`,
          `  ${path}:5: sources[0] needs url`,
          `  ${path}:6: sources[1].url is not an http(s) URL: ftp://x.example/feed`,
          `  ${path}:7: unknown key "timeout_seconds" (did you mean "fetch.timeout_seconds"?)`,
        ].join('\n'),
      );
      return true;
    },
  );
});

test('a YAML syntax error points at the line of the fault, not where the file ends', () => {
  const path = join(dir, 'quote.yaml');
  writeFileSync(path, 'site:\n  title: "My Planet\nsources:\n  - https://a.example/feed\n');
  assert.match(loadError(path), new RegExp(`^${path}:2: Missing closing "quote`));
  writeFileSync(path, 'site: { title: My Planet\nsources:\n  - https://a.example/feed\n');
  assert.match(loadError(path), new RegExp(`^${path}:1: .*never closed`));
});

function loadError(path: string): string {
  try {
    loadSettings(path, {});
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e.message;
  }
  assert.fail(`${path} loaded`);
}

test("the README's config examples are valid, and document every key the config accepts", () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
  assert.ok(blocks.length >= 4);
  for (const [i, block] of blocks.entries()) {
    const path = join(dir, `readme-${i}.yaml`);
    writeFileSync(path, block);
    assert.doesNotThrow(() => loadSettings(path, {}), `README yaml block ${i}:\n${block}`);
  }
  const documented = new Set(blocks.flatMap((b) => [...b.matchAll(/([a-z_]+):/g)].map((m) => m[1]!)));
  const undocumented = keysOf(CONFIG_SPEC).filter((key) => !documented.has(key));
  assert.deepEqual(undocumented, [], 'keys missing from the README examples');
});

function keysOf(spec: Spec): string[] {
  if (isListSpec(spec)) return keysOf(spec.items);
  if (!isMapSpec(spec)) return [];
  return Object.entries(spec.keys).flatMap(([key, child]) => [key, ...keysOf(child)]);
}

test('values read the same whichever reader reads the file: YAML 1.2 core, no merge keys, no timestamps', () => {
  const path = join(dir, 'core.yaml');
  writeFileSync(
    path,
    'site:\n  title: 2024-01-01\n  description: yes\nfetch:\n  concurrency: 0x10\nsources:\n  - https://a.example/feed\n',
  );
  const s = loadSettings(path, {});
  assert.equal(s.site.title, '2024-01-01', 'a date-like title stays text');
  assert.equal(s.site.description, 'yes', 'yes is text in YAML 1.2');
  assert.equal(s.fetch.concurrency, 16);
  writeFileSync(path, 'base: &b { title: T }\nsite:\n  <<: *b\n');
  assert.equal(
    loadError(path),
    `config ${path} has 2 errors:\n  ${path}:1: unknown key "base" (valid here: site, database, fetch, sources, rules, email, websub)\n  ${path}:3: unknown key "site.<<" (valid here: title, url, description, listen, backlog_days, image_proxy, public_health, theme)`,
  );
});

test('a problem far down a large file is reported with its line', () => {
  const path = join(dir, 'large.yaml');
  const lines = ['sources:'];
  for (let i = 0; i < 20_000; i++) lines.push(`  - https://host${i}.example/feed`);
  lines.push('  - url: https://last.example/feed', '    nmae: Last');
  writeFileSync(path, `${lines.join('\n')}\n`);
  assert.equal(loadError(path), `${path}:20003: unknown key "sources[20000].nmae" (did you mean "name"?)`);
});
