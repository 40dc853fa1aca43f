import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type http from 'node:http';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { createServer } from '../../src/server/index.js';
import { openStore, type SearchLimits, type Store } from '../../src/store/index.js';
import { NOW, SITE, tempStore } from '../publish/fixtures.js';
import { POSTGRES_URL, postgresSchema, sqlitePath } from '../store/backends.js';
import { bulkPosts, post, SLOW_QUERY, withPosts } from '../store/search-helpers.js';
import { listen, mainOf, type Reply, request, textOfClass } from './helpers.js';

const search = (base: string, q: string, page?: number) =>
  request(`${base}/search?q=${encodeURIComponent(q)}${page ? `&page=${page}` : ''}`);

/** The text of the notice a search page shows instead of results. */
const notice = (reply: Reply) => textOfClass(mainOf(reply.text), 'notice')[0];

describe('search over HTTP', () => {
  let store: Store;
  let base: string;
  let close: () => Promise<void>;
  let cleanup: () => void;

  before(async () => {
    const temp = await tempStore();
    store = temp.store;
    cleanup = () => rmSync(temp.dir, { recursive: true, force: true });
    await withPosts(
      store,
      [
        post('rust', 'Memory safety in Rust', {
          content_html:
            '<p>Rust brings <em>memory safety</em> to kernels: 5 &lt; 6 &amp; &lt;script&gt;alert(1)&lt;/script&gt;.</p>',
          tags: ['Kernel', 'Rust'],
        }),
        post('pilot', 'Safety and good memory', { content_html: '<p>They make a pilot.</p>' }),
        post('evil', '<mark>x</mark> <script>alert(2)</script> kernel', { content_html: '<p>kernel</p>' }),
      ],
      { url: 'https://blog.example.org/feed', name: 'Ada Blog' },
    );
    await withPosts(
      store,
      Array.from({ length: 45 }, (_, i) => post(`o${i}`, `Ostrich ${i}`, { content_text: 'ostrich' })),
      { url: 'https://birds.example.net/feed', name: 'Birds' },
    );
    ({ base, close } = await listen(createServer({ store, site: SITE, now: () => NOW })));
  });
  after(async () => {
    await close();
    await store.close();
    cleanup();
  });

  test('a phrase, OR, -word and kern*: ranked results, each attributed, the matches marked', async () => {
    const titles = async (q: string) => textOfClass(mainOf((await search(base, q)).text), 'post-title');
    assert.deepEqual(await titles('"memory safety"'), ['Memory safety in Rust']);
    assert.deepEqual((await titles('memory safety')).sort(), [
      'Memory safety in Rust',
      'Safety and good memory',
    ]);
    assert.deepEqual((await titles('pilot OR kernels')).sort(), [
      '<mark>x</mark> <script>alert(2)</script> kernel',
      'Memory safety in Rust',
      'Safety and good memory',
    ]);
    assert.deepEqual(await titles('memory -pilot'), ['Memory safety in Rust']);
    assert.deepEqual(await titles('kern* -memory'), ['<mark>x</mark> <script>alert(2)</script> kernel']);

    const html = mainOf((await search(base, '"memory safety"')).text);
    assert.match(html, /1 post matches “&quot;memory safety&quot;”/);
    assert.match(
      html,
      /<a href="https:\/\/blog\.example\.org\/rust"><mark>Memory safety<\/mark> in Rust<\/a>/,
    );
    assert.match(
      html,
      /<p class="snippet">Rust brings <mark>memory safety<\/mark> to kernels: 5 &lt; 6 &amp; /,
    );
    assert.deepEqual(textOfClass(html, 'attribution'), [
      'Post Syndicated from Ada Blog original https://blog.example.org/rust',
    ]);
  });

  test('text of posts and of the query stays text: every <mark> and tag in results is ours', async () => {
    const reply = await search(base, 'kernel -"<b>alert(3)</b>"');
    const html = mainOf(reply.text);
    assert.equal(reply.status, 200);
    assert.equal(textOfClass(html, 'post-title').length, 2);
    assert.doesNotMatch(reply.text, /<script|<mark>x|<b>/);
    assert.match(
      html,
      /&lt;mark&gt;x&lt;\/mark&gt; &lt;script&gt;alert\(2\)&lt;\/script&gt; <mark>kernel<\/mark>/,
    );
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, 'escaped in the excerpt too');
    for (const [, inner] of html.matchAll(/<mark>([^<]*)<\/mark>/g)) assert.match(inner!, /^kernels?$/i);
    assert.match(reply.text, /value="kernel -&quot;&lt;b&gt;alert\(3\)&lt;\/b&gt;&quot;"/);
  });

  test('results come a page at a time, with links to the next and previous pages', async () => {
    const seen: string[] = [];
    let next: string | undefined = `/search?q=ostrich`;
    const pages: { status: number; prev?: string; next?: string; summary?: string }[] = [];
    while (next && pages.length < 10) {
      const reply = await request(base + next.replace(/&amp;/g, '&'));
      const html = mainOf(reply.text);
      seen.push(...textOfClass(html, 'post-title'));
      next = /<a rel="next" href="([^"]+)"/.exec(html)?.[1];
      const prev = /<a rel="prev" href="([^"]+)"/.exec(html)?.[1];
      pages.push({ status: reply.status, prev, next, summary: textOfClass(html, 'intro')[0] });
    }
    assert.deepEqual(pages, [
      {
        status: 200,
        prev: undefined,
        next: '/search?q=ostrich&amp;page=2',
        summary: 'Posts 1–20 matching “ostrich”, best first.',
      },
      {
        status: 200,
        prev: '/search?q=ostrich',
        next: '/search?q=ostrich&amp;page=3',
        summary: 'Posts 21–40 matching “ostrich”, best first.',
      },
      {
        status: 200,
        prev: '/search?q=ostrich&amp;page=2',
        next: undefined,
        summary: 'Posts 41–45 matching “ostrich”, best first.',
      },
    ]);
    assert.equal(seen.length, 45);
    assert.equal(new Set(seen).size, 45, 'no result on two pages');
    for (const page of ['0', '51', 'abc', '-1'])
      assert.equal((await request(`${base}/search?q=ostrich&page=${page}`)).status, 404, page);
  });

  test('source: and tag: filters, by name or number, any case', async () => {
    const titles = async (q: string) => textOfClass(mainOf((await search(base, q)).text), 'post-title');
    assert.deepEqual(await titles('kernel source:"ada blog" tag:RUST'), ['Memory safety in Rust']);
    assert.deepEqual(await titles('ostrich source:birds tag:rust'), []);
    assert.equal((await titles('ostrich source:2')).length, 20);
    assert.equal((await titles('ostrich source:1')).length, 0);
  });

  test('a query to rephrase is a 400 page saying what to change, with the form and help: never a 500', async () => {
    const cases: [string, RegExp][] = [
      ['"memory safety', /is not closed: add the closing "/],
      ['rust OR', /OR needs a word to look for on each side/],
      ['-java', /Add a word to look for/],
      ['kernel source:nosuch', /No source is called “nosuch”: use a name or number from the Sources page/],
      ['kernel -tag:rust', /a filter cannot be negated/],
      ['x*', /at least 2 letters before the \*/],
      ['w'.repeat(300), /300 characters long; a search takes at most 200/],
    ];
    for (const [q, message] of cases) {
      const reply = await search(base, q);
      assert.equal(reply.status, 400, q);
      assert.match(notice(reply) ?? '', message, q);
      assert.match(reply.text, /<form class="search"/, q);
      assert.match(mainOf(reply.text), /How to search/, q);
      assert.equal(
        String(reply.headers['content-security-policy']).startsWith("default-src 'none'"),
        true,
        q,
      );
    }
  });
});

/**
 * A search that takes long on purpose, for each backend: SQLite ranks 100,000 posts by 13 words (written
 * in one statement, so the fixture is quick); PostgreSQL waits, from `hold()` to `release()`, on a table another
 * session has locked.
 */
interface SlowBackend {
  name: string;
  skip: string | false;
  /** A store on the shared database with these search limits. */
  open(limits: Partial<SearchLimits>): Promise<Store>;
  slowQuery: string;
  /** Makes `slowQuery` slow, once the database holds a source. */
  prepare(): Promise<void>;
  hold(): Promise<void>;
  release(): Promise<void>;
  done(): Promise<void>;
}

function sqliteSlow(): SlowBackend {
  const path = sqlitePath();
  return {
    name: 'sqlite',
    skip: false,
    async open(limits) {
      // Every bulk post ranked: a search that takes about a second, whatever the machine's caches hold.
      const store = await openStore(`sqlite:${path}`, { search: { ...limits, rankedMatches: 1_000_000 } });
      await store.migrate();
      return store;
    },
    slowQuery: SLOW_QUERY,
    // Source 1 is the one `before` adds.
    prepare: async () => bulkPosts(path, 1, 100_000),
    hold: async () => {},
    release: async () => {},
    done: async () => {},
  };
}

function postgresSlow(): SlowBackend {
  const schema = POSTGRES_URL ? postgresSchema() : undefined;
  const locker = new pg.Client({ connectionString: POSTGRES_URL });
  let holding = false;
  return {
    name: 'postgres',
    skip: !POSTGRES_URL && 'set TRIBUTARY_TEST_POSTGRES_URL to run the PostgreSQL tests',
    async open(limits) {
      const store = await openStore(schema!.url, { search: limits });
      await store.migrate();
      return store;
    },
    slowQuery: 'kernel',
    async prepare() {
      await locker.connect();
    },
    async hold() {
      await locker.query('BEGIN');
      await locker.query(`LOCK TABLE ${new URL(schema!.url).searchParams.get('schema')}.entries`);
      holding = true;
    },
    async release() {
      if (holding) await locker.query('COMMIT');
      holding = false;
    },
    async done() {
      await locker.end();
      await schema!.drop();
    },
  };
}

for (const slow of [sqliteSlow(), postgresSlow()]) {
  describe(`${slow.name}: searches cannot starve the site`, { skip: slow.skip }, () => {
    const servers: { base: string; close: () => Promise<void>; server: http.Server }[] = [];
    const stores: Store[] = [];
    /** A server on a store with these limits. */
    async function site(limits: Partial<SearchLimits>) {
      const store = await slow.open(limits);
      stores.push(store);
      const server = createServer({ store, site: SITE, now: () => NOW, onError: () => {} });
      const listening = { ...(await listen(server)), server };
      servers.push(listening);
      return listening;
    }

    before(async () => {
      const store = await slow.open({});
      stores.push(store);
      await withPosts(store, [post('k', 'Kernel news', { content_text: 'The scheduler grew a knob.' })], {
        url: 'https://lwn.example.net/rss',
      });
      await slow.prepare();
    });
    after(async () => {
      await slow.release();
      for (const s of servers) await s.close();
      for (const s of stores) await s.close();
      await slow.done();
    });

    test('while a slow search runs, pages and /healthz answer and a search past the bound gets 503 + Retry-After', async () => {
      const { base, server } = await site({ concurrency: 1, queue: 0, timeLimitMs: 30_000 });
      await slow.hold();
      const slowUrl = `/search?q=${encodeURIComponent(slow.slowQuery)}`;
      // The server has taken the slow search in hand (its own listener runs first).
      const arrived = new Promise<void>((resolve) =>
        server.on('request', (req: http.IncomingMessage) => req.url === slowUrl && resolve()),
      );
      let slowAnswered = false;
      const slowReply = request(base + slowUrl).then((reply) => {
        slowAnswered = true;
        return reply;
      });
      await arrived;

      const health = await request(`${base}/healthz`);
      assert.equal(health.status, 200, health.text);
      if (slow.name === 'sqlite') {
        assert.equal((await request(`${base}/sources`)).status, 200);
        assert.equal((await request(`${base}/`)).status, 200);
      }
      const busy = await search(base, 'scheduler');
      assert.equal(busy.status, 503);
      assert.equal(busy.headers['retry-after'], '30');
      assert.equal(busy.headers['cache-control'], 'no-store');
      assert.equal(
        notice(busy),
        'Too many searches are running right now. Please try again in a few seconds.',
      );
      assert.equal(slowAnswered, false, 'all this while the slow search was still running');

      await slow.release();
      const done = await slowReply;
      assert.equal(done.status, 200);
      assert.match(mainOf(done.text), /class="post-title"/);
      const again = await search(base, 'scheduler');
      assert.equal(again.status, 200, 'the refusal was not cached');
      assert.deepEqual(textOfClass(mainOf(again.text), 'post-title'), ['Kernel news']);
    });

    test('a search past the time limit is a 503 page saying so, and is not cached', async () => {
      const { base } = await site({ concurrency: 1, queue: 4, timeLimitMs: 200 });
      await slow.hold();
      const reply = await search(base, slow.slowQuery);
      assert.equal(reply.status, 503);
      assert.equal(reply.headers['cache-control'], 'no-store');
      assert.equal(reply.headers['retry-after'], undefined);
      assert.match(
        notice(reply) ?? '',
        /^This search took longer than 0\.2 s and was stopped\. More specific words help/,
      );
      assert.match(
        reply.text,
        /<input type="search" id="q" name="q" value="[^"]+"/,
        'the form keeps the query',
      );
    });
  });
}
