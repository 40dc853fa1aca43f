/** An idle worker keeps asking for due sources. Its wait ends by a timer, and Node's timers may fire a
 * millisecond before `Date.now()` reaches the time they were set for: that must not leave the worker waiting
 * for a wake-up that never comes (an idle SQLite worker has nothing else keeping Node alive, so it exited with
 * code 13 mid-run). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { closeDispatchers, Limiter } from '../../src/fetch/index.js';
import { runDaemon } from '../../src/ingest/daemon.js';
import { openStore } from '../../src/store/index.js';
import { sqlitePath } from '../store/backends.js';
import { type Route, rssFeed, startFeedServer, testIngestDeps } from './feed-server.js';

test('an idle worker claims again when its wait timer fires, whatever the wall clock says', async (t) => {
  const routes = new Map<string, Route>([['/late.xml', { body: rssFeed('late', 1) }]]);
  const feeds = await startFeedServer(routes);
  const store = await openStore(sqlitePath());
  const stop = new AbortController();
  const deadline = setTimeout(() => stop.abort(), 20_000);
  try {
    await store.migrate();
    // The wall clock stands still: every wait ends (by its timer) "before" the time it was set for.
    const frozen = Date.now();
    t.mock.method(Date, 'now', () => frozen);
    const deps = { ...testIngestDeps(store), log: pino({ level: 'silent' }), limiter: new Limiter(1, 1) };
    const daemon = runDaemon(deps, { concurrency: 1, signal: stop.signal, workerId: 'idle', idleMs: 20 });
    await sleep(200); // idle: nothing was due, several waits over
    await store.addSource({ url: feeds.url('/late.xml') });
    for (let i = 0; i < 400 && feeds.hits.size === 0; i++) await sleep(25);
    stop.abort();
    await daemon;
    assert.equal(feeds.hits.size, 1, 'the source added while the worker was idle was fetched');
  } finally {
    clearTimeout(deadline);
    await store.close();
    await feeds.close();
    await closeDispatchers();
  }
});
