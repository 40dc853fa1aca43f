/**
 * Themes (`site.theme`): a folder overriding templates file by file, its files served under hashed names
 * (and written by the static export), its mistakes refused at load with file and line, the exported default
 * theme rendering exactly as the built-in one, and the README of template variables covering the templates.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadSettings } from '../../src/config/config.js';
import { dateLabels, postView } from '../../src/publish/index.js';
import { CONTENT_SECURITY_POLICY, createServer, exportSite, liveLinks } from '../../src/server/index.js';
import { COMMON, TEMPLATE_CONTEXT, themeReadme } from '../../src/server/theme/context-doc.js';
import { exportTheme } from '../../src/server/theme/export.js';
import { BUILT_IN_THEMES, loadTheme, ThemeError } from '../../src/server/theme/index.js';
import { pageRenderer } from '../../src/server/theme/render.js';
import { NOW, SITE } from '../publish/fixtures.js';
import { listen, request } from './helpers.js';
import { PNG } from './image-fixtures.js';
import { type PlanetFixture, planetFixture } from './planet-fixture.js';

const ICON = Buffer.from('not our built-in icon: the theme’s own bytes');

let fixture: PlanetFixture;
let tmp: string;
before(async () => {
  fixture = await planetFixture();
  tmp = mkdtempSync(join(tmpdir(), 'tributary-theme-'));
});
after(async () => {
  await fixture.store.close();
  rmSync(fixture.dir, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

/** A theme folder holding these files (text or bytes). */
function folder(name: string, files: Record<string, string | Buffer>): string {
  const dir = join(tmp, name);
  for (const [file, body] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), body);
  }
  return dir;
}

async function serve(themeSetting?: string) {
  const theme = loadTheme(themeSetting);
  return listen(createServer({ store: fixture.store, site: SITE, now: () => NOW, theme }));
}

test('a theme folder overrides templates file by file; its files are served and exported under hashed names', async () => {
  const river = `${BUILT_IN_THEMES.default.templates['@river']}<p class="theme-mark">Our own river</p>\n`;
  const layout = BUILT_IN_THEMES.default.templates['@layout']!.replace(
    '<header class="site">',
    `<header class="site">\n<img class="logo" src="<%= it.links.theme('logo.png') %>" alt="">`,
  );
  const dir = folder('own', {
    'river.eta': river,
    'layout.eta': layout,
    'style.css': 'body { color: rgb(1, 2, 3); }\n.logo { background: url("images/logo.png"); }\n',
    'images/logo.png': PNG,
    'logo.png': PNG,
    'favicon.ico': ICON,
    'README.md': 'notes for the theme author, never served',
  });
  const server = await serve(dir);
  try {
    const home = await request(`${server.base}/`);
    assert.equal(home.status, 200);
    assert.match(home.text, /<p class="theme-mark">Our own river<\/p>/);
    // The templates the folder lacks fall back to the built-in ones: posts render as usual.
    assert.match(home.text, /<article class="post" id="post-\d+">/);
    assert.match(home.text, /Analytical engines/);
    const logo = /<img class="logo" src="(\/theme\/logo\.[\w-]{10}\.png)"/.exec(home.text)?.[1];
    assert.ok(logo, 'the layout links the logo at its hashed name');
    const image = await request(server.base + logo);
    assert.equal(image.status, 200);
    assert.equal(image.headers['content-type'], 'image/png');
    assert.equal(image.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(image.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
    assert.deepEqual(image.body, PNG);
    assert.equal(
      (await request(`${server.base}/theme/logo.png`)).status,
      404,
      'only hashed names are served',
    );
    assert.equal((await request(`${server.base}/theme/README.md`)).status, 404);

    const style = await request(`${server.base}/style.css`);
    assert.match(style.text, /body \{ color: rgb\(1, 2, 3\); \}/);
    assert.match(
      style.text,
      /url\("theme\/images\/logo\.[\w-]{10}\.png"\)/,
      'url() pointed at the hashed file',
    );
    assert.match(home.text, /href="\/style.css\?v=[\w-]{10}"/);
    assert.deepEqual((await request(`${server.base}/favicon.ico`)).body, ICON);

    const out = join(tmp, 'own-site');
    await exportSite(fixture.store, out, SITE, { now: () => NOW, theme: loadTheme(dir) });
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    assert.match(index, /<p class="theme-mark">Our own river<\/p>/);
    const exportedLogo = /<img class="logo" src="(theme\/logo\.[\w-]{10}\.png)"/.exec(index)?.[1];
    assert.equal(exportedLogo, logo.slice(1), 'the export links the same hashed file, relative to the page');
    assert.deepEqual(readFileSync(join(out, exportedLogo!)), PNG);
    assert.match(
      readFileSync(join(out, 'entries', readdirSync(join(out, 'entries'))[0]!), 'utf8'),
      /src="\.\.\/theme\/logo\./,
    );
    assert.equal(readFileSync(join(out, 'style.css'), 'utf8'), style.text);
    assert.deepEqual(readFileSync(join(out, 'favicon.ico')), ICON);
    assert.ok(readdirSync(join(out, 'theme', 'images')).some((f) => /^logo\.[\w-]{10}\.png$/.test(f)));
  } finally {
    await server.close();
  }
});

test('a theme’s mistakes stop its load, every one named with its file and line', () => {
  const dir = folder('broken', {
    'entry.eta': [
      '<p>fine: <%= it.post.title %></p>',
      '<%~ it.post.title %>',
      '<% output(it.post.title) %>',
      "<%~ include('@nope', {}) %>",
      '<img src="<%= it.links.theme(\'missing.png\') %>">',
      '<% if (it.post { %>',
      '',
    ].join('\n'),
    'message.eta': "<%~ include('@marked', { parts: [] }) + it.message %>\n",
    'posts.eta': '<p>a template no page uses</p>',
    'style.css': 'a {}\nbody { background: url(nothere.png); }\n',
    'notes.txt': 'not a theme file',
    'partials/river.eta': '<p></p>',
  });
  const error = (() => {
    try {
      loadTheme(dir);
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  assert.ok(error instanceof ThemeError, 'the load fails');
  const lines = error.message
    .split('\n')
    .slice(1)
    .map((l) => l.trim());
  const at = (file: string, line: number) => `${join(dir, file)}:${line}: `;
  const expected = [
    `${at('entry.eta', 2)}raw output <%~ it.post.title %> is refused`,
    `${at('entry.eta', 3)}\`output\` is not available to templates`,
    `${at('entry.eta', 4)}include('@nope'): there is no template @nope`,
    `${at('entry.eta', 5)}links.theme('missing.png'): the theme folder has no such file`,
    `${at('entry.eta', 6)}JavaScript syntax error`,
    `${at('message.eta', 1)}raw output <%~ include('@marked', { parts: [] }) + it.message %> is refused`,
    `${at('posts.eta', 1)}no built-in template is called posts.eta: did you mean post.eta?`,
    `${at('style.css', 2)}url(nothere.png): the theme folder has no such file`,
    `${at('notes.txt', 1)}not a template (.eta) nor a file type a theme may serve`,
    `${at('partials/river.eta', 1)}templates belong at the top of the theme folder`,
  ];
  for (const start of expected)
    assert.ok(
      lines.some((l) => l.startsWith(start)),
      `no problem reported as “${start}…” in:\n${error.message}`,
    );
  assert.equal(lines.length, expected.length, error.message);
  assert.match(error.message, new RegExp(`^theme ${dir} has ${expected.length} errors:`));
  assert.throws(
    () => loadTheme(join(tmp, 'no-such-folder')),
    /is not a folder \(built-in themes: default, planet/,
  );
});

test('raw.postHtml outputs the body of a post of the page, never a look-alike made in a template', async () => {
  const entry = "<% const fake = { contentHtml: '<b id=fake>made up</b>' } %><%~ it.raw.postHtml(fake) %>\n";
  const server = await serve(folder('fake', { 'entry.eta': entry }));
  const errors: unknown[] = [];
  const strict = await listen(
    createServer({
      store: fixture.store,
      site: SITE,
      now: () => NOW,
      theme: loadTheme(join(tmp, 'fake')),
      onError: (e) => errors.push(e),
    }),
  );
  try {
    const home = await request(`${server.base}/`);
    const id = /id="post-(\d+)"/.exec(home.text)![1];
    const page = await request(`${strict.base}/entries/${id}`);
    assert.equal(page.status, 500);
    assert.doesNotMatch(page.text, /made up/);
    assert.match(String(errors[0]), /raw\.postHtml takes a post of the page/);
  } finally {
    await server.close();
    await strict.close();
  }
});

test('the exported default theme renders every page exactly as the built-in one; export refuses to overwrite', async () => {
  const dir = join(tmp, 'exported');
  const files = exportTheme(dir);
  assert.deepEqual(
    files.filter((f) => f.endsWith('.eta')).sort(),
    Object.keys(BUILT_IN_THEMES.default.templates)
      .map((name) => `${name.slice(1)}.eta`)
      .sort(),
  );
  assert.ok(files.includes('style.css') && files.includes('README.md'));
  const builtIn = await serve();
  const exported = await serve(dir);
  try {
    for (const path of [
      '/',
      '/sources',
      '/tags/history',
      '/archive/2024/04',
      '/search?q=engines',
      '/style.css',
    ]) {
      const [a, b] = await Promise.all([request(builtIn.base + path), request(exported.base + path)]);
      assert.equal(b.status, a.status, path);
      assert.equal(b.text, a.text, path);
    }
  } finally {
    await builtIn.close();
    await exported.close();
  }
  writeFileSync(join(dir, 'post.eta'), 'edited');
  assert.throws(
    () => exportTheme(dir),
    /already holds layout\.eta, .*post\.eta.*: not overwriting them \(--force does\)/,
  );
  assert.equal(readFileSync(join(dir, 'post.eta'), 'utf8'), 'edited');
  exportTheme(dir, 'planet', true);
  assert.equal(readFileSync(join(dir, 'post.eta'), 'utf8'), BUILT_IN_THEMES.planet.templates['@post']);
});

test('the README of an exported theme documents every variable each built-in template reads', () => {
  const common = new Set(COMMON.map(([name]) => name.split('.')[0]));
  for (const theme of Object.values(BUILT_IN_THEMES)) {
    for (const [name, source] of Object.entries(theme.templates)) {
      const doc = TEMPLATE_CONTEXT[name];
      assert.ok(doc, `${name} is documented`);
      const own = new Set(doc.variables.map(([variable]) => variable));
      for (const [, used] of source.matchAll(/\bit\.(\w+)/g))
        assert.ok(
          common.has(used!) || own.has(used!),
          `${theme.name} ${name} reads it.${used}, undocumented`,
        );
    }
  }
  const files = Object.keys(BUILT_IN_THEMES.default.templates).map((name) => `${name.slice(1)}.eta`);
  const readme = themeReadme(files);
  for (const file of files) assert.match(readme, new RegExp(`^### ${file} `, 'm'));
  assert.match(readme, /\| `it\.raw\.postHtml` \|/);
});

test('site.theme: a folder relative to the config file; a built-in name as it is', () => {
  const dir = join(tmp, 'config');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'a.yaml'), 'site:\n  theme: themes/mine\n');
  writeFileSync(join(dir, 'b.yaml'), 'site:\n  theme: planet\n');
  assert.equal(loadSettings(join(dir, 'a.yaml'), {}).site.theme, join(dir, 'themes', 'mine'));
  assert.equal(loadSettings(join(dir, 'b.yaml'), {}).site.theme, 'planet');
  assert.equal(loadTheme('planet'), BUILT_IN_THEMES.planet);
});

test('the planet theme shows a face and its person when the post has them, the initial when not', async () => {
  const river = await fixture.store.river({ limit: 2 });
  const sources = new Map((await fixture.store.listSources()).map((s) => [s.id, s]));
  const [withFace, without] = river.entries.map((entry) => postView(entry, sources, dateLabels()));
  withFace!.source.face = 'https://faces.example.org/ada.png?size=64&x="1"';
  withFace!.source.person = { name: 'Ada <Lovelace>', url: 'https://ada.example.org/' };
  const render = pageRenderer(BUILT_IN_THEMES.planet);
  const page = (post: unknown) =>
    render('entry', { site: SITE, pageTitle: 'A post', links: liveLinks('v', () => ''), post });
  assert.match(
    page(withFace),
    /<div class="face-column"><img class="face" src="https:\/\/faces\.example\.org\/ada\.png\?size=64&amp;x=&quot;1&quot;" alt="" width="64" height="64" loading="lazy"><a class="face-name" href="https:\/\/ada\.example\.org\/">Ada &lt;Lovelace&gt;<\/a>/,
  );
  assert.match(
    page(without),
    new RegExp(
      `<span class="face face-initial" aria-hidden="true">C</span><a class="face-name" href="/sources/${without!.source.id}">Compilers &amp; Co</a>`,
    ),
  );
});
