/**
 * A slow host must not hold up the others (issue 12, item 1). 30 sources on a tarpit (a loopback server that
 * accepts connections and never answers) and 10 on a host that answers at once, in one refresh pass with the
 * default limits (16 fetches in flight, 2 per host): the fast host's sources are all fetched and stored while
 * the tarpit holds its first two connections, before any of them times out.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Limiter } from '../../src/fetch/index.js';
import { refreshAll } from '../../src/ingest/refresh-all.js';
import { openStore, type Source } from '../../src/store/index.js';
import { rssFeed, startFeedServer, testIngestDeps } from '../ingest/feed-server.js';
import { sqlitePath } from '../store/backends.js';
import { startTarpit } from './tarpit.js';

const SLOW = 30;
const FAST = 10;
const CONCURRENCY = 16;
const PER_HOST = 2;

/** The pass's order: the tarpit's sources first, or one fast source after every three slow ones. */
const orders: Record<string, (slow: string[], fast: string[]) => string[]> = {
  'slow sources listed first': (slow, fast) => [...slow, ...fast],
  'a mixed pass': (slow, fast) => slow.flatMap((url, i) => (i % 3 === 2 ? [url, fast[(i - 2) / 3]!] : [url])),
};

for (const [name, order] of Object.entries(orders)) {
  test(`${name}: the fast host is done before the tarpit's first timeout`, { timeout: 30_000 }, async () => {
    const tarpit = await startTarpit();
    const fast = await startFeedServer(
      new Map(Array.from({ length: FAST }, (_, i) => [`/fast/${i}.xml`, { body: rssFeed(`fast${i}`, 2) }])),
    );
    const store = await openStore(sqlitePath());
    const stop = new AbortController();
    try {
      await store.migrate();
      // Two hosts to the limiter, both on 127.0.0.1: the tarpit by address, the fast server by name.
      const fastPort = new URL(fast.url('/')).port;
      const urls = order(
        Array.from({ length: SLOW }, (_, i) => `http://127.0.0.1:${tarpit.port}/slow/${i}.xml`),
        Array.from({ length: FAST }, (_, i) => `http://localhost:${fastPort}/fast/${i}.xml`),
      );
      assert.equal(new Set(urls).size, SLOW + FAST);
      for (const url of urls) await store.addSource({ url });
      const deps = {
        ...testIngestDeps(store),
        fetchPolicy: { allowPrivateNetworks: true, timeoutMs: 5_000 },
        limiter: new Limiter(CONCURRENCY, PER_HOST),
      };
      // What happened, in order: each connection the tarpit accepted, each source the pass finished.
      const events: string[] = [];
      tarpit.onConnection = () => events.push('tarpit connection');
      const isFast = (s: Source) => s.url.includes('/fast/');
      let fastDone = 0;
      await refreshAll(deps, await store.listSources(), {
        concurrency: CONCURRENCY,
        signal: stop.signal,
        inFlightSignal: stop.signal,
        onProgress: (_done, _total, r) => {
          events.push(isFast(r.source) ? `fast ${r.outcome}` : `slow ${r.outcome}`);
          // The test is decided either way: the fast host is done, or a tarpit fetch timed out first.
          if (!isFast(r.source) || ++fastDone === FAST) stop.abort();
        },
      });
      const firstSlow = events.findIndex((e) => e.startsWith('slow'));
      const beforeTimeout = firstSlow === -1 ? events : events.slice(0, firstSlow);
      assert.equal(
        beforeTimeout.filter((e) => e === 'fast ok').length,
        FAST,
        `the fast host waited for the tarpit: ${events.join(', ')}`,
      );
      assert.equal(
        beforeTimeout.filter((e) => e === 'tarpit connection').length,
        PER_HOST,
        'the tarpit was sent more than per_host_concurrency requests at once',
      );
      assert.deepEqual([...fast.hits.values()], Array(FAST).fill(1), 'a fast source was fetched twice');
    } finally {
      stop.abort();
      await store.close();
      await tarpit.close();
      await fast.close();
    }
  });
}
