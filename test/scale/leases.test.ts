/**
 * Leases must outlast the work they cover (issue 12, item 2). Three workers, 192 sources on one host that
 * takes 250 ms per response, 2 fetches per host per worker and a 5 s lease: the old batch of 64 claims took
 * 64 / 2 × 250 ms = 8 s to get through, 1.6 times the lease (the report's 1 s responses and 20 s lease,
 * scaled down), so another worker took sources whose lease had run out mid-batch and fetched them again.
 * Every source must be fetched, and committed, exactly once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore, type Store } from '../../src/store/index.js';
import type { FeedServer } from '../ingest/feed-server.js';
import { POSTGRES_SKIP, postgresSchema } from '../store/backends.js';
import { CliProcesses, exitText, waitFor } from './processes.js';
import { startSlowFeeds } from './slow-feeds.js';

const SOURCES = 192;
const WORKERS = 3;
const RESPONSE_MS = 250;
const LEASE_SECONDS = 5;
const ITEMS = 2;

test(`${WORKERS} workers, ${SOURCES} sources on one slow host, a lease shorter than a claimed batch: each source fetched once`, {
  skip: POSTGRES_SKIP,
  timeout: 120_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-leases-'));
  const schema = postgresSchema();
  const cli = new CliProcesses({ TRIBUTARY_ALLOW_PRIVATE_NETWORKS: '1', TRIBUTARY_LOG_LEVEL: 'warn' });
  let feeds: FeedServer | undefined;
  let store: Store | undefined;
  try {
    // The defaults (16 in flight, 2 per host): every source is on 127.0.0.1.
    let config: string;
    ({ feeds, config } = await startSlowFeeds(dir, { count: SOURCES, items: ITEMS, delayMs: RESPONSE_MS }));
    const pg = ['--config', config, '--database', schema.url];
    await cli.run('migrate', [...pg, 'migrate'], 20_000);
    const workers = Array.from({ length: WORKERS }, (_, n) =>
      cli.start(`worker ${n}`, [...pg, 'worker'], { TRIBUTARY_LEASE_SECONDS: String(LEASE_SECONDS) }),
    );
    store = await openStore(schema.url);
    const started = Date.now();
    await waitFor(
      async () => {
        const fetched = (await store!.listSources()).filter((s) => s.lastFetchAt !== undefined);
        return fetched.length === SOURCES;
      },
      started + 90_000,
      () => `${feeds!.hits.size} of ${SOURCES} feeds requested`,
    );
    for (const worker of workers) worker.child.kill('SIGTERM');
    for (const worker of workers) {
      const exit = await cli.waitExit(worker, 20_000);
      assert.equal(exit.code, 0, `${worker.name} exited ${exitText(exit)}: ${worker.stderr()}`);
    }

    const twice = [...feeds.hits].filter(([, n]) => n > 1).map(([path]) => path);
    assert.deepEqual(twice, [], `${twice.length} sources were fetched more than once`);
    assert.equal(feeds.hits.size, SOURCES);
    // One fetch-log row per commit: a source committed twice has two.
    const commits = await store.fetchLog(new Date(started - 60_000));
    assert.equal(commits.length, SOURCES, 'a source was committed twice');
    assert.equal((await store.stats()).entries, SOURCES * ITEMS);
  } finally {
    await cli.killAll();
    await store?.close();
    await feeds?.close();
    await schema.drop();
    rmSync(dir, { recursive: true, force: true });
  }
});
