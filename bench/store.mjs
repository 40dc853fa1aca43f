// Store speed, SQLite and PostgreSQL side by side: ingest (entries/s through commitFetch, one feed of
// --batch items per transaction, one worker), then at each size the first river page and two searches
// (median of 15 after 3 warm-ups). Entries are generated: 64 words of a 4,096-word vocabulary each, so a
// word is in ~1.5% of entries ("common") and a pair of words in ~0.02% ("rare"). Then the scale-out cycle
// time: 2,000 loopback feeds fetched by 1, 2 and 4 `tributary worker` processes on one PostgreSQL schema
// (bench/lib/worker-cycle.mjs).
// Usage: npm run build && node bench/store.mjs [--sizes 10000,30000] [--batch 100] [--budget-seconds 45]
//   [--backends sqlite,postgres] [--workers 1,2] [--phase all|store|workers]
// The defaults finish in about two minutes on a 2-core machine; the figures in README.md (a million posts)
// come from --sizes 100000,1000000 --budget-seconds 3600 (an hour or more).
// PostgreSQL: TRIBUTARY_TEST_POSTGRES_URL (default postgres://root@127.0.0.1:5432/test), in a fresh schema
// dropped at the end; skipped with a message when no server answers. --budget-seconds bounds each backend's
// ingest: a size not reached in time is reported as such. Ctrl-C (SIGINT) or SIGTERM stops the bench where it
// is, removing its temporary folder and dropping its schema first.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore } from '../dist/store/index.js';
import { formatWorkerCycles, measureWorkerCycles } from './lib/worker-cycle.mjs';

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}
const sizes = option('sizes', '10000,30000').split(',').map(Number);
const batch = Number(option('batch', '100'));
const budgetMs = Number(option('budget-seconds', '45')) * 1000;
const chosen = option('backends', 'sqlite,postgres').split(',');
const workerCounts = option('workers', '1,2').split(',').map(Number);
const phase = option('phase', 'all');
if (!sizes.every((n) => Number.isInteger(n) && n > 0 && n <= 5_000_000) || !(batch >= 1 && batch <= 5000)) {
  throw new Error('--sizes wants integers up to 5,000,000 and --batch 1–5000');
}
if (!workerCounts.every((n) => Number.isInteger(n) && n >= 1 && n <= 16)) {
  throw new Error('--workers wants worker counts from 1 to 16, e.g. 1,2,4');
}
if (!['all', 'store', 'workers'].includes(phase)) throw new Error('--phase wants all, store or workers');
const postgresUrl = process.env.TRIBUTARY_TEST_POSTGRES_URL ?? 'postgres://root@127.0.0.1:5432/test';

const SOURCES = 1000;
const WORDS_PER_ENTRY = 64;
const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ne',
  'ru',
  'sa',
  'ti',
  'vo',
  'be',
  'da',
  'fu',
  'go',
  'hi',
  'je',
  'pu',
  'zo',
];
// 4,096 distinct three-syllable words; an x ending keeps the English stemmer from folding any two.
const VOCABULARY = Array.from(
  { length: 4096 },
  (_, i) => `${SYLLABLES[i & 15]}${SYLLABLES[(i >> 4) & 15]}${SYLLABLES[(i >> 8) & 15]}x`,
);
const COMMON = VOCABULARY[7];
const RARE = `${VOCABULARY[11]} ${VOCABULARY[12]}`;
const NOW = Date.parse('2025-01-01T00:00:00Z');

/** mulberry32: the same entries on every run and for both backends. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function items(first, count, next) {
  return Array.from({ length: count }, (_, i) => {
    const n = first + i;
    const words = Array.from({ length: WORDS_PER_ENTRY }, () => VOCABULARY[(next() * 4096) | 0]);
    const url = `https://site${n % SOURCES}.example.org/posts/${n}`;
    return {
      id: url,
      url,
      title: words.slice(0, 5).join(' '),
      content_html: `<p>${words.slice(0, 32).join(' ')}</p><p>${words.slice(32).join(' ')}</p>`,
      date_published: new Date(NOW - Math.floor(next() * 3 * 365 * 86_400_000)).toISOString(),
    };
  });
}

// SIGINT/SIGTERM during the store phase: the ingest stops at its next commit, each backend's `finally` removes
// what it made, then the bench exits by the signal. (The worker phase has its own handling.)
let signalled;
const onSignal = (signal) => (signalled = signal);
function stopIfSignalled() {
  if (signalled) throw new Error(`stopped by ${signalled}`);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function latencyMs(run) {
  const times = [];
  for (let i = 0; i < 18; i++) {
    stopIfSignalled();
    const start = performance.now();
    await run();
    if (i >= 3) times.push(performance.now() - start);
  }
  return median(times);
}

/** Ingests up to each size in turn and measures there; stops early when the budget runs out. */
async function measure(store, sizeOf) {
  const sources = [];
  for (let s = 0; s < SOURCES; s++) {
    stopIfSignalled();
    sources.push(await store.addSource({ url: `https://site${s}.example.org/feed` }));
  }
  const next = random(42);
  const results = new Map();
  const started = performance.now();
  let stored = 0;
  let commits = 0;
  for (const size of sizes) {
    const phaseStart = performance.now();
    const phaseFirst = stored;
    while (stored < size && performance.now() - started < budgetMs) {
      stopIfSignalled();
      const count = Math.min(batch, size - stored);
      const source = sources[commits % SOURCES];
      const fetchedAt = new Date(NOW + commits * 1000);
      const { newCount } = await store.commitFetch(source.id, {
        outcome: 'ok',
        fetchedAt,
        items: items(stored, count, next),
        httpStatus: 200,
        nextFetchAt: new Date(fetchedAt.getTime() + 3_600_000),
      });
      if (newCount !== count) throw new Error(`commit ${commits} stored ${newCount} of ${count} entries`);
      stored += count;
      commits++;
    }
    const seconds = (performance.now() - phaseStart) / 1000;
    const row = { reached: stored, ingest: (stored - phaseFirst) / seconds };
    row.river = await latencyMs(() => store.river({ limit: 50 }));
    row.rare = await latencyMs(() => store.search(RARE, 20));
    row.common = await latencyMs(() => store.search(COMMON, 20));
    row.hits = (await store.search(RARE, 1000)).length;
    row.bytes = await sizeOf();
    results.set(size, row);
    console.error(
      `  ${stored.toLocaleString('en')} entries: ${JSON.stringify(row, (_, v) => (typeof v === 'number' ? +v.toFixed(2) : v))}`,
    );
    if (stored < size) break;
  }
  return results;
}

async function sqlite() {
  console.error('SQLite');
  const dir = mkdtempSync(join(tmpdir(), 'tributary-bench-'));
  // However the process ends, short of SIGKILL, the database does not outlive it.
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeDir);
  const path = join(dir, 'bench.db');
  const store = await openStore(path);
  try {
    await store.migrate();
    const fileBytes = (p) => {
      try {
        return statSync(p).size;
      } catch {
        return 0;
      }
    };
    return await measure(store, async () => fileBytes(path) + fileBytes(`${path}-wal`));
  } finally {
    await store.close();
    removeDir();
    process.off('exit', removeDir);
  }
}

async function postgres() {
  const schema = `tributary_bench_${process.pid}`;
  const url = new URL(postgresUrl);
  url.searchParams.set('schema', schema);
  console.error(`PostgreSQL (${postgresUrl.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@')})`);
  const admin = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    console.error(`PostgreSQL skipped: no server at ${url.host} (${error.message})`);
    return undefined;
  }
  const store = await openStore(url.href);
  try {
    await store.migrate();
    const sizeOf = async () =>
      Number((await admin.query(`SELECT pg_database_size(current_database()) AS b`)).rows[0].b);
    const before = await sizeOf();
    return await measure(store, async () => (await sizeOf()) - before);
  } finally {
    await store.close();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}

if (phase !== 'workers') {
  console.error(`batch ${batch}, ${SOURCES} sources`);
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    const lite = chosen.includes('sqlite') ? await sqlite() : undefined;
    const post = chosen.includes('postgres') ? await postgres() : undefined;
    printStoreTable(lite, post);
  } catch (error) {
    if (!signalled) throw error;
    console.error(`interrupted (${signalled}): temporary files and schema removed`);
    process.kill(process.pid, signalled);
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
}
if (phase !== 'store') {
  console.error('Worker cycle');
  const cycles = await measureWorkerCycles(postgresUrl, workerCounts);
  console.log(cycles ? formatWorkerCycles(cycles) : '\nWorker cycle: skipped (no PostgreSQL server)');
}

function printStoreTable(lite, post) {
  const fmt = (v, digits) =>
    v === undefined ? '—' : v.toLocaleString('en', { maximumFractionDigits: digits });
  const METRICS = [
    ['entries stored', (r) => fmt(r?.reached, 0)],
    ['ingest entries/s (this step)', (r) => fmt(r?.ingest, 0)],
    ['first river page, 50 (ms)', (r) => fmt(r?.river, 2)],
    [`search "${RARE}" (ms)`, (r) => fmt(r?.rare, 2)],
    [`  its hits`, (r) => fmt(r?.hits, 0)],
    [`search "${COMMON}" (ms)`, (r) => fmt(r?.common, 2)],
    ['database size (MB)', (r) => fmt(r && r.bytes / 1e6, 0)],
  ];
  console.log(`\n${'size / metric'.padEnd(40)}${'SQLite'.padStart(14)}${'PostgreSQL'.padStart(14)}`);
  for (const size of sizes) {
    if (!lite?.has(size) && !post?.has(size)) continue;
    console.log(`${size.toLocaleString('en')} entries`);
    for (const [label, value] of METRICS) {
      const cell = (results) => (results ? value(results.get(size)) : 'skipped');
      console.log(`  ${label.padEnd(38)}${cell(lite).padStart(14)}${cell(post).padStart(14)}`);
    }
  }
}
