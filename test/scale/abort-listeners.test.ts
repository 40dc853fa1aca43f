/**
 * A worker's pass over many sources on one host must not warn `MaxListenersExceededWarning … abort
 * listeners` (issue 12, item 11): fetches waiting for a busy host each added a listener to one signal that
 * every fetch of the process shared.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../../src/store/index.js';
import type { FeedServer } from '../ingest/feed-server.js';
import { CliProcesses, exitText, waitFor } from './processes.js';
import { startSlowFeeds } from './slow-feeds.js';

const SOURCES = 60;

test(`a worker over ${SOURCES} sources on one host prints no MaxListenersExceededWarning`, {
  timeout: 90_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-listeners-'));
  const cli = new CliProcesses({ TRIBUTARY_ALLOW_PRIVATE_NETWORKS: '1', TRIBUTARY_LOG_LEVEL: 'warn' });
  let feeds: FeedServer | undefined;
  try {
    let config: string;
    ({ feeds, config } = await startSlowFeeds(dir, { count: SOURCES, items: 1, delayMs: 50 }));
    const database = join(dir, 'tributary.db');
    // The defaults: 16 fetches in flight, 2 per host, so most wait for the host.
    const worker = cli.start('worker', ['--config', config, '--database', database, 'worker']);
    const started = Date.now();
    await waitFor(
      () => feeds!.hits.size === SOURCES,
      started + 60_000,
      () => `${feeds!.hits.size} of ${SOURCES} feeds requested`,
    );
    await waitFor(
      async () => {
        const store = await openStore(database, { create: false });
        try {
          return (await store.listSources()).every((s) => s.lastFetchAt !== undefined);
        } finally {
          await store.close();
        }
      },
      started + 60_000,
      () => 'not every fetch was committed',
    );
    worker.child.kill('SIGTERM');
    const exit = await cli.waitExit(worker, 20_000);
    assert.equal(exit.code, 0, `the worker exited ${exitText(exit)}: ${worker.stderr()}`);
    assert.doesNotMatch(worker.stderr(), /MaxListenersExceededWarning/);
  } finally {
    await cli.killAll();
    await feeds?.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
