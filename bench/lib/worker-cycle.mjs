// Scale-out cycle time (issue 5): for each worker count W, W `tributary worker` processes (the built CLI)
// share one fresh PostgreSQL schema and fetch SOURCES small feeds from a loopback server in this process.
// The cycle runs from the workers' spawn (so it includes their start-up and config sync) until every feed
// has been requested and every source's fetch committed (`last_fetch_at` set).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const SOURCES = 2_000;
/** Per worker, as in the scale test; per-host equal to it because every feed sits on 127.0.0.1. */
const CONCURRENCY = 8;
const ITEMS_PER_FEED = 4;
const CYCLE_LIMIT_MS = 120_000;
const MIGRATE_LIMIT_MS = 30_000;
const EXIT_LIMIT_MS = 20_000;
const POLL_MS = 100;
const CPU_SAMPLE_MS = 500;
/** Enough of a worker's stderr to explain a failure. */
const KEPT_OUTPUT = 8_192;

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

/** Every spawned CLI process, so that any way out of the bench (error, signal, exit) kills what is left. */
const running = new Set();

function startCli(name, args, env) {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, TRIBUTARY_ALLOW_PRIVATE_NETWORKS: '1', TRIBUTARY_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-KEPT_OUTPUT)));
  const proc = { name, child, stderr: () => stderr };
  proc.exited = new Promise((resolve) => {
    const done = (code, signal) => {
      running.delete(proc);
      resolve({ code, signal });
    };
    child.once('error', (error) => done(null, `spawn error: ${error.message}`));
    child.once('exit', done);
  });
  running.add(proc);
  return proc;
}

/** The process's exit, or an error (after a SIGKILL) once `ms` have passed. */
async function waitExit(proc, ms) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => {
      proc.child.kill('SIGKILL');
      reject(new Error(`${proc.name} did not exit within ${ms} ms: ${proc.stderr()}`));
    }, ms);
  });
  try {
    return await Promise.race([proc.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

const exitText = ({ code, signal }) => (signal ? `on ${signal}` : `with code ${code}`);

async function killAll() {
  const left = [...running];
  for (const proc of left) proc.child.kill('SIGKILL');
  await Promise.all(left.map((proc) => proc.exited));
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

/** CPU seconds a process has used (Linux /proc; undefined elsewhere), to show where the cycle's time goes. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime (fields 14 and 15 of the line, counted from the pid) in clock ticks, 100 per second on Linux.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/**
 * PostgreSQL's CPU spent on the workers' connections (tagged by PGAPPNAME): sampled while they run, since a
 * pooled connection's backend, and its CPU count, goes away when the pool closes it. Undefined without /proc.
 */
function backendCpu(admin, appName) {
  const seen = new Map();
  return {
    async sample() {
      const { rows } = await admin.query('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [
        appName,
      ]);
      for (const { pid } of rows) {
        const used = cpuSeconds(pid);
        if (used !== undefined) seen.set(pid, Math.max(used, seen.get(pid) ?? 0));
        else if (!seen.has(pid)) seen.set(pid, undefined);
      }
    },
    total: () =>
      [...seen.values()].includes(undefined) ? undefined : [...seen.values()].reduce((a, b) => a + b, 0),
  };
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
    const migrate = startCli('migrate', [...db, 'migrate']);
    const migrated = await waitExit(migrate, MIGRATE_LIMIT_MS);
    if (migrated.code !== 0) throw new Error(`migrate exited ${exitText(migrated)}: ${migrate.stderr()}`);

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
      const early = workers.find((w) => !running.has(w));
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
  const lastResort = () => {
    for (const proc of running) proc.child.kill('SIGKILL');
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal).once('exit', lastResort);
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
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal).off('exit', lastResort);
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
