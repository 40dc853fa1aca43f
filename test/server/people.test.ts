/**
 * Faces and people over real HTTP: faces beside posts and on /sources cards (plain-http ones through the
 * image proxy, which serves them), /people with people grouped, their faces, home pages and sources, page
 * after page, and the static export writing the same.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createServer, exportSite } from '../../src/server/index.js';
import { loadTheme } from '../../src/server/theme/index.js';
import { NOW, SITE } from '../publish/fixtures.js';
import { decodeText, listen, mainOf, request, textOfClass } from './helpers.js';
import { PNG } from './image-fixtures.js';
import { type PeopleFixture, peopleFixture } from './people-fixture.js';

let fixture: PeopleFixture;
let base: string;
let close: () => Promise<void>;
/** 55 more people than the five of the fixture: two pages of /people. */
const EXTRA = 55;

before(async () => {
  fixture = await peopleFixture(EXTRA);
  ({ base, close } = await listen(
    createServer({
      store: fixture.store,
      site: SITE,
      now: () => NOW,
      imageProxy: { fetchPolicy: { allowPrivateNetworks: true } },
    }),
  ));
});
after(async () => {
  await close();
  await fixture.close();
});

/** The faces (`src` of `img.face`) in `html`, entities decoded. */
const facesIn = (html: string) =>
  [...html.matchAll(/<img class="face" src="([^"]*)" alt="" width="\d+" height="\d+" loading="lazy">/g)].map(
    (m) => decodeText(m[1]!),
  );

/** The part of `html` from the element with this id to the end of its article. */
function article(html: string, id: string): string {
  const match = new RegExp(`<article class="[^"]*" id="${id}">([\\s\\S]*?)</article>`).exec(html);
  assert.ok(match, `no article #${id}`);
  return match[1]!;
}

test('posts show their source face: configured over learned, http ones through the proxy, which serves them', async () => {
  const html = mainOf((await request(`${base}/`)).text);
  const postOf = (title: string) => {
    const match = new RegExp(
      `<article class="post" id="post-\\d+">(?:(?!</article>)[\\s\\S])*?${title}[\\s\\S]*?</article>`,
    ).exec(html);
    assert.ok(match, title);
    return match[0];
  };
  const [jo] = facesIn(postOf('Post by jo-writes'));
  assert.match(jo!, /^\/img\/[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+$/, 'an http face goes through the proxy');
  const [bob] = facesIn(postOf('Post by bob'));
  assert.match(bob!, /^\/img\//, "the feed's own face, learned at fetch");
  assert.notEqual(jo, bob);
  assert.deepEqual(
    facesIn(postOf('Post by ann')),
    ['https://faces.example/ann.png'],
    'https faces load as they are',
  );
  // Jo's second feed has no face of its own; Theo's is a theme file, which the default theme does not hold.
  assert.deepEqual(facesIn(postOf('Post by jo-shoots')), []);
  assert.deepEqual(facesIn(postOf('Post by theo')), []);

  const before = fixture.faces.requests.length;
  for (const path of [jo!, bob!]) {
    const image = await request(base + path);
    assert.equal(image.status, 200, path);
    assert.equal(image.headers['content-type'], 'image/png');
  }
  assert.deepEqual(fixture.faces.requests.slice(before), ['/jo.png', '/bob.png']);
});

test('a post permalink and a source page show the face too; /sources cards show each source face', async () => {
  const jo = fixture.sources.get('Jo writes')!;
  const river = await fixture.store.river({ sourceId: jo.id, limit: 1 });
  const entry = mainOf((await request(`${base}/entries/${river.entries[0]!.id}`)).text);
  assert.equal(facesIn(entry).length, 1);
  assert.match(facesIn(entry)[0]!, /^\/img\//);

  const sources = mainOf((await request(`${base}/sources`)).text);
  assert.match(facesIn(article(sources, `source-${jo.id}`))[0]!, /^\/img\//);
  assert.deepEqual(facesIn(article(sources, `source-${fixture.sources.get('Ann')!.id}`)), [
    'https://faces.example/ann.png',
  ]);
  assert.deepEqual(facesIn(article(sources, `source-${fixture.sources.get('Theo')!.id}`)), []);
  // The configured homepage is the site link, over the feed's own.
  assert.match(article(sources, `source-${jo.id}`), /<a href="https:\/\/jo\.example\/about">site<\/a>/);
});

/** The people of every /people page, following its "Next page" links (bounded). */
async function allPeople(): Promise<{ pages: string[]; names: string[] }> {
  const pages: string[] = [];
  for (let next: string | undefined = '/people'; next && pages.length < 10; ) {
    const reply = await request(base + next);
    assert.equal(reply.status, 200, next);
    pages.push(mainOf(reply.text));
    next = /<a rel="next" href="([^"]+)">Next page<\/a>/.exec(reply.text)?.[1];
  }
  const names = pages.flatMap((page) =>
    [...page.matchAll(/<li class="person">[\s\S]*?<h2>([\s\S]*?)<\/h2>/g)].map((m) =>
      decodeText(m[1]!.replace(/<[^>]*>/g, '')),
    ),
  );
  return { pages, names };
}

test('/people: people by name, a configured person grouping their feeds, each with face, home page and sources', async () => {
  const { pages, names } = await allPeople();
  assert.equal(pages.length, 2, 'fifty people a page');
  const readers = Array.from({ length: EXTRA }, (_, i) => `Reader ${String(i).padStart(3, '0')}`);
  assert.deepEqual(names, ['Ann', 'Bob', 'Jo Doe', ...readers, 'Theo']);

  const first = pages[0]!;
  const person = (name: string) => {
    const match = new RegExp(
      `<li class="person">(?:(?!<li class="person">)[\\s\\S])*?<h2>[^\\n]*${name}[\\s\\S]*?</ul>\\n</li>`,
    ).exec(first);
    assert.ok(match, name);
    return match[0];
  };
  const jo = person('Jo Doe');
  assert.match(jo, /<h2><a href="https:\/\/jo\.example\/about">Jo Doe<\/a><\/h2>/);
  assert.match(facesIn(jo)[0]!, /^\/img\//);
  const linked = [...jo.matchAll(/<a href="\/sources\/(\d+)">([^<]*)<\/a>/g)].map((m) => [
    Number(m[1]),
    m[2],
  ]);
  assert.deepEqual(linked, [
    [fixture.sources.get('Jo writes')!.id, 'Jo writes'],
    [fixture.sources.get('Jo shoots')!.id, 'Jo shoots'],
  ]);
  assert.deepEqual(facesIn(person('Ann')), ['https://faces.example/ann.png']);
  assert.match(facesIn(person('Bob'))[0]!, /^\/img\//);
  // A source of its own links its feed's site (here none: the feed named no home page).
  assert.match(person('Bob'), /<h2>Bob<\/h2>/);
  assert.match(person('Bob'), new RegExp(`<a href="/sources/${fixture.sources.get('Bob')!.id}">Bob</a>`));

  const nav = (await request(`${base}/`)).text;
  assert.match(nav, /<nav aria-label="Site">[\s\S]*<a href="\/people">People<\/a>[\s\S]*<\/nav>/);
});

test('/people: a cursor this site did not make is a 404', async () => {
  for (const token of ['%%%', 'AAAA=', 'x'.repeat(5000)]) {
    assert.equal((await request(`${base}/people?after=${token}`)).status, 404, token);
  }
  assert.equal((await request(`${base}/people/`)).status, 200);
});

test('the static export writes /people page by page, its links relative, faces copied into the export', async () => {
  const out = mkdtempSync(join(tmpdir(), 'tributary-people-export-'));
  try {
    await exportSite(fixture.store, out, SITE, {
      now: () => NOW,
      images: { fetchPolicy: { allowPrivateNetworks: true } },
    });
    const first = readFileSync(join(out, 'people/index.html'), 'utf8');
    const [next] = readdirSync(join(out, 'people/page'));
    assert.ok(next, 'the second page is written');
    assert.match(first, new RegExp(`<a rel="next" href="\\.\\./people/page/${next}">Next page</a>`));
    const second = readFileSync(join(out, 'people/page', next), 'utf8');
    assert.deepEqual(textOfClass(mainOf(second), 'person').length, 9);
    // Jo's face, over plain http, is a copy in the export; Ann's https one stays where it is.
    const faces = facesIn(mainOf(first));
    assert.ok(
      faces.some((f) => /^\.\.\/images\/[0-9a-f]{32}\.png$/.test(f)),
      faces.join(' '),
    );
    assert.ok(faces.includes('https://faces.example/ann.png'));
    for (const face of faces.filter((f) => f.startsWith('../'))) {
      assert.ok(readFileSync(join(out, 'people', face)).length > 0, face);
    }
    const river = readFileSync(join(out, 'index.html'), 'utf8');
    assert.ok(
      facesIn(river).some((f) => /^images\/[0-9a-f]{32}\.png$/.test(f)),
      'the river shows the copies',
    );
    assert.match(river, /<a href="people\/index\.html">People<\/a>/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('a face naming a theme file shows that file at its hashed name, served and exported; without it, none', async () => {
  const themeDir = mkdtempSync(join(tmpdir(), 'tributary-people-theme-'));
  const out = mkdtempSync(join(tmpdir(), 'tributary-people-theme-export-'));
  mkdirSync(join(themeDir, 'faces'));
  writeFileSync(join(themeDir, 'faces', 'theo.png'), PNG);
  const theme = loadTheme(themeDir);
  const themed = await listen(createServer({ store: fixture.store, site: SITE, now: () => NOW, theme }));
  try {
    const theo = fixture.sources.get('Theo')!.id;
    const sources = mainOf((await request(`${themed.base}/sources`)).text);
    const [face] = facesIn(article(sources, `source-${theo}`));
    assert.match(face!, /^\/theme\/faces\/theo\.[\w-]{10}\.png$/);
    const image = await request(themed.base + face);
    assert.equal(image.status, 200);
    assert.deepEqual(image.body, PNG);
    const river = mainOf((await request(`${themed.base}/`)).text);
    assert.ok(facesIn(river).includes(face!), 'the river shows it beside Theo’s post');
    const people = (await request(`${themed.base}/people`)).text;
    const last = /<a rel="next" href="([^"]+)">Next page<\/a>/.exec(people)?.[1];
    assert.ok(facesIn(mainOf((await request(themed.base + last)).text)).includes(face!), 'Theo is on page 2');

    await exportSite(fixture.store, out, SITE, { now: () => NOW, theme });
    const exported = facesIn(readFileSync(join(out, 'index.html'), 'utf8')).find((f) => f.includes('theo'));
    assert.equal(exported, face!.slice(1), 'the export links the same file, relative');
    assert.deepEqual(readFileSync(join(out, exported!)), PNG);
  } finally {
    await themed.close();
    rmSync(themeDir, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});
