/** The people keys of a source in the config: face, person and homepage, checked at load with file and line. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ConfigError, loadSettings } from '../../src/config/config.js';

const dir = mkdtempSync(join(tmpdir(), 'tributary-people-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function load(name: string, text: string) {
  const path = join(dir, name);
  writeFileSync(path, text);
  return { path, load: () => loadSettings(path, {}) };
}

test('face (a URL or a theme file), person and homepage are kept as written, tidied', () => {
  const { load: settings } = load(
    'ok.yaml',
    [
      'sources:',
      '  - url: https://jo.example/feed',
      '    person: "  Jo Doe "',
      '    face: http://faces.example/jo.png',
      '    homepage: https://jo.example',
      '  - url: https://jo.example/photos.xml',
      '    person: Jo Doe',
      '    face: faces/jo-photos.jpg',
      '',
    ].join('\n'),
  );
  assert.deepEqual(settings().sources, [
    {
      url: 'https://jo.example/feed',
      person: 'Jo Doe',
      face: 'http://faces.example/jo.png',
      homepage: 'https://jo.example/',
    },
    { url: 'https://jo.example/photos.xml', person: 'Jo Doe', face: 'faces/jo-photos.jpg' },
  ]);
});

test('a face outside the theme directory, of another scheme, an empty person and a bad homepage are errors with their line', () => {
  const { path, load: settings } = load(
    'bad.yaml',
    [
      'sources:',
      '  - url: https://a.example/feed',
      '    face: ../secrets/key.png',
      '  - url: https://b.example/feed',
      '    face: javascript:alert(1)',
      '  - url: https://c.example/feed',
      '    face: /etc/passwd',
      '  - url: https://d.example/feed',
      '    person: "  "',
      '  - url: https://e.example/feed',
      '    homepage: not a url',
      '',
    ].join('\n'),
  );
  assert.throws(settings, (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    const expected: [number, RegExp][] = [
      [
        3,
        /sources\[0\]\.face must be an http\(s\) image URL or a file name in the theme directory .*"\.\.\/secrets\/key\.png"/,
      ],
      [5, /sources\[1\]\.face is not an http\(s\) URL: javascript:alert\(1\)/],
      [
        7,
        /sources\[2\]\.face must be an http\(s\) image URL or a file name in the theme directory .*"\/etc\/passwd"/,
      ],
      [9, /sources\[3\]\.person is empty/],
      [11, /sources\[4\]\.homepage is not an http\(s\) URL/],
    ];
    for (const [line, message] of expected) {
      const found = e.message.split('\n').find((l) => l.includes(`${path}:${line}:`));
      assert.ok(found, `line ${line} reported in:\n${e.message}`);
      assert.match(found, message);
    }
    return true;
  });
});

test('a typo of a people key is an unknown key, with the key it meant', () => {
  const { path, load: settings } = load(
    'typo.yaml',
    'sources:\n  - url: https://a.example/feed\n    persn: Jo\n  - url: https://b.example/feed\n    home_page: https://b.example/\n',
  );
  assert.throws(settings, (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.match(
      e.message,
      new RegExp(`${path}:3: unknown key "sources\\[0\\]\\.persn" \\(did you mean "person"\\?\\)`),
    );
    assert.match(
      e.message,
      new RegExp(`${path}:5: unknown key "sources\\[1\\]\\.home_page" \\(did you mean "homepage"\\?\\)`),
    );
    return true;
  });
});
