/**
 * Scale-out (issue 5): three `tributary worker` processes and one `tributary serve` replica share one
 * PostgreSQL database over 2,000 sources, and one worker is SIGKILLed mid-cycle. Every source must be fetched
 * once — a source the killed worker had claimed at most once more, after its lease ran out — every article
 * stored once, and the river must be what a single SQLite process makes of the same feeds.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { attributionAuthor } from '../../src/publish/attribution.js';
import { openStore, type Source, type Store } from '../../src/store/index.js';
import { type FeedServer, startFeedServer } from '../ingest/feed-server.js';
import { POSTGRES_SKIP, postgresSchema } from '../store/backends.js';
import { expectedRiver, feedPath, feedRoutes, type RiverLine, SOURCES } from './fixtures.js';
import { type CliProcess, CliProcesses, exitText, waitFor } from './processes.js';

const WORKERS = 3;
const CONCURRENCY = 8;
/** What one worker claims at a time (the daemon's `concurrency × 4`): the most a killed worker can hold. */
const CLAIM_BATCH = CONCURRENCY * 4;
/** Long beside a claimed batch's fetch time (well under a second here), short beside the test's budget. */
const LEASE_SECONDS = 10;
const KILL_AT = Math.round(SOURCES * 0.3);
const CYCLE_LIMIT_MS = 75_000;
/** The river's first page (`GET /`) shows this many posts. */
const PAGE_SIZE = 30;

test(`${WORKERS} workers and a replica on one PostgreSQL, one worker SIGKILLed: ${SOURCES} sources fetched once, stored once`, {
  skip: POSTGRES_SKIP,
  timeout: 150_000,
}, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-scale-'));
  const schema = postgresSchema();
  const cli = new CliProcesses({ TRIBUTARY_ALLOW_PRIVATE_NETWORKS: '1', TRIBUTARY_LOG_LEVEL: 'warn' });
  let feeds: FeedServer | undefined;
  let store: Store | undefined;
  try {
    feeds = await startFeedServer(feedRoutes());
    const config = join(dir, 'tributary.yaml');
    const sources = Array.from({ length: SOURCES }, (_, i) => `  - ${feeds!.url(feedPath(i))}`);
    writeFileSync(
      config,
      `fetch:\n  concurrency: ${CONCURRENCY}\n  per_host_concurrency: ${CONCURRENCY}\nsources:\n${sources.join('\n')}\n`,
    );
    const reference = join(dir, 'reference.db');

    // The single-process run the many-worker one must agree with.
    let started = Date.now();
    await cli.run(
      'refresh (SQLite)',
      ['--config', config, '--database', reference, 'refresh', '--all'],
      60_000,
    );
    const referenceMs = Date.now() - started;
    feeds.hits.clear();

    const pg = ['--config', config, '--database', schema.url];
    await cli.run('migrate', [...pg, 'migrate'], 20_000);
    const replica = await startServe(cli, 'serve (PostgreSQL)', pg);
    started = Date.now();
    const workers = Array.from({ length: WORKERS }, (_, n) =>
      cli.start(`worker ${n}`, [...pg, 'worker'], { TRIBUTARY_LEASE_SECONDS: String(LEASE_SECONDS) }),
    );
    store = await openStore(schema.url);

    let firstRequestMs = 0;
    await waitFor(
      () => {
        if (!firstRequestMs && feeds!.hits.size > 0) firstRequestMs = Date.now() - started;
        return feeds!.hits.size >= KILL_AT;
      },
      started + CYCLE_LIMIT_MS,
      () => `only ${feeds!.hits.size} of ${SOURCES} feeds were requested`,
    );
    // The victim is the worker holding the most claims, so it dies mid-batch whatever each worker's pace.
    const workerId = (worker: CliProcess) => `${hostname()}:${worker.child.pid}`;
    const held = leaseHolders(await store.listSources());
    const claims = (worker: CliProcess) => held.get(workerId(worker))?.size ?? 0;
    const killed = workers.reduce((most, w) => (claims(w) > claims(most) ? w : most));
    const survivors = workers.filter((w) => w !== killed);
    killed.child.kill('SIGKILL');
    const killedAt = Date.now() - started;
    assert.equal((await cli.waitExit(killed, 10_000)).signal, 'SIGKILL');
    // What the dead worker had claimed and not committed: nobody may fetch it until its lease runs out.
    const orphaned = leaseHolders(await store.listSources()).get(workerId(killed)) ?? new Set<string>();

    let fetched: Source[] = [];
    let othersRequestedMs = 0;
    await waitFor(
      async () => {
        if (!othersRequestedMs && feeds!.hits.size >= SOURCES - orphaned.size) {
          othersRequestedMs = Date.now() - started;
        }
        if (feeds!.hits.size < SOURCES) return false;
        fetched = await store!.listSources();
        return fetched.every((s) => s.lastFetchAt !== undefined);
      },
      started + CYCLE_LIMIT_MS,
      () =>
        `${feeds!.hits.size} of ${SOURCES} feeds requested, ${fetched.filter((s) => s.lastFetchAt).length} committed`,
    );
    const cycleMs = Date.now() - started;
    const servedPg = await riverPage(replica.url);

    for (const proc of [...survivors, replica.proc]) proc.child.kill('SIGTERM');
    for (const proc of [...survivors, replica.proc]) {
      const exit = await cli.waitExit(proc, 20_000);
      assert.equal(exit.code, 0, `${proc.name} exited ${exitText(exit)}: ${proc.stderr()}`);
    }

    // Requests: once per source, plus at most one retry of each source the dead worker held.
    const counts = [...feeds.hits.values()];
    const histogram = new Map<number, number>();
    for (const n of counts) histogram.set(n, (histogram.get(n) ?? 0) + 1);
    const twice = [...feeds.hits].filter(([, n]) => n > 1).map(([path]) => path);
    const extras = counts.reduce((a, b) => a + b, 0) - SOURCES;
    t.diagnostic(
      `reference SQLite refresh ${referenceMs} ms; cycle ${cycleMs} ms from the workers' start (first request ` +
        `${firstRequestMs} ms, worker killed at ${killedAt} ms holding ${orphaned.size} leases, all but those ` +
        `requested at ${othersRequestedMs} ms); requests per source ${JSON.stringify(Object.fromEntries(histogram))}; ` +
        `${extras} extra`,
    );
    assert.equal(feeds.hits.size, SOURCES, 'a path no source names was requested');
    assert.ok(orphaned.size > 0, 'the worker was killed holding no claim: nothing tested lease expiry');
    assert.ok(orphaned.size <= CLAIM_BATCH, `the dead worker held ${orphaned.size} leases`);
    assert.ok(Math.max(...counts) <= 2, `a feed was requested ${Math.max(...counts)} times`);
    assert.deepEqual(
      twice.filter((path) => !orphaned.has(path)),
      [],
      'sources no dead worker held were fetched twice',
    );
    assert.ok(extras <= CLAIM_BATCH);
    for (const s of fetched) {
      assert.equal(s.status, 'active', `${s.url}: ${s.lastError}`);
      assert.equal(s.leaseOwner, undefined, `${s.url} still leased`);
    }

    // Storage: each article once, exactly what the feeds say, as the SQLite run stored it.
    const want = expectedRiver();
    const got = await riverLines(store);
    assert.equal((await store.stats()).entries, got.length);
    // Distinct URLs (stricter than distinct url+title: an aggregator's retitled copy is a duplicate too).
    assert.equal(new Set(got.map((e) => e.url)).size, got.length, 'an article is stored twice');
    assert.deepEqual(got, want);
    const referenceStore = await openStore(reference);
    try {
      assert.deepEqual(await riverLines(referenceStore), got);
    } finally {
      await referenceStore.close();
    }

    // The replica served the river a single SQLite process serves.
    const sqliteServe = await startServe(cli, 'serve (SQLite)', [
      '--config',
      config,
      '--database',
      reference,
    ]);
    const servedSqlite = await riverPage(sqliteServe.url);
    sqliteServe.proc.child.kill('SIGTERM');
    assert.equal((await cli.waitExit(sqliteServe.proc, 10_000)).code, 0);
    assert.equal(servedPg.length, PAGE_SIZE);
    assert.deepEqual(servedPg, servedSqlite);
    assert.deepEqual(servedPg, want.slice(0, PAGE_SIZE));
  } finally {
    await cli.killAll();
    await store?.close();
    await feeds?.close();
    await schema.drop();
    rmSync(dir, { recursive: true, force: true });
  }
});

async function startServe(cli: CliProcesses, name: string, args: string[]) {
  const proc = cli.start(name, [...args, 'serve', '--listen', '127.0.0.1:0'], {
    TRIBUTARY_LOG_LEVEL: 'info',
  });
  const [, url] = await cli.waitForStderr(proc, /"url":"(http:[^"]+)"/, 20_000);
  return { proc, url: url! };
}

/** Feed paths by the worker that holds a lease on them. */
function leaseHolders(sources: Source[]): Map<string, Set<string>> {
  const holders = new Map<string, Set<string>>();
  for (const s of sources) {
    if (!s.leaseOwner) continue;
    const paths = holders.get(s.leaseOwner) ?? new Set<string>();
    paths.add(new URL(s.url).pathname);
    holders.set(s.leaseOwner, paths);
  }
  return holders;
}

/** The whole river, paged as the site pages it, as the reader sees each entry. */
async function riverLines(store: Store): Promise<RiverLine[]> {
  const sources = new Map((await store.listSources()).map((s) => [s.id, s]));
  const lines: RiverLine[] = [];
  let page = await store.river({ limit: 500 });
  for (;;) {
    for (const { item, sourceId } of page.entries) {
      lines.push({
        url: item.url ?? '',
        title: item.title ?? '',
        publishedMs: Date.parse(item.date_published ?? ''),
        author: attributionAuthor(item, sources.get(sourceId)),
      });
    }
    if (!page.next) return lines;
    page = await store.river({ limit: 500, before: page.next });
  }
}

/** The posts of the river's first page (`GET /`), read from the HTML. */
async function riverPage(siteUrl: string): Promise<RiverLine[]> {
  const response = await fetch(siteUrl, { signal: AbortSignal.timeout(10_000) });
  assert.equal(response.status, 200);
  const html = await response.text();
  return html
    .split('<article class="post"')
    .slice(1)
    .map((post) => {
      const title = /class="post-title"><a href="([^"]*)">([^<]*)<\/a>/.exec(post);
      const author = /Post Syndicated from (.*?)(?: original <a|<\/p>)/.exec(post);
      const time = /<time datetime="([^"]*)"/.exec(post);
      assert.ok(title && author && time, `unexpected post markup: ${post.slice(0, 400)}`);
      return { url: title[1]!, title: title[2]!, publishedMs: Date.parse(time[1]!), author: author[1]! };
    });
}
