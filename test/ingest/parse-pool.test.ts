import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { compileRules } from '../../src/content/rules.js';
import { defaultParseThreads, ParsePool } from '../../src/ingest/parse-pool.js';
import { readFeed } from '../../src/ingest/read-feed.js';
import { FeedError } from '../../src/parse/errors.js';
import { rssFeed } from './feed-server.js';

const pool = new ParsePool(2);
after(() => pool.close());
const bytes = (text: string) => new TextEncoder().encode(text);
const options = { url: 'https://alpha.example/feed.xml', contentType: 'application/rss+xml' };

const prepare = { rules: [], sourceId: 7, fetchedAtMs: Date.parse('2024-06-02T00:00:00Z') };

test('a feed read on a parse thread is the feed read on this one: parsed, sanitized, made rows', async () => {
  const request = {
    body: bytes(rssFeed('alpha', 5, '&lt;script&gt;alert(1)&lt;/script&gt;')),
    options,
    prepare,
  };
  const result = await pool.read(request);
  assert.deepEqual(result, readFeed(request));
  assert.equal(result.feed.title, 'alpha');
  assert.equal(result.feed.items.length, 0, 'the items travel once, as rows');
  assert.equal(result.rows?.length, 5);
  for (const row of result.rows ?? []) {
    assert.match(row.dedupeKey, /^7:/);
    assert.match(row.contentHtml ?? row.summary ?? '', /Body \d of alpha/);
    assert.doesNotMatch(row.contentHtml ?? row.summary ?? '', /<script/);
  }
});

test('rules run on the parse thread: an excluded item never becomes a row, a rewrite does', async () => {
  const rules = [
    compileRules([{ exclude: { title: 'post 0$' } }, { rewrite: { pattern: 'Body', replace: 'Text' } }]),
  ];
  const result = await pool.read({
    body: bytes(rssFeed('alpha', 3)),
    options,
    prepare: { ...prepare, rules },
  });
  assert.deepEqual(
    result.rows?.map((r) => r.title),
    ['alpha post 1', 'alpha post 2'],
  );
  for (const row of result.rows ?? []) assert.match(row.contentHtml ?? row.summary ?? '', /Text \d of alpha/);
});

test('without prepare the items come back as parsed (full-article sources prepare them later)', async () => {
  const body = bytes(rssFeed('alpha', 1, '&lt;script&gt;alert(1)&lt;/script&gt;'));
  const { feed, rows } = await pool.read({ body, options });
  assert.equal(rows, undefined);
  assert.match(feed.items[0]!.content_html ?? feed.items[0]!.summary ?? '', /<script>/);
});

test('a FeedError crosses the thread with its code and the feeds a page advertises', async () => {
  const page = '<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head></html>';
  const error = await pool
    .read({
      body: bytes(page),
      options: { url: 'https://alpha.example/', contentType: 'text/html' },
      prepare,
    })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  assert.ok(error instanceof FeedError, String(error));
  assert.equal(error.code, 'html-page');
  assert.deepEqual(
    error.feedLinks.map((l) => l.url),
    ['https://alpha.example/feed.xml'],
  );
});

test('many feeds in flight on two threads all come back, each to its own caller', async () => {
  const names = Array.from({ length: 40 }, (_, i) => `feed${i}`);
  const feeds = await Promise.all(
    names.map((name, i) => pool.read({ body: bytes(rssFeed(name, 1 + (i % 7))), options, prepare })),
  );
  assert.deepEqual(
    feeds.map((r) => [r.feed.title, r.rows?.length]),
    names.map((name, i) => [name, 1 + (i % 7)]),
  );
});

test('threads start only for work: none for a pool never read from, one for feeds read one at a time', async () => {
  const lazy = new ParsePool(3);
  try {
    assert.equal(lazy.threads, 0);
    for (const name of ['a', 'b', 'c']) {
      const { feed } = await lazy.read({ body: bytes(rssFeed(name, 2)), options, prepare });
      assert.equal(feed.title, name);
    }
    assert.equal(lazy.threads, 1, 'each feed found the one thread idle');
    const many = await Promise.all(
      Array.from({ length: 12 }, (_, i) => lazy.read({ body: bytes(rssFeed(`m${i}`, 1)), options, prepare })),
    );
    assert.deepEqual(
      many.map((r) => r.feed.title),
      Array.from({ length: 12 }, (_, i) => `m${i}`),
    );
    assert.equal(lazy.threads, 3, 'a burst grows the pool to its size, no further');
  } finally {
    await lazy.close();
  }
});

test('default threads: a one-shot refresh leaves a core to its main thread (none on 2); daemons one per CPU', () => {
  assert.equal(defaultParseThreads(true, 1), 0);
  assert.equal(defaultParseThreads(true, 2), 0);
  assert.equal(defaultParseThreads(true, 4), 3);
  assert.equal(defaultParseThreads(false, 2), 2);
  assert.equal(defaultParseThreads(false, 8), 8);
});

test('a parse that overruns the deadline fails that feed alone; the thread is replaced and reads go on', async () => {
  // Far more than a second of parsing and sanitizing; a fresh thread starts in a fraction of one.
  const hasty = new ParsePool(1, { deadlineMs: 500 });
  try {
    const big = bytes(rssFeed('big', 60_000, '&lt;p&gt;&lt;b&gt;bold&lt;/b&gt;&lt;/p&gt;'.repeat(4)));
    await assert.rejects(hasty.read({ body: big, options, prepare }), /longer than 0.5 s and was stopped/);
    const next = await hasty.read({ body: bytes(rssFeed('next', 2)), options, prepare });
    assert.equal(next.feed.title, 'next');
  } finally {
    await hasty.close();
  }
});

test('a closed pool refuses work', async () => {
  const closed = new ParsePool(1);
  await closed.close();
  await assert.rejects(closed.read({ body: bytes(rssFeed('x', 1)), options }), /closed/);
});

test('idle parse threads never keep a process alive: a command that is done exits without closing its pool', () => {
  const poolModule = new URL('../../src/ingest/parse-pool.js', import.meta.url).href;
  const script = `const { ParsePool } = await import(${JSON.stringify(poolModule)});
    const pool = new ParsePool(2);
    const { feed } = await pool.read({ body: new TextEncoder().encode('<rss><channel><title>t</title></channel></rss>'),
      options: {} });
    console.log(feed.title);`;
  const dir = mkdtempSync(join(tmpdir(), 'tributary-pool-'));
  const file = join(dir, 'command.mjs');
  writeFileSync(file, script);
  const child = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 20_000 });
  rmSync(dir, { recursive: true, force: true });
  assert.equal(child.signal, null, 'the process had to be killed: it did not exit by itself');
  assert.equal(child.status, 0, child.stderr);
  assert.equal(child.stdout.trim(), 't');
});
