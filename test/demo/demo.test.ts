/**
 * `tributary demo` end to end: the sample feeds go through fetch → parse → sanitize → store over real
 * loopback HTTP, and the river is read back from the real server, as a user opening the URL would.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import {
  DEMO_FEEDS,
  type DemoFeed,
  type RunningDemo,
  refreshDemo,
  startDemo,
  YOUTUBE_VIDEO_IDS,
} from '../../src/demo/index.js';
import { openStore } from '../../src/store/index.js';
import { decodeText, mainOf, request, textOfClass } from '../server/helpers.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const silent = pino({ level: 'silent' });
const POST_COUNT = DEMO_FEEDS.reduce((n, f) => n + f.posts.length, 0);

let demo: RunningDemo;
let river: string;

before(async () => {
  demo = await startDemo({ listen: '127.0.0.1:0', log: silent });
  const reply = await request(demo.url);
  assert.equal(reply.status, 200);
  river = mainOf(reply.text);
});
after(() => demo.close());

const feedBase = () => demo.feedsUrl.replace(/\/$/, '');
const feedNamed = (name: string): DemoFeed => DEMO_FEEDS.find((f) => f.name === name)!;
/** The page's text, tags dropped. */
const textOf = (html: string) => decodeText(html.replace(/<[^>]*>/g, ''));

test('every sample feed was fetched and stored', () => {
  assert.equal(demo.summary.failed, 0, JSON.stringify(demo.summary.results.map((r) => r.error)));
  assert.equal(demo.summary.ok, DEMO_FEEDS.length);
  assert.equal(demo.summary.newEntries, POST_COUNT);
});

test('every sample post is on the river, attributed to its author with its original URL', () => {
  const titles = textOfClass(river, 'post-title');
  const attributions = textOfClass(river, 'attribution');
  assert.equal(titles.length, POST_COUNT, 'all posts fit the first river page');
  for (const feed of DEMO_FEEDS) {
    for (const post of feed.posts) {
      assert.ok(titles.includes(post.title), `${feed.name}: "${post.title}" is on the river`);
      const author = post.author ?? feed.author;
      assert.ok(author, `${feed.name}: every sample post has someone to attribute`);
      const line = `Post Syndicated from ${author} original ${feedBase()}${post.path}`;
      assert.ok(attributions.includes(line), `missing: ${line}`);
    }
  }
  // Dates spread over the last ten days, so the river reads as days, newest first.
  const days = [...river.matchAll(/<h2 id="day-([\d-]+)"/g)].map((m) => m[1]!);
  assert.ok(days.length >= 8, `posts fall on ${days.length} days`);
  assert.deepEqual(days, [...days].sort().reverse());
});

/** The `src` of every <img> on the river, with the address the image proxy fetches it from. */
function riverImages(): { src: string; from: string }[] {
  return [...river.matchAll(/<img src="([^"]+)"/g)].map(([, src]) => ({
    src: src!,
    // `/img/<signature>/<the image's URL in base64url>`
    from: src!.startsWith('/img/') ? Buffer.from(src!.split('/')[3]!, 'base64url').toString() : src!,
  }));
}

test("YouTube videos show the feed's thumbnail on the river and the no-cookie player on their own page", async () => {
  const images = riverImages();
  for (const id of YOUTUBE_VIDEO_IDS) {
    const thumbnail = images.find((i) => i.from === `${feedBase()}/youtube/vi/${id}/hqdefault.jpg`);
    assert.ok(thumbnail?.src.startsWith('/img/'), `thumbnail of ${id}, through the image proxy`);
  }
  const id = YOUTUBE_VIDEO_IDS[0]!;
  const thumbnail = images.find((i) => i.from.includes(`/vi/${id}/`))!;
  const entry = new RegExp(`<a href="(/entries/\\d+)"><img src="${thumbnail.src}"`).exec(river);
  assert.ok(entry, `the thumbnail of ${id} links to its post`);
  const page = (await request(new URL(entry[1]!, demo.url).href)).text;
  assert.match(page, new RegExp(`<iframe src="https://www\\.youtube-nocookie\\.com/embed/${id}"`));
});

test('podcast episodes get an audio player', () => {
  const players = [...river.matchAll(/<audio controls preload="none" src="([^"]+)"/g)].map((m) => m[1]!);
  assert.equal(players.length, feedNamed('Latency Numbers').posts.length);
  for (const src of players) assert.match(src, /^https:\/\/[^/]+\/episodes\/lnp-\d{3}\.mp3$/);
});

test('hostile markup in the sample feeds never reaches the page', async () => {
  const feeds = await Promise.all(DEMO_FEEDS.map(async (f) => (await request(feedBase() + f.path)).text));
  const served = feeds.join('\n');
  // The feeds do carry it (else this test would prove nothing)…
  assert.match(served, /<script async src=/);
  assert.match(served, /onerror=/);
  assert.match(served, /javascript:alert/);
  // …and the river does not.
  assert.doesNotMatch(river, /<script/i);
  assert.doesNotMatch(river, /\son\w+=/i);
  assert.doesNotMatch(river, /javascript:/i);
});

test('the WordPress "appeared first on" footer is kept (stripping it is a rule for later)', () => {
  const text = textOf(river);
  for (const post of feedNamed('Rackside').posts) {
    assert.ok(text.includes(`The post ${post.title} appeared first on Rackside.`), post.title);
  }
});

test("web comic strips show as images, served by the comic's own site", () => {
  for (const post of feedNamed('Plotted Lines').posts) {
    const article = new RegExp(
      `<article[^>]*>(?:(?!</article>)[\\s\\S])*?>${post.title}</a>[\\s\\S]*?</article>`,
    ).exec(river);
    assert.ok(article, post.title);
    const src = /<img src="([^"]+)"/.exec(article[0])?.[1];
    const strip = riverImages().find((i) => i.src === src);
    assert.match(
      strip?.from ?? '',
      new RegExp(`^${feedBase()}/plotted-lines/comics/\\d+\\.png$`),
      post.title,
    );
  }
});

test("a database holding sources other than the demo's is refused, a demo database is reused", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tributary-demo-test-'));
  try {
    const database = join(dir, 'demo.db');
    for (let run = 0; run < 2; run++) {
      const again = await refreshDemo({ database, log: silent });
      assert.equal(again.summary.failed, 0);
      assert.equal((await again.store.listSources()).length, DEMO_FEEDS.length);
      await again.close();
    }
    const store = await openStore(database);
    await store.addSource({ url: 'https://blog.example/feed' });
    await store.close();
    await assert.rejects(
      refreshDemo({ database, log: silent }),
      /not the demo's \(https:\/\/blog\.example\/feed\)/,
    );
    const kept = await openStore(database);
    assert.ok((await kept.listSources()).some((s) => s.url === 'https://blog.example/feed'));
    await kept.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('`tributary demo --once` refreshes the sample feeds and exits 0', async () => {
  const cwd = await mkdtemp(join(tmpdir(), 'tributary-demo-cli-'));
  try {
    const { TRIBUTARY_CONFIG: _, TRIBUTARY_DATABASE_URL: __, ...env } = process.env;
    const child = spawn(process.execPath, [CLI, 'demo', '--once'], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(killer);
    assert.equal(code, 0, stderr);
    assert.match(stdout, new RegExp(`${DEMO_FEEDS.length} ok, 0 failed; ${POST_COUNT} new`));
    for (const feed of DEMO_FEEDS) assert.ok(stdout.includes(`✓ ${feed.name} — `), feed.name);
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
});
