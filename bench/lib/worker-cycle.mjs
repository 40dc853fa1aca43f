// Scale-out cycle time (issue 5): for each worker count W, W `tributary worker` processes (the built CLI)
// share one fresh PostgreSQL schema and fetch SOURCES small feeds from a loopback server in this process.
// The cycle runs from the workers' spawn (so it includes their start-up and config sync) until every feed
// has been requested and every source's fetch committed (`last_fetch_at` set).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  backendCpu,
  cpuSeconds,
  exitText,
  isRunning,
  killAll,
  runCli,
  startCli,
  waitExit,
} from './processes.mjs';

const SOURCES = 2_000;
/** Per worker, as in the scale test; per-host equal to it because every feed sits on 127.0.0.1. */
const CONCURRENCY = 8;
const ITEMS_PER_FEED = 4;
const CYCLE_LIMIT_MS = 120_000;
const MIGRATE_LIMIT_MS = 30_000;
const EXIT_LIMIT_MS = 20_000;
const POLL_MS = 100;
const CPU_SAMPLE_MS = 500;

function rss(i) {
  const items = Array.from({ length: ITEMS_PER_FEED }, (_, k) => {
    const url = `https://site${i}.example/posts/${k}`;
    const date = new Date(Date.UTC(2024, 5, 1) - (k * SOURCES + i) * 60_000).toUTCString();
    return `<item><title>Site ${i} post ${k}</title><link>${url}</link><guid>${url}</guid><pubDate>${date}</pubDate><description>&lt;p&gt;Post ${k} of site ${i}.&lt;/p&gt;</description></item>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Site ${i}</title><link>https://site${i}.example/</link><description>Generated feed ${i}</description>${items.join('')}</channel></rss>`;
}

/** Serves feed i at /feeds/i.xml and counts requests per path. */
async function startFeedServer() {
  const bodies = Array.from({ length: SOURCES }, (_, i) => rss(i));
  const hits = new Map();
  const server = createServer((req, res) => {
    hits.set(req.url, (hits.get(req.url) ?? 0) + 1);
    const i = /^\/feeds\/(\d+)\.xml$/.exec(req.url ?? '')?.[1];
    const body = i === undefined ? undefined : bodies[Number(i)];
    if (body === undefined) res.writeHead(404).end('not found');
    else res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    urls: bodies.map((_, i) => `${origin}/feeds/${i}.xml`),
    hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Busy and total CPU time over all cores so far (ms), to tell how saturated the machine was. */
function cpuTimes() {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    const all = times.user + times.nice + times.sys + times.irq + times.idle;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

/** One cycle with `count` workers in its own schema, dropped at the end however the cycle ends. */
async function cycle(count, { admin, postgresUrl, feeds, config, interrupted }) {
  const schema = `tributary_bench_workers_${process.pid}_${count}`;
  const url = new URL(postgresUrl);
  url.searchParams.set('schema', schema);
  const db = ['--config', config, '--database', url.href];
  feeds.hits.clear();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await runCli('migrate', [...db, 'migrate'], MIGRATE_LIMIT_MS);

    const appName = `tributary_bench_${process.pid}_${count}`;
    const postgresCpu = backendCpu(admin, appName);
    const cpuBefore = cpuTimes();
    const started = performance.now();
    const workers = Array.from({ length: count }, (_, n) =>
      startCli(`worker ${n}`, [...db, 'worker'], { PGAPPNAME: appName }),
    );
    let sampledAt = started;
    let firstRequestMs;
    let committed = 0;
    for (;;) {
      if (interrupted()) throw new Error('interrupted');
      const early = workers.find((w) => !isRunning(w));
      if (early) throw new Error(`${early.name} exited before the cycle ended: ${early.stderr()}`);
      if (firstRequestMs === undefined && feeds.hits.size > 0) firstRequestMs = performance.now() - started;
      if (performance.now() - sampledAt >= CPU_SAMPLE_MS) {
        sampledAt = performance.now();
        await postgresCpu.sample();
      }
      // Commits are counted only once every feed has been asked for: until then the count cannot be complete.
      if (feeds.hits.size >= SOURCES) {
        const { rows } = await admin.query(
          `SELECT count(*) FILTER (WHERE last_fetch_at IS NOT NULL) AS n FROM ${schema}.sources`,
        );
        committed = Number(rows[0].n);
        if (committed >= SOURCES) break;
      }
      if (performance.now() - started > CYCLE_LIMIT_MS) {
        throw new Error(
          `${count} workers: after ${CYCLE_LIMIT_MS / 1000} s, ${feeds.hits.size} of ${SOURCES} feeds requested, ${committed} committed`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const cycleMs = performance.now() - started;
    const cpuAfter = cpuTimes();
    await postgresCpu.sample();
    const perWorkerCpu = workers.map((w) => cpuSeconds(w.child.pid));
    const workerCpu = perWorkerCpu.includes(undefined) ? undefined : perWorkerCpu.reduce((a, b) => a + b);

    for (const w of workers) w.child.kill('SIGTERM');
    for (const w of workers) {
      const exit = await waitExit(w, EXIT_LIMIT_MS);
      if (exit.code !== 0) throw new Error(`${w.name} exited ${exitText(exit)} on SIGTERM: ${w.stderr()}`);
    }
    const { rows } = await admin.query(
      `SELECT (SELECT count(*) FROM ${schema}.sources) AS sources,
              (SELECT count(*) FROM ${schema}.sources WHERE last_error IS NOT NULL) AS failed,
              (SELECT count(*) FROM ${schema}.entries) AS entries`,
    );
    const { sources, failed, entries } = rows[0];
    if (Number(sources) !== SOURCES || Number(failed) !== 0 || Number(entries) !== SOURCES * ITEMS_PER_FEED) {
      throw new Error(
        `${count} workers stored ${sources} sources (${failed} failed) and ${entries} entries, not ${SOURCES} and ${SOURCES * ITEMS_PER_FEED}`,
      );
    }
    const requests = [...feeds.hits.values()].reduce((a, b) => a + b, 0);
    return {
      workers: count,
      cycleMs,
      firstRequestMs,
      requests,
      workerCpu,
      postgresCpu: postgresCpu.total(),
      cpuBusy: (cpuAfter.busy - cpuBefore.busy) / (cpuAfter.total - cpuBefore.total),
    };
  } finally {
    await killAll();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }
}

/**
 * Cycle time for each worker count in turn, or undefined (with a message) when no PostgreSQL answers at
 * `postgresUrl`. Needs `npm run build` (it runs dist/cli/main.js).
 */
export async function measureWorkerCycles(postgresUrl, workerCounts) {
  const admin = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    console.error(`Worker cycle skipped: no PostgreSQL at ${new URL(postgresUrl).host} (${error.message})`);
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'tributary-bench-workers-'));
  const feeds = await startFeedServer();
  // SIGINT/SIGTERM end the current cycle through its cleanup (workers killed, schema dropped), then exit.
  let signalled;
  const onSignal = (signal) => (signalled = signal);
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    const config = join(dir, 'tributary.yaml');
    writeFileSync(
      config,
      `fetch:\n  concurrency: ${CONCURRENCY}\n  per_host_concurrency: ${CONCURRENCY}\nsources:\n${feeds.urls.map((u) => `  - ${u}`).join('\n')}\n`,
    );
    const results = [];
    for (const count of workerCounts) {
      console.error(`  ${count} worker${count === 1 ? '' : 's'}…`);
      const row = await cycle(count, { admin, postgresUrl, feeds, config, interrupted: () => signalled });
      console.error(`    ${(row.cycleMs / 1000).toFixed(2)} s, ${row.requests} requests`);
      results.push(row);
    }
    return results;
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    await killAll();
    await feeds.close();
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
    if (signalled) process.kill(process.pid, signalled);
  }
}

/** The results as a table, with the core count and what it allows. */
export function formatWorkerCycles(results) {
  const cores = cpus().length;
  const base = results.find((r) => r.workers === 1);
  const seconds = (ms) => (ms / 1000).toFixed(2);
  const cpu = (s) => (s === undefined ? '—' : s.toFixed(1));
  const columns = [
    ['workers', (r) => String(r.workers)],
    ['cycle (s)', (r) => seconds(r.cycleMs)],
    ['sources/s', (r) => (SOURCES / (r.cycleMs / 1000)).toFixed(0)],
    ['speed-up', (r) => (base ? `${(base.cycleMs / r.cycleMs).toFixed(2)}×` : '—')],
    ['start-up (s)', (r) => seconds(r.firstRequestMs)],
    ['fetching (s)', (r) => seconds(r.cycleMs - r.firstRequestMs)],
    ['requests', (r) => String(r.requests)],
    ['worker CPU (s)', (r) => cpu(r.workerCpu)],
    ['PostgreSQL CPU (s)', (r) => cpu(r.postgresCpu)],
    ['machine CPU busy', (r) => `${(r.cpuBusy * 100).toFixed(0)} %`],
  ];
  const row = (cells) => cells.map((cell, i) => cell.padStart(columns[i][0].length + 2)).join('');
  return [
    `\nCycle time: ${SOURCES.toLocaleString('en')} feeds over loopback into one PostgreSQL schema, fetch.concurrency ${CONCURRENCY} per worker`,
    row(columns.map(([label]) => label)),
    ...results.map((r) => row(columns.map(([, value]) => value(r)))),
    '(start-up: spawn to first feed request, i.e. Node start and config sync; fetching: the rest of the cycle)',
    `${cores} CPU cores, shared by the workers, PostgreSQL, the feed server and anything else running.`,
    `On ${cores} cores more than ${cores} workers cannot speed up CPU-bound work: extra workers only overlap waits.`,
  ].join('\n');
}
