import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import {
  openStore,
  parseSearch,
  SearchBusyError,
  type SearchLimits,
  SearchTimeoutError,
  type TextPart,
} from '../../src/store/index.js';
import { SearchGate } from '../../src/store/search-gate.js';
import { snippet } from '../../src/store/search-snippet.js';
import { SqliteSearcher } from '../../src/store/sqlite/search.js';
import { backends, POSTGRES_URL, postgresSchema, sqlitePath } from './backends.js';
import { bulkPosts, find, post, SLOW_QUERY, titles, withPosts } from './search-helpers.js';

/** Parts as text, the matches in [brackets]. */
const marked = (parts: TextPart[]) => parts.map((p) => (p.match ? `[${p.text}]` : p.text)).join('');

/** A store of `backend` with these search limits, closed (and its schema dropped) when the file ends. */
async function storeWith(backend: 'sqlite' | 'postgres', limits: Partial<SearchLimits>) {
  const schema = backend === 'postgres' ? postgresSchema() : undefined;
  const url = schema?.url ?? `sqlite:${sqlitePath()}`;
  const store = await openStore(url, { search: limits });
  await store.migrate();
  after(async () => {
    await store.close();
    await schema?.drop();
  });
  return { store, url };
}

for (const backend of backends()) {
  describe(`${backend.name}: search`, { skip: backend.skip }, () => {
    test('a phrase matches its words next to each other, in order; plain words anywhere', async () => {
      const store = await backend.open();
      await withPosts(store, [
        post('a', 'Rust', { content_html: '<p>Rust brings memory safety to systems code.</p>' }),
        post('b', 'Habits', { content_html: '<p>Safety and good memory make a pilot.</p>' }),
      ]);
      assert.deepEqual(await titles(store, '"memory safety"'), ['Rust']);
      assert.deepEqual(await titles(store, '"safety memory"'), []);
      assert.deepEqual((await titles(store, 'memory safety')).sort(), ['Habits', 'Rust']);
      await store.close();
    });

    test('a common word ranks its newest matches only, best first among them; no page goes past them', async () => {
      const { store, url } = await storeWith(backend.name, {});
      await withPosts(store, [
        post('old', 'Kernel kernel kernel', { content_text: 'The kernel, the kernel and the kernel.' }),
        ...[1, 2, 3, 4].map((i) => post(`new${i}`, `News ${i}`, { content_text: `The kernel, item ${i}.` })),
      ]);
      const { sources: _, ...terms } = parseSearch('kernel');
      const all = await store.search({ ...terms, limit: 10 });
      assert.equal(all.hits.length, 5);
      assert.equal(all.hits[0]!.entry.item.title, 'Kernel kernel kernel', 'the best match first');
      const newest = all.hits.map((h) => h.entry.id).sort((a, b) => b - a);
      // The same database, read by a store that ranks only the 3 newest matches.
      const capped = await openStore(url, { search: { rankedMatches: 3 } });
      const ranked = await capped.search({ ...terms, limit: 2 });
      assert.ok(ranked.more);
      const next = await capped.search({ ...terms, limit: 2, offset: 2 });
      assert.equal(next.more, false, 'the fourth newest is not ranked');
      assert.deepEqual(
        [...ranked.hits, ...next.hits].map((h) => h.entry.id).sort((a, b) => b - a),
        newest.slice(0, 3),
      );
      await capped.close();
    });

    test('words in half the posts, in one in 25 and in the oldest few alone: the newest 3 matches of each ranked', async () => {
      // 300 posts, oldest first; where a word is in the title too, its post ranks above the others. The
      // oldest match of each word is such a post, but older than its newest 3: a search never shows it.
      const words = (i: number) =>
        [i % 2 === 0 && 'often', i % 25 === 0 && 'seldom', i <= 5 && 'early'].filter((w) => w !== false);
      const matches = (word: string) =>
        Array.from({ length: 300 }, (_, i) => i + 1).filter((i) => words(i).includes(word));
      const inTitle = (i: number) =>
        words(i).filter((word) => {
          const m = matches(word);
          return i === m[0] || i === m[m.length - 2];
        });
      const { store, url } = await storeWith(backend.name, {});
      await withPosts(
        store,
        Array.from({ length: 300 }, (_, n) =>
          post(`p${n + 1}`, `Post ${n + 1} ${inTitle(n + 1).join(' ')}`, {
            content_text: `Number ${n + 1}: ${words(n + 1).join(' ')}.`,
          }),
        ),
      );
      const capped = await openStore(url, { search: { rankedMatches: 3 } });
      for (const word of ['often', 'seldom', 'early']) {
        const { sources: _, ...terms } = parseSearch(word);
        const first = await capped.search({ ...terms, limit: 2 });
        const second = await capped.search({ ...terms, limit: 2, offset: 2 });
        assert.deepEqual([first.more, second.more], [true, false], `${word}: two pages`);
        const m = matches(word);
        const shown = [...first.hits, ...second.hits].map((h) => h.entry.item.id);
        assert.equal(shown[0], `p${m[m.length - 2]}`, `${word}: the best of the newest 3 first`);
        assert.deepEqual(
          shown.sort(),
          m
            .slice(-3)
            .map((i) => `p${i}`)
            .sort(),
          `${word}: the newest 3`,
        );
      }
      await capped.close();
    });

    test('OR takes either word, -word leaves posts out, word* matches the words it begins', async () => {
      const store = await backend.open();
      await withPosts(store, [
        post('a', 'Kernel news', { content_text: 'The scheduler grew a new knob.' }),
        post('b', 'Rust in kernels', { content_text: 'Drivers written in Rust.' }),
        post('c', 'Gardening', { content_text: 'Tomatoes like the sun.' }),
      ]);
      assert.deepEqual((await titles(store, 'scheduler OR tomatoes')).sort(), ['Gardening', 'Kernel news']);
      assert.deepEqual((await titles(store, 'kern*')).sort(), ['Kernel news', 'Rust in kernels']);
      assert.deepEqual(await titles(store, 'kern* -rust'), ['Kernel news']);
      assert.deepEqual(await titles(store, 'kern* -"written in rust"'), ['Kernel news']);
      assert.deepEqual(await titles(store, '(scheduler OR tomatoes) -sun'), ['Kernel news']);
      await store.close();
    });

    test('source ids and tags narrow a search; tags match whatever their case', async () => {
      const store = await backend.open();
      const lwn = await withPosts(
        store,
        [
          post('a', 'Kernel release', { tags: ['Kernel', 'Releases'] }),
          post('b', 'Kernel security', { tags: ['kernel', 'Security'] }),
        ],
        { url: 'https://lwn.example.net/rss' },
      );
      await withPosts(store, [post('c', 'Kernel of truth', { tags: ['Essays'] })]);
      const search = async (request: { sourceIds?: number[]; tags?: string[] }) =>
        (await store.search({ ...parseSearch('kernel'), ...request, limit: 10 })).hits
          .map((h) => h.entry.item.title)
          .sort();
      assert.deepEqual(await search({ sourceIds: [lwn.id] }), ['Kernel release', 'Kernel security']);
      assert.deepEqual(await search({ tags: ['kernel'] }), ['Kernel release', 'Kernel security']);
      assert.deepEqual(await search({ tags: ['kernel', 'security'] }), ['Kernel security']);
      assert.deepEqual(await search({ sourceIds: [lwn.id], tags: ['essays'] }), []);
      assert.deepEqual(await search({ sourceIds: [] }), []);
      await store.close();
    });

    test('best match first; pages of equal matches follow each other without overlap', async () => {
      const store = await backend.open();
      const filler = 'words about other things entirely, '.repeat(20);
      await withPosts(store, [
        post('body', 'A long essay', { content_text: `${filler} and once a zebra. ${filler}` }),
        post('title', 'Zebra crossings', { content_text: 'Where to cross the road.' }),
        ...Array.from({ length: 7 }, (_, i) => post(`same-${i}`, `Note ${i}`, { content_text: 'ostrich' })),
      ]);
      assert.deepEqual(await titles(store, 'zebra'), ['Zebra crossings', 'A long essay']);
      const seen: string[] = [];
      for (let offset = 0; offset < 9; offset += 3) {
        const page = await find(store, 'ostrich', { limit: 3, offset });
        seen.push(...page.hits.map((h) => h.entry.item.title!));
        assert.equal(page.more, offset + 3 < 7, `more after offset ${offset}`);
      }
      assert.equal(seen.length, 7);
      assert.equal(new Set(seen).size, 7, 'no result on two pages');
      await store.close();
    });

    test('titles and excerpts mark what matched (stems, prefixes, phrases) in the stored text', async () => {
      const store = await backend.open();
      const opening = 'Nothing to see in this opening part of a long post. '.repeat(12);
      await withPosts(store, [
        post('a', 'Repairing <b>kernels</b>', {
          content_html: `<p>${opening}</p><p>Rust brings <em>memory safety</em>: 5 &lt; 6 &amp; so on.</p>`,
        }),
      ]);
      let [hit] = (await find(store, 'repair "memory safety"')).hits;
      assert.equal(marked(hit!.title), '[Repairing] <b>kernels</b>');
      assert.match(
        marked(hit!.snippet),
        /^… [\w ]+\. Rust brings \[memory safety\]: 5 < 6 & so on\.$/,
        'around the match, cut at words, entities decoded (the page escapes the text)',
      );
      [hit] = (await find(store, 'kern* memory')).hits;
      assert.equal(marked(hit!.title), 'Repairing <b>[kernels]</b>');
      assert.match(marked(hit!.snippet), /brings \[memory\] safety/);
      await store.close();
    });

    test('too many searches at once: the one past the queue is refused at once, with a time to retry', async () => {
      const { store } = await storeWith(backend.name, { concurrency: 1, queue: 1, timeLimitMs: 4000 });
      await withPosts(store, [post('a', 'Kernel news')]);
      const running = find(store, 'kernel');
      const queued = find(store, 'news');
      await assert.rejects(
        find(store, 'kernel news'),
        (e: unknown) => e instanceof SearchBusyError && e.retryAfterSeconds === 4,
      );
      assert.deepEqual(
        (await Promise.all([running, queued])).map((p) => p.hits.length),
        [1, 1],
        'those in place still run',
      );
      assert.equal((await find(store, 'kernel')).hits.length, 1, 'and the next has room again');
    });
  });
}

test('sqlite: a search past its time limit is stopped; the query itself stops at the next rows it reads', async () => {
  // 1 ms: no search of 100,000 posts (nor a thread's start-up) fits, however idle the machine.
  const { store, url } = await storeWith('sqlite', { concurrency: 1, queue: 1, timeLimitMs: 1 });
  const path = url.slice('sqlite:'.length);
  const source = await withPosts(
    store,
    Array.from({ length: 200 }, (_, i) => post(`p${i}`, `Alpha ${i}`)),
  );
  bulkPosts(path, source.id, 100_000);
  await assert.rejects(
    find(store, SLOW_QUERY),
    (e: unknown) => e instanceof SearchTimeoutError && e.timeLimitMs === 1,
  );
  // better-sqlite3 cannot interrupt a statement: the query checks its deadline itself as it reads rows.
  const searcher = SqliteSearcher.open(path, { timeLimitMs: 300 });
  const alpha = { ...parseSearch('alpha'), limit: 10 };
  assert.throws(() => searcher.run(alpha, Date.now() - 1), SearchTimeoutError);
  assert.equal(searcher.run(alpha, Date.now() + 60_000).hits.length, 10, 'with time left it runs');
  searcher.close();
});

test('postgres: a search past its time limit is cancelled by the server', {
  skip: !POSTGRES_URL,
}, async () => {
  const schema = postgresSchema();
  const store = await openStore(schema.url, { search: { concurrency: 1, queue: 1, timeLimitMs: 300 } });
  await store.migrate();
  const locker = new pg.Client({ connectionString: POSTGRES_URL });
  await locker.connect();
  after(async () => {
    await locker.end();
    await store.close();
    await schema.drop();
  });
  await withPosts(store, [post('a', 'Kernel news')]);
  // A search that cannot even start reading: the table is locked by another session.
  const name = new URL(schema.url).searchParams.get('schema');
  await locker.query('BEGIN');
  await locker.query(`LOCK TABLE ${name}.entries IN ACCESS EXCLUSIVE MODE`);
  await assert.rejects(find(store, 'kernel'), SearchTimeoutError);
  // The server itself cancelled it (statement_timeout): nothing is left waiting for the lock.
  for (let tries = 0; ; tries++) {
    const { rows } = await locker.query<{ waiting: number }>(
      'SELECT count(*)::int AS waiting FROM pg_locks WHERE relation = $1::regclass AND NOT granted',
      [`${name}.entries`],
    );
    if (rows[0]!.waiting === 0) break;
    assert.ok(tries < 100, 'the search still waits for the lock');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await locker.query('COMMIT');
  // Queued behind it if need be, this one gets its place as soon as the server has cancelled the other.
  assert.deepEqual(await titles(store, 'kernel'), ['Kernel news']);
});

test('an excerpt comes from the passage matching the most terms, at most about 240 characters', () => {
  const filler = (n: number) => Array.from({ length: n }, (_, i) => `filler${i}`).join(' ');
  const text = `${filler(40)} rust once. ${filler(60)} here rust and memory safety meet. ${filler(60)}`;
  const parts = snippet(text, parseSearch('rust memory'));
  const shown = marked(parts);
  assert.match(shown, /^… .* here \[rust\] and \[memory\] safety meet\. .* …$/);
  assert.ok(shown.length <= 250, `${shown.length} characters`);
  assert.equal(marked(snippet('short text', parseSearch('nothing'))), 'short text', 'no match: the opening');
  assert.deepEqual(snippet('   ', parseSearch('x1')), []);
});

test('search limits that make no sense are refused, naming the limit and the value', () => {
  assert.throws(
    () => new SearchGate({ rankedMatches: 0 }),
    /ranked matches of a search must be a positive integer, not 0/,
  );
  assert.throws(
    () => new SearchGate({ concurrency: 1.5 }),
    /search concurrency must be a positive integer, not 1.5/,
  );
  assert.doesNotThrow(() => new SearchGate({ rankedMatches: 1 }));
});
