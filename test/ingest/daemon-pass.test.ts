/** The daemon's pass summary (the `refresh pass done` log line) says what the pass's claims came to: how
 * many claim queries it took and how many sources they brought, which bench:scale prints per worker. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { closeDispatchers, Limiter } from '../../src/fetch/index.js';
import { runDaemon } from '../../src/ingest/daemon.js';
import { openStore } from '../../src/store/index.js';
import { sqlitePath } from '../store/backends.js';
import { type Route, rssFeed, startFeedServer, testIngestDeps } from './feed-server.js';

const FEEDS = 6;

test("a pass's log line counts its claims: one fetch slot claims 4 at a time, so 6 sources take 2", async () => {
  const routes = new Map<string, Route>();
  for (let i = 0; i < FEEDS; i++) routes.set(`/feed${i}.xml`, { body: rssFeed(`site${i}`, 2) });
  const feeds = await startFeedServer(routes);
  const store = await openStore(sqlitePath());
  const stop = new AbortController();
  const passes: Record<string, unknown>[] = [];
  try {
    await store.migrate();
    for (const path of routes.keys()) await store.addSource({ url: feeds.url(path) });
    const log = pino(
      { level: 'info', base: undefined },
      {
        write(line: string) {
          const entry = JSON.parse(line) as Record<string, unknown>;
          if (entry.msg !== 'refresh pass done') return;
          passes.push(entry);
          stop.abort();
        },
      },
    );
    const deps = { ...testIngestDeps(store), log, limiter: new Limiter(1, 1) };
    const deadline = setTimeout(() => stop.abort(), 30_000);
    await runDaemon(deps, { concurrency: 1, signal: stop.signal, workerId: 'test', idleMs: 50 });
    clearTimeout(deadline);

    assert.equal(passes.length, 1, 'one pass, ended when nothing more was due');
    assert.equal(feeds.hits.size, FEEDS);
    assert.deepEqual(
      [passes[0]!.sources, passes[0]!.ok, passes[0]!.claims, passes[0]!.claimed, passes[0]!.givenBack],
      [FEEDS, FEEDS, 2, FEEDS, 0],
    );
  } finally {
    await store.close();
    await feeds.close();
    await closeDispatchers();
  }
});
