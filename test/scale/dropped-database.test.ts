/**
 * A dropped database connection must not kill a worker (issue 12, item 3). Two workers, a `run` and a
 * `serve` replica reach PostgreSQL through a loopback proxy that cuts every connection twice mid-cycle: every
 * process lives on and says so in its log, every source is fetched once and committed once, and the
 * replica serves the river again.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore, type Store } from '../../src/store/index.js';
import type { FeedServer } from '../ingest/feed-server.js';
import { POSTGRES_SKIP, postgresSchema } from '../store/backends.js';
import { type CliProcess, CliProcesses, delay, exitText, waitFor } from './processes.js';
import { startSlowFeeds } from './slow-feeds.js';
import { proxyDatabase, type TcpProxy } from './tcp-proxy.js';

const SOURCES = 300;
const ITEMS = 2;
const RESPONSE_MS = 30;
/** The share of feeds requested when each cut comes. */
const CUTS = [0.25, 0.6];

test('connections to PostgreSQL cut twice mid-cycle: workers, run and serve carry on, nothing done twice', {
  skip: POSTGRES_SKIP,
  timeout: 150_000,
}, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-dropped-'));
  const schema = postgresSchema();
  const cli = new CliProcesses({ TRIBUTARY_ALLOW_PRIVATE_NETWORKS: '1', TRIBUTARY_LOG_LEVEL: 'warn' });
  let feeds: FeedServer | undefined;
  let proxy: TcpProxy | undefined;
  let store: Store | undefined;
  try {
    let config: string;
    ({ feeds, config } = await startSlowFeeds(dir, {
      count: SOURCES,
      items: ITEMS,
      delayMs: RESPONSE_MS,
      fetch: '  per_host_concurrency: 4',
    }));
    let proxied: string;
    ({ proxy, url: proxied } = await proxyDatabase(schema.url));
    const pg = ['--config', config, '--database', proxied];
    await cli.run('migrate', [...pg, 'migrate'], 20_000);
    const env = { TRIBUTARY_LEASE_SECONDS: '5' };
    const processes: CliProcess[] = [
      cli.start('worker 0', [...pg, 'worker'], env),
      cli.start('worker 1', [...pg, 'worker'], env),
      cli.start('run', [...pg, 'run', '--listen', '127.0.0.1:0'], { ...env, TRIBUTARY_LOG_LEVEL: 'info' }),
      cli.start('serve', [...pg, 'serve', '--listen', '127.0.0.1:0'], { TRIBUTARY_LOG_LEVEL: 'info' }),
    ];
    const [, , , serve] = processes as [CliProcess, CliProcess, CliProcess, CliProcess];
    const [, site] = await cli.waitForStderr(serve, /"url":"(http:[^"]+)"/, 20_000);
    store = await openStore(schema.url);

    const requested = () => feeds!.hits.size;
    /** Fails the wait at once when a process died, with what it said. */
    const alive = () => {
      const dead = processes.find((proc) => proc.child.exitCode !== null || proc.child.signalCode !== null);
      if (dead) throw new Error(`${dead.name} died: ${dead.stderr()}`);
      return true;
    };
    const started = Date.now();
    const cutAt: number[] = [];
    for (const share of CUTS) {
      await waitFor(
        () => alive() && requested() >= SOURCES * share,
        started + 60_000,
        () => `${requested()} of ${SOURCES} feeds requested`,
      );
      cutAt.push(proxy.cutAll());
      // The replica's pool had idle connections: the cut reached it too.
      await delay(200);
    }
    await waitFor(
      async () =>
        alive() && (await store!.listSources()).filter((s) => s.lastFetchAt !== undefined).length === SOURCES,
      started + 90_000,
      () => `${requested()} of ${SOURCES} feeds requested`,
    );

    for (const proc of processes)
      assert.equal(proc.child.exitCode, null, `${proc.name} died: ${proc.stderr()}`);
    assert.ok(
      cutAt.every((n) => n > 0),
      `a cut found no connection to cut: ${cutAt}`,
    );
    for (const proc of processes) t.diagnostic(`${proc.name}: ${JSON.stringify(warnings(proc.stderr()))}`);
    const workers = processes.slice(0, 3);
    for (const proc of workers)
      assert.match(proc.stderr(), /"level":40,.*database/, `${proc.name} logged no JSON line about the cut`);
    const page = await waitForPage(site!);
    assert.match(page, /site\d+ post 0/);

    const twice = [...feeds.hits].filter(([, n]) => n > 1).map(([path]) => path);
    assert.deepEqual(twice, [], `${twice.length} sources were fetched more than once`);
    const commits = await store.fetchLog(new Date(started - 60_000));
    assert.equal(commits.length, SOURCES, 'a source was committed twice, or not at all');
    assert.equal((await store.stats()).entries, SOURCES * ITEMS);

    for (const proc of processes) proc.child.kill('SIGTERM');
    for (const proc of processes) {
      const exit = await cli.waitExit(proc, 20_000);
      assert.equal(exit.code, 0, `${proc.name} exited ${exitText(exit)}: ${proc.stderr()}`);
    }
  } finally {
    await cli.killAll();
    await store?.close();
    await proxy?.close();
    await feeds?.close();
    await schema.drop();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The replica's front page, once it answers 200 again (the first request after a cut may fail). */
async function waitForPage(site: string): Promise<string> {
  let last = '';
  for (let attempt = 0; attempt < 20; attempt++) {
    const response = await fetch(site, { signal: AbortSignal.timeout(10_000) });
    if (response.status === 200) return response.text();
    last = `${response.status} ${await response.text()}`;
    await delay(250);
  }
  throw new Error(`the replica never served the river again: ${last}`);
}

/** How many times each warning was logged (JSON lines at level 40). */
function warnings(stderr: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of stderr.split('\n')) {
    if (!line.startsWith('{"level":40')) continue;
    const { msg } = JSON.parse(line) as { msg: string };
    counts[msg] = (counts[msg] ?? 0) + 1;
  }
  return counts;
}
