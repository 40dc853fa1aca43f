/**
 * A private feed, `http://user:password@host/feed`, end to end through the built CLI over loopback HTTP: its
 * posts are fetched with Basic auth (found through a page behind the same auth), and the password shows up
 * nowhere — not in CLI output, log lines, pages, merged feeds, OPML or the static export — while the
 * credentials never leave for another origin.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createServer } from '../src/server/index.js';
import { openStore, type Store } from '../src/store/index.js';
import { type FixtureServer, type Handler, startFixtureServer } from './fetch/fixture-server.js';
import { rssFeed } from './ingest/feed-server.js';
import { listen, request } from './server/helpers.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const USER = 'feeduser';
const PASSWORD = 'hunter2secret';
const BASIC = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
const T = { timeout: 30_000 };
/** Recent, so the new source's first fetch is news, not backlog kept off the river. */
const NOTE_DATE = new Date(Date.now() - 3_600_000).toUTCString();
/** A feed that advertises a WebSub hub and names no self URL: its topic is the URL it was fetched from. */
const notes = (hub: string) => `<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<title>notes</title><atom:link rel="hub" href="${hub}"/><item><title>notes post</title>
<guid isPermaLink="false">note-1</guid><pubDate>${NOTE_DATE}</pubDate>
<description>&lt;p&gt;See &lt;a href="/files/report.pdf"&gt;the report&lt;/a&gt;.&lt;/p&gt;</description></item></channel></rss>`;

/** What the private feed answers next: its feed, one 500, or a body that is no feed at all. */
let feedMode: 'ok' | 'fail-once' | 'junk' = 'ok';
let site: FixtureServer;
let elsewhere: FixtureServer;
let dir: string;
let config: string;
/** The bodies of WebSub subscription requests the hub (on the other origin) received. */
const hubRequests: string[] = [];

before(async () => {
  elsewhere = await startFixtureServer({
    '/landing': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed('landing', 2));
    },
    '/hub': (req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        hubRequests.push(body);
        res.writeHead(202).end();
      });
    },
  });
  const page = (feed: string) =>
    `<html><head><link rel="alternate" type="application/rss+xml" href="${feed}">`;
  site = await startFixtureServer({
    '/blog/': behindAuth(page('/feed.xml'), 'text/html'),
    '/notes/': behindAuth(page('/notes.xml'), 'text/html'),
    '/notes.xml': behindAuth(notes(elsewhere.url('/hub')), 'application/rss+xml'),
    '/feed.xml': (req, res) => {
      if (req.headers.authorization !== BASIC) return void res.writeHead(401).end();
      if (feedMode === 'fail-once') {
        feedMode = 'ok';
        return void res.writeHead(500).end();
      }
      if (feedMode === 'junk') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('junk');
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed('private', 3));
    },
    '/moved': (_req, res) => void res.writeHead(302, { location: elsewhere.url('/landing') }).end(),
  });
  dir = mkdtempSync(join(tmpdir(), 'tributary-credentials-'));
  config = join(dir, 'tributary.yaml');
  // A page found to be a page only at refresh (its feed then autodiscovered, advertising a WebSub hub).
  writeFileSync(
    config,
    `site:\n  title: Private planet\ndatabase: tributary.db\nwebsub:\n  callback_base: https://planet.example.org/\n` +
      `sources:\n  - url: ${privateUrl('/notes/')}\n`,
  );
});
after(async () => {
  await Promise.all([site.close(), elsewhere.close()]);
  rmSync(dir, { recursive: true, force: true });
});

function behindAuth(body: string, contentType: string): Handler {
  return (req, res) => {
    if (req.headers.authorization !== BASIC) return void res.writeHead(401).end();
    res.writeHead(200, { 'content-type': contentType }).end(body);
  };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Promise<Run> {
  const child = spawn(process.execPath, [CLI, '--config', config, ...args], {
    cwd: dir,
    env: { ...process.env, TRIBUTARY_ALLOW_PRIVATE_NETWORKS: '1', TRIBUTARY_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const privateUrl = (path: string) => `http://${USER}:${PASSWORD}@127.0.0.1:${site.port}${path}`;
const redacted = (path: string) => `http://${USER}:***@127.0.0.1:${site.port}${path}`;

/** Operator output may name the user, never the password. */
function assertNoPassword(text: string, what: string): void {
  assert.ok(!text.includes(PASSWORD), `${what} shows the password:\n${text}`);
}

/** Public output carries no credentials at all. */
function assertNoCredentials(text: string, what: string): void {
  assert.ok(!text.includes(PASSWORD) && !text.includes(USER), `${what} shows credentials:\n${text}`);
}

const logLines = (stderr: string) =>
  stderr
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

test('add finds the feed behind Basic auth and keeps the credentials in the config only', T, async () => {
  const added = await cli('add', privateUrl('/blog/'));
  assert.equal(added.code, 0, added.stderr);
  assertNoPassword(added.stdout + added.stderr, 'add');
  assert.match(added.stdout, new RegExp(`added ${redacted('/feed.xml').replace(/[.*?]/g, '\\$&')} to `));
  assert.ok(readFileSync(config, 'utf8').includes(privateUrl('/feed.xml')), readFileSync(config, 'utf8'));

  const moved = await cli('add', '--no-discover', privateUrl('/moved'));
  assert.equal(moved.code, 0, moved.stderr);
  assertNoPassword(moved.stdout + moved.stderr, 'add --no-discover');
});

test('refresh stores the private posts, and no output or log line shows the password', T, async () => {
  const run = await cli('refresh', '--all', '--no-progress');
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assertNoPassword(run.stdout + run.stderr, 'refresh');
  const fetched = logLines(run.stderr).find((l) => l.msg === `fetched ${redacted('/feed.xml')}`);
  assert.ok(fetched, run.stderr);
  assert.equal(fetched.url, redacted('/feed.xml'));

  const store = await openStore(join(dir, 'tributary.db'));
  try {
    const titles = (await store.river({ limit: 50 })).entries.map((e) => e.item.title).sort();
    assert.deepEqual(titles, [
      'landing post 0',
      'landing post 1',
      'notes post',
      'private post 0',
      'private post 1',
      'private post 2',
    ]);
  } finally {
    await store.close();
  }
  const landing = elsewhere.requests.find((r) => r.path === '/landing');
  assert.ok(landing, 'the redirect was followed');
  assert.equal(landing.headers.authorization, undefined, 'credentials went to another origin');
  const topics = hubRequests.map((body) => new URLSearchParams(body).get('hub.topic'));
  assert.deepEqual(
    topics,
    [`http://127.0.0.1:${site.port}/notes.xml`],
    'the hub is told the feed without credentials',
  );
});

test('a failing private feed is reported and logged without the password', T, async () => {
  feedMode = 'fail-once';
  const run = await cli('refresh', '--all', '--no-progress');
  assert.equal(run.code, 3, run.stdout + run.stderr);
  assertNoPassword(run.stdout + run.stderr, 'refresh with a failure');
  assert.ok(run.stdout.includes(`✗ ${redacted('/feed.xml')}: HTTP 500`), run.stdout);
  const warn = logLines(run.stderr).find((l) => l.level === 40);
  assert.ok(warn, run.stderr);
  assert.equal(warn.url, redacted('/feed.xml'));
  assert.match(String(warn.error), /HTTP 500/);

  // A body that is no feed: the parse error names the URL, and is what /sources and list show next.
  feedMode = 'junk';
  const junk = await cli('refresh', '--all', '--no-progress');
  assert.equal(junk.code, 3, junk.stdout + junk.stderr);
  assertNoPassword(junk.stdout + junk.stderr, 'refresh of a non-feed');
  feedMode = 'ok';
  const store = await openStore(join(dir, 'tributary.db'));
  try {
    const errors = (await store.listSources()).flatMap((s) => (s.lastError ? [s.lastError] : []));
    assert.deepEqual(
      errors.map((e) => e.split(':', 1)[0]),
      ['not a readable feed at http'],
      'the error is stored as public pages show it',
    );
    assertNoCredentials(errors[0]!, 'the stored error');
  } finally {
    await store.close();
  }
});

test('list, purge and export show no password; export and OPML carry no credentials', T, async () => {
  const list = await cli('list');
  assert.equal(list.code, 3, list.stderr);
  assertNoPassword(list.stdout + list.stderr, 'list');
  assert.ok(list.stdout.includes(`<${redacted('/feed.xml')}>`), list.stdout);
  const json = await cli('list', '--json');
  assertNoPassword(json.stdout + json.stderr, 'list --json');
  assert.ok(
    (JSON.parse(json.stdout) as { url: string }[]).some((s) => s.url === redacted('/feed.xml')),
    json.stdout,
  );

  // A purge refused (the source is still in the config) names it without its password.
  const purge = await cli('purge', privateUrl('/feed.xml'));
  assert.equal(purge.code, 1, purge.stderr);
  assert.match(purge.stderr, /is still in the config/);
  assertNoPassword(purge.stdout + purge.stderr, 'purge');

  const opml = await cli('export');
  assert.equal(opml.code, 0, opml.stderr);
  assertNoCredentials(opml.stdout, 'export');
  assert.ok(opml.stdout.includes(`xmlUrl="http://127.0.0.1:${site.port}/feed.xml"`), opml.stdout);
  assert.match(opml.stderr, /3 feed URL\(s\) written without their credentials/);
  assertNoPassword(opml.stderr, 'export warnings');
});

test('pages, merged feeds, OPML and the static export carry no credentials', T, async () => {
  const out = join(dir, 'site');
  const build = await cli('build', '--out', out);
  assert.equal(build.code, 0, build.stderr);
  assertNoPassword(build.stdout + build.stderr, 'build');
  const files = (readdirSync(out, { recursive: true }) as string[]).filter((f) =>
    statSync(join(out, f)).isFile(),
  );
  assert.ok(files.length > 10, files.join(', '));
  for (const file of files) assertNoCredentials(readFileSync(join(out, file), 'utf8'), file);

  const store: Store = await openStore(join(dir, 'tributary.db'));
  const server = await listen(createServer({ store, site: { title: 'Private planet' } }));
  try {
    const sources = await store.listSources();
    const entries = (await store.river({ limit: 50 })).entries;
    const paths = [
      '/',
      '/sources',
      ...sources.map((s) => `/sources/${s.id}`),
      ...entries.map((e) => `/entries/${e.id}`),
      '/atom.xml',
      '/rss.xml',
      '/feed.json',
      '/digest.txt',
      '/opml.xml',
    ];
    for (const path of paths) {
      const reply = await request(server.base + path);
      assert.equal(reply.status, 200, path);
      assertNoCredentials(reply.text, path);
    }
    const health = await request(`${server.base}/sources`);
    assert.ok(health.text.includes(`http://127.0.0.1:${site.port}/feed.xml`), 'the feed is still linked');
    assert.match(health.text, /not a readable feed/, 'the last error is shown');
  } finally {
    await server.close();
    await store.close();
  }
});
