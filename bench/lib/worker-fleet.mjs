// bench:scale's worker cycles: K `tributary worker` processes (the built CLI) on one database poll N virtual
// feeds on a loopback farm (feed-farm.mjs) through three cycles — cold (every feed new), unchanged (every
// answer a 304) and a share changed (one new post each) — and each worker's part of each cycle is measured:
// sources fetched (counted by the farm from the worker's own User-Agent), sources/s, CPU ms per source of the
// worker process and of the PostgreSQL backends serving its connections (/proc), its claims (from its pass
// log lines), and its peak RSS. A feed requested twice in a cycle is a double fetch; the cycle fails if
// the database does not hold what the feeds said.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { loadSettings } from '../../dist/config/config.js';
import { syncSources } from '../../dist/ingest/sync-sources.js';
import { openStore } from '../../dist/store/index.js';
import { startFeedFarm } from './feed-farm.mjs';
import {
  backendCpu,
  cpuSeconds,
  exitText,
  isRunning,
  peakRss,
  runCli,
  startCli,
  waitExit,
} from './processes.mjs';

const POSTS_PER_FEED = 10;
const POLL_MS = 100;
const CPU_SAMPLE_MS = 500;
const START_LIMIT_MS = 60_000;
const EXIT_LIMIT_MS = 30_000;
/** A worker that has nothing left to claim ends its pass within its idle wait (5 s): its log line follows. */
const PASS_LOG_LIMIT_MS = 20_000;

/**
 * Runs the three cycles and returns `{ feeds, workers, changed, cycles: [{ name, wallMs, load, twice,
 * notModified, perWorker: [{ sources, cpuMs, postgresCpuMs, claims, claimed, givenBack, rss }] }] }`.
 * `database` is what `--database` takes; `query(sql)` runs SQL on it (PostgreSQL: in its schema); `admin`
 * (PostgreSQL only) reads pg_stat_activity to find the workers' backends.
 */
export async function measureWorkerFleet({
  database,
  query,
  admin,
  dir,
  feeds,
  workers,
  changed,
  concurrency,
}) {
  const farm = await startFeedFarm(feeds);
  const procs = [];
  try {
    const sourcesYaml = `sources:\n${farm.urls.map((u) => `  - ${u}`).join('\n')}\n`;
    // One config per worker, alike but for the User-Agent, by which the farm tells the workers apart (the
    // sources list, and so its hash, is the same: the list is synced once).
    const configs = Array.from({ length: workers }, (_, k) => {
      const file = join(dir, `worker-${k}.yaml`);
      writeFileSync(
        file,
        `fetch:\n  concurrency: ${concurrency}\n  per_host_concurrency: ${concurrency}\n  user_agent: ${agent(k)}\n${sourcesYaml}`,
      );
      return file;
    });
    await runCli('migrate', ['--config', configs[0], '--database', database, 'migrate'], START_LIMIT_MS);
    const store = await openStore(database);
    try {
      await syncSources(store, loadSettings(configs[0], {}).sources);
    } finally {
      await store.close();
    }
    // Nothing due until every worker is up: a cycle starts for all of them at once.
    await query(`UPDATE sources SET next_fetch_at = ${Date.now() + 86_400_000}`);

    const appName = (k) => `tributary_fleet_${process.pid}_${k}`;
    for (let k = 0; k < workers; k++) {
      const passes = [];
      const proc = startCli(
        `worker ${k}`,
        ['--config', configs[k], '--database', database, 'worker'],
        { PGAPPNAME: appName(k), TRIBUTARY_LOG_LEVEL: 'info' },
        (line) => {
          if (line.includes('"refresh pass done"')) passes.push(JSON.parse(line));
          else if (line.includes('"tributary running"')) proc.ready = true;
        },
      );
      proc.passes = passes;
      proc.postgres = admin && backendCpu(admin, appName(k));
      procs.push(proc);
    }
    await until(
      () => procs.every((p) => p.ready),
      START_LIMIT_MS,
      () => 'the workers did not all start',
      procs,
    );

    const cycles = [];
    for (const [name, share] of [
      ['cold', 0],
      ['unchanged (304)', 0],
      [`${Math.round(changed * 100)} % changed`, changed],
    ]) {
      console.error(`  ${name}…`);
      const changedFeeds = farm.change(share);
      cycles.push(await cycle(name, { farm, procs, query, feeds, changedFeeds }));
      const [{ n }] = await query('SELECT count(*) AS n FROM entries');
      const want = feeds * POSTS_PER_FEED + cycles.reduce((sum, c) => sum + c.changedFeeds, 0);
      if (Number(n) !== want)
        throw new Error(`after the ${name} cycle the store holds ${n} posts, not ${want}`);
    }

    for (const p of procs) p.child.kill('SIGTERM');
    for (const p of procs) {
      const exit = await waitExit(p, EXIT_LIMIT_MS);
      if (exit.code !== 0) throw new Error(`${p.name} exited ${exitText(exit)} on SIGTERM: ${p.stderr()}`);
    }
    return { feeds, workers, changed, concurrency, cycles };
  } finally {
    for (const p of procs) if (isRunning(p)) p.child.kill('SIGKILL');
    await Promise.all(procs.map((p) => p.exited));
    await farm.close();
  }
}

const agent = (k) => `Tributary-bench-worker-${k}`;

/** Polls `done` until it holds, failing after `limitMs` or when a worker has died. */
async function until(done, limitMs, progress, procs) {
  const deadline = performance.now() + limitMs;
  while (!(await done())) {
    const dead = procs.find((p) => !isRunning(p));
    if (dead) throw new Error(`${dead.name} exited: ${dead.stderr()}`);
    if (performance.now() > deadline) throw new Error(`gave up after ${limitMs / 1000} s: ${progress()}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function cycle(name, { farm, procs, query, feeds, changedFeeds }) {
  farm.resetCounts();
  const load = loadavg()[0];
  const sampleBackends = () => Promise.all(procs.map((p) => p.postgres?.sample()));
  await sampleBackends();
  const before = procs.map((p) => ({
    cpu: cpuSeconds(p.child.pid),
    postgres: p.postgres?.total(),
    passes: p.passes.length,
  }));
  const started = Date.now();
  await query(`UPDATE sources SET next_fetch_at = ${started - 1000}`);
  // A generous bound: 25 sources a second, a cold cycle on a busy 2-core machine, is below any figure seen.
  const limitMs = 60_000 + feeds * 40;
  let sampledAt = performance.now();
  let committed = 0;
  await until(
    async () => {
      if (performance.now() - sampledAt >= CPU_SAMPLE_MS) {
        sampledAt = performance.now();
        await sampleBackends();
      }
      // Commits are counted only once every feed has been asked for: until then the count cannot be complete.
      if (farm.requested().feeds < feeds) return false;
      const [{ n }] = await query(`SELECT count(*) AS n FROM sources WHERE last_fetch_at >= ${started}`);
      committed = Number(n);
      return committed >= feeds;
    },
    limitMs,
    () => `${name}: ${farm.requested().feeds} of ${feeds} feeds requested, ${committed} committed`,
    procs,
  );
  const endedAt = performance.now();
  await sampleBackends();
  const after = procs.map((p) => ({ cpu: cpuSeconds(p.child.pid), postgres: p.postgres?.total() }));
  const requested = farm.requested();
  const agents = farm.agents();
  // Each worker's claims, from the pass lines it logs once it finds nothing more to do.
  const passesOf = (p, k) => p.passes.slice(before[k].passes);
  await until(
    () =>
      procs.reduce((sum, p, k) => sum + passesOf(p, k).reduce((s, pass) => s + pass.sources, 0), 0) >= feeds,
    PASS_LOG_LIMIT_MS,
    () => `${name}: the workers' pass lines do not add up to ${feeds} sources`,
    procs,
  );
  const [{ n: failed }] = await query(
    `SELECT count(*) AS n FROM sources WHERE last_fetch_at >= ${started} AND last_error IS NOT NULL`,
  );
  if (Number(failed) > 0) throw new Error(`${name}: ${failed} sources failed`);
  const sum = (passes, key) => passes.reduce((s, pass) => s + (pass[key] ?? 0), 0);
  return {
    name,
    changedFeeds,
    wallMs: endedAt - requested.firstAt,
    load,
    twice: requested.twice,
    notModified: [...agents.values()].reduce((s, a) => s + a.notModified, 0),
    perWorker: procs.map((p, k) => {
      const passes = passesOf(p, k);
      const diff = (a, b) => (a === undefined || b === undefined ? undefined : (a - b) * 1000);
      return {
        sources: agents.get(agent(k))?.requests ?? 0,
        cpuMs: diff(after[k].cpu, before[k].cpu),
        postgresCpuMs: diff(after[k].postgres, before[k].postgres),
        claims: sum(passes, 'claims'),
        claimed: sum(passes, 'claimed'),
        givenBack: sum(passes, 'givenBack'),
        rss: peakRss(p.child.pid),
      };
    }),
  };
}

/** The fleet's figures as text: a row per worker and cycle, a total per cycle, and what an hourly poll costs. */
export function formatWorkerFleet(label, r) {
  const n = (v, digits = 0) =>
    v === undefined || !Number.isFinite(v)
      ? '—'
      : v.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const columns = [
    ['cycle', 18, (c) => c.cycle],
    ['worker', 7, (c) => c.worker],
    ['sources', 9, (c) => n(c.sources)],
    ['sources/s', 10, (c) => n(c.sources / (c.wallMs / 1000))],
    ['CPU ms/source', 14, (c) => n(c.cpuMs / c.sources, 2)],
    ['PG ms/source', 13, (c) => n(c.postgresCpuMs / c.sources, 2)],
    ['claims', 8, (c) => n(c.claims)],
    ['claimed', 9, (c) => n(c.claimed)],
    ['given back', 11, (c) => n(c.givenBack)],
    ['peak RSS', 10, (c) => (c.rss === undefined ? '—' : `${n(c.rss / 2 ** 20)} MiB`)],
  ];
  const line = (cells) => columns.map(([, width], i) => String(cells[i]).padStart(width)).join('');
  const lines = [
    `\n${label}: ${n(r.feeds)} feeds over loopback, ${r.workers} worker${r.workers === 1 ? '' : 's'} (fetch.concurrency ${r.concurrency} each), ${cpus().length} cores`,
    line(columns.map(([title]) => title)),
  ];
  for (const c of r.cycles) {
    const total = (key) => {
      const values = c.perWorker.map((w) => w[key]);
      return values.includes(undefined) ? undefined : values.reduce((a, b) => a + b, 0);
    };
    c.perWorker.forEach((w, k) => {
      lines.push(
        line(columns.map(([, , cell]) => cell({ ...w, cycle: c.name, worker: k, wallMs: c.wallMs }))),
      );
    });
    const all = {
      cycle: c.name,
      worker: 'all',
      wallMs: c.wallMs,
      sources: total('sources'),
      cpuMs: total('cpuMs'),
      postgresCpuMs: total('postgresCpuMs'),
      claims: total('claims'),
      claimed: total('claimed'),
      givenBack: total('givenBack'),
      rss: Math.max(...c.perWorker.map((w) => w.rss ?? 0)) || undefined,
    };
    if (r.workers > 1) lines.push(line(columns.map(([, , cell]) => cell(all))));
    const cpuSecondsHourly = ((all.cpuMs ?? 0) + (all.postgresCpuMs ?? 0)) / 1000;
    lines.push(
      `  ${c.name}: ${n(c.wallMs / 1000, 1)} s from first request to last commit; ${n(c.notModified)} answered 304; ` +
        `${c.twice} fetched twice; load average ${n(c.load, 1)} at its start. Polled hourly: ${n(cpuSecondsHourly, 1)} CPU s ` +
        `an hour = ${n((cpuSecondsHourly / 3600) * 100, 2)} % of one core`,
    );
  }
  return lines.join('\n');
}
