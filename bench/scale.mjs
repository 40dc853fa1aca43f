// A million sources, lean on one machine: what each process pays at N sources, SQLite and PostgreSQL side
// by side. Loads a generated N-source config file (js-yaml, then the schema walk), syncs it into a fresh
// store (cold, then unchanged: the one query every worker pays at start), gives the sources synthetic states
// and fetch logs in bulk SQL (every 17th failing with four fetches a day for 30 days, every 101st gone, every
// source fetched once in the last hour, as hourly polling does), adds --entries synthetic posts, then times (median of 9 after 2
// warm-ups) the first /sources page (50 and 100 cards, with its size), /people (first and a middle page),
// /metrics, claiming 64 due sources, the first river page and a search page for a rare and for a common word,
// and prints the table sizes.
// The entries are inserted in bulk (indexes built after), with their search index.
// Then (part `workers`, lib/worker-fleet.mjs) real `tributary worker` processes poll --feeds virtual feeds on
// a loopback server through a cold, an all-304 and a --changed cycle: one worker on SQLite, --workers on
// one PostgreSQL schema, each worker's sources/s, CPU per source (its own and its PostgreSQL backends'),
// claims and peak RSS, and any feed fetched twice.
// Usage: npm run bench:scale [-- --sources 100000] [--entries 100000] [--backends sqlite,postgres]
//   [--parts store,workers] [--feeds 2000] [--workers 2] [--changed 0.1] [--concurrency 16]
// PostgreSQL: TRIBUTARY_TEST_POSTGRES_URL (default postgres://root@127.0.0.1:5432/test), in a fresh schema
// dropped at the end, also on Ctrl-C; skipped with a message when no server answers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { loadSettings } from '../dist/config/config.js';
import { syncSources } from '../dist/ingest/sync-sources.js';
import { liveLinks } from '../dist/server/links.js';
import { renderMetrics } from '../dist/server/metrics.js';
import { createSite } from '../dist/server/site.js';
import { openStore } from '../dist/store/index.js';
import { searchVector } from '../dist/store/postgres/entry-writes.js';
import { parseSearch } from '../dist/store/search-query.js';
import { killAll } from './lib/processes.mjs';
import { formatWorkerFleet, measureWorkerFleet } from './lib/worker-fleet.mjs';

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}
const sources = Number(option('sources', '100000'));
const entries = Number(option('entries', '100000'));
const chosen = option('backends', 'sqlite,postgres').split(',');
const parts = option('parts', 'store,workers').split(',');
const feeds = Number(option('feeds', '2000'));
const workers = Number(option('workers', '2'));
const changed = Number(option('changed', '0.1'));
const concurrency = Number(option('concurrency', '16'));
if (!(Number.isInteger(feeds) && feeds >= 1 && feeds <= 1_000_000)) {
  throw new Error('--feeds wants a whole number from 1 to 1,000,000');
}
if (!(Number.isInteger(workers) && workers >= 1 && workers <= 16)) {
  throw new Error('--workers wants a whole number from 1 to 16');
}
if (!(changed > 0 && changed <= 1))
  throw new Error('--changed wants a share above 0 and at most 1, e.g. 0.1');
if (!(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 256)) {
  throw new Error('--concurrency wants a whole number from 1 to 256');
}
if (!(Number.isInteger(sources) && sources >= 1 && sources <= 5_000_000)) {
  throw new Error('--sources wants a whole number from 1 to 5,000,000');
}
if (!(Number.isInteger(entries) && entries >= 0 && entries <= 50_000_000)) {
  throw new Error('--entries wants a whole number from 0 to 50,000,000');
}
const postgresUrl = process.env.TRIBUTARY_TEST_POSTGRES_URL ?? 'postgres://root@127.0.0.1:5432/test';
const NOW = Date.now();

const scratch = mkdtempSync(join(tmpdir(), 'tributary-scale-'));
const cleanups = [() => rmSync(scratch, { recursive: true, force: true })];
const once = (step) => {
  let done;
  return () => (done ??= step());
};
/** Runs every clean-up step, newest first, once (Ctrl-C and the end of the run share it); a step that fails
 * is reported and the others still run. */
const cleanUp = once(async () => {
  while (cleanups.length > 0) {
    try {
      await cleanups.pop()();
    } catch (error) {
      console.error(`clean-up: ${error.message}`);
    }
  }
});
process.once('SIGINT', () => {
  console.error('\ninterrupted: cleaning up');
  // Workers first: none left on a schema being dropped or a file being removed.
  killAll()
    .then(cleanUp)
    .finally(() => process.exit(130));
});

const ms = (start) => performance.now() - start;
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
async function timed(run) {
  const times = [];
  let result;
  for (let i = 0; i < 11; i++) {
    const start = performance.now();
    result = await run();
    if (i >= 2) times.push(ms(start));
  }
  return { ms: median(times), result };
}

let configFile;

/** The config file of N sources, as an operator writes it: a third bare URLs, the rest named (some of them
 * grouped under people). */
function writeConfig() {
  const lines = ['site:', '  title: Scale', 'sources:'];
  for (let i = 0; i < sources; i++) {
    const url = `https://host${i % 5000}.example/feed/${i}.xml`;
    if (i % 3 === 0) lines.push(`  - ${url}`);
    else
      lines.push(
        `  - url: ${url}`,
        `    name: Feed ${i}`,
        ...(i % 7 === 0 ? ['    full_article: true'] : []),
        // Every fifth named source is one of a few people's several feeds, some with a face.
        ...(i % 5 === 0 ? [`    person: Person ${i % 4000}`] : []),
        ...(i % 10 === 0 ? [`    face: https://faces.example/${i % 4000}.png`] : []),
      );
  }
  const file = join(scratch, 'tributary.yaml');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** SQL (both backends take it as written) giving the synced sources their synthetic states and fetch log. */
function stateSql(series) {
  return [
    `UPDATE sources SET
      status = CASE WHEN id % 17 = 0 THEN 'error' WHEN id % 101 = 0 THEN 'gone' ELSE 'active' END,
      error_count = CASE WHEN id % 17 = 0 THEN 3 ELSE 0 END,
      last_error = CASE WHEN id % 17 = 0 THEN 'HTTP 503 (Service Unavailable)' END,
      last_status = CASE WHEN id % 17 = 0 THEN 503 WHEN id % 101 = 0 THEN 410 ELSE 200 END,
      last_duration_ms = (id * 7919) % 30000,
      last_fetch_at = ${NOW} - (id % 3600) * 1000,
      last_success_at = ${NOW} - (id % 3600) * 1000,
      next_fetch_at = CASE WHEN id % 101 = 0 THEN NULL ELSE ${NOW} + (id % 7200) * 1000 - 3600000 END`,
    // Every source fetched once in the last hour, as at hourly polling: /metrics' window holds a row per
    // source (a fetch a day would put only a 24th of them in it, and flatter the scrape)...
    `INSERT INTO fetch_log (source_id, at, outcome, http_status, duration_ms, new_count)
      SELECT id, ${NOW} - (id % 3600) * 1000,
        CASE WHEN id % 17 = 0 THEN 'failed' WHEN id % 101 = 0 THEN 'gone' ELSE 'ok' END,
        CASE WHEN id % 17 = 0 THEN 503 WHEN id % 101 = 0 THEN 410 ELSE 200 END, (id * 7919) % 30000, id % 3
      FROM sources`,
    // ...and the failing ones, which the first pages of /sources show, four times a day for 30 days.
    `INSERT INTO fetch_log (source_id, at, outcome, http_status, duration_ms, new_count)
      SELECT s.id, ${NOW} - n * 21600000 - 1000, CASE WHEN n % 3 = 0 THEN 'failed' ELSE 'ok' END,
        CASE WHEN n % 3 = 0 THEN 503 ELSE 200 END, (s.id * n) % 30000, n % 2
      FROM sources s, ${series(1, 120)} WHERE s.id % 17 = 0`,
  ];
}

/** Words of the synthetic posts: every 10th post is about a release (a common search), every 100,000th
 * about a quokka (a rare one: 100 posts in 10,000,000). */
const COMMON_WORD = 'release';
const RARE_WORD = 'quokka';
const topicSql = (n) =>
  `CASE WHEN ${n} % 100000 = 7 THEN '${RARE_WORD}' WHEN ${n} % 10 = 3 THEN '${COMMON_WORD}' ELSE 'garden' END`;

/** SQL inserting M synthetic entries, one a minute back from now; `searchSql` gives the PostgreSQL search
 * column from the title and body expressions (SQLite indexes them in entries_fts afterwards). */
function entriesSql(series, searchSql) {
  const title = `'Post ' || n || ' about the ' || ${topicSql('n')}`;
  const body = `'Synthetic post ' || n || ', a few words on the ' || ${topicSql('n')} || ' of the week.'`;
  return `INSERT INTO entries (source_id, dedupe_key, guid, url, canonical_url, title, content_html,
      date_published, first_seen_at, updated_at, content_hash${searchSql ? ', search' : ''})
    SELECT (n % ${sources}) + 1, 'bench:' || n, 'bench:' || n, 'https://post.example/' || n,
      'https://post.example/' || n, ${title}, '<p>' || ${body} || '</p>',
      ${NOW} - n * 60000, ${NOW} - n * 60000, ${NOW} - n * 60000, 'h' || n${searchSql ? `, ${searchSql(title, body)}` : ''}
    FROM ${series(1, entries)}`;
}

/** The SQLite search index of the synthetic entries, as the store writes it (title, body text). */
const SQLITE_FTS_SQL = `INSERT INTO entries_fts (rowid, title, body)
  SELECT id, title, substr(content_html, 4, length(content_html) - 7) FROM entries`;

async function measure(name, store, exec, tableSizes) {
  console.error(`${name}: syncing ${sources.toLocaleString('en')} sources`);
  const settings = loadSettings(configFile, {});
  let start = performance.now();
  const cold = await syncSources(store, settings.sources);
  const row = { syncCold: ms(start) };
  if (cold.added !== sources) throw new Error(`cold sync added ${cold.added} of ${sources}`);
  start = performance.now();
  const again = await syncSources(store, settings.sources);
  row.syncUnchanged = ms(start);
  if (!again.unchanged) throw new Error('the second sync of the same list was not a no-op');

  console.error(`${name}: states, fetch log and ${entries.toLocaleString('en')} entries`);
  start = performance.now();
  await exec(stateSql);
  row.fill = ms(start);

  const site = createSite({ store, site: { title: 'Scale' } });
  const links = liveLinks('bench', site.themeFile);
  console.error(`${name}: timing pages`);
  for (const size of [50, 100]) {
    const page = await timed(() => site.render({ kind: 'sources', listing: { size } }, links));
    row[`sources${size}`] = page.ms;
    row[`sources${size}Bytes`] = Buffer.byteLength(page.result.body);
  }
  const failing = await timed(() =>
    site.render({ kind: 'sources', listing: { size: 50, status: 'error' } }, links),
  );
  row.sourcesFailing = failing.ms;
  const search = await timed(() =>
    site.render({ kind: 'sources', listing: { size: 50, search: 'feed 4242' } }, links),
  );
  row.sourcesSearch = search.ms;
  const people = await timed(() => site.render({ kind: 'people' }, links));
  row.people = people.ms;
  row.peopleBytes = Buffer.byteLength(people.result.body);
  // A page from the middle of the list: the cursor of a person half-way along.
  row.peopleDeep = (await timed(() => site.render({ kind: 'people', after: 'feed 5' }, links))).ms;
  row.metrics = (await timed(() => renderMetrics(store, new Date(NOW)))).ms;
  row.claim = (await timed(() => store.claimDueSources(new Date(NOW), 64, 'bench', 300))).ms;
  row.river = (await timed(() => site.render({ kind: 'river' }, links))).ms;
  for (const [key, word] of [
    ['searchRare', RARE_WORD],
    ['searchCommon', COMMON_WORD],
  ]) {
    const page = await timed(() => site.render({ kind: 'search', query: word, page: 1 }, links));
    if (page.result.status !== 200) throw new Error(`search for ${word}: status ${page.result.status}`);
    row[key] = page.ms;
    // The page's results, from the store: a search that found nothing would time nothing.
    const { all, none } = parseSearch(word);
    row[`${key}Hits`] = (await store.search({ all, none, limit: 20 })).hits.length;
  }
  row.tables = await tableSizes();
  return row;
}

async function sqlite() {
  const path = join(scratch, 'scale.db');
  const store = await openStore(path);
  try {
    await store.migrate();
    return await measure(
      'SQLite',
      store,
      async (stateSqlFor) => {
        const db = new Database(path);
        const series = (from, to) =>
          `(WITH RECURSIVE seq(n) AS (SELECT ${from} UNION ALL SELECT n + 1 FROM seq WHERE n < ${to}) SELECT n FROM seq)`;
        // Indexes built once after the bulk insert, not row by row (as a restore would).
        const indexes = db
          .prepare(
            `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'entries' AND sql IS NOT NULL`,
          )
          .all();
        db.transaction(() => {
          for (const sql of stateSqlFor(series)) db.exec(sql);
          for (const { name } of indexes) db.exec(`DROP INDEX ${name}`);
          if (entries > 0) db.exec(entriesSql(series));
          db.exec(SQLITE_FTS_SQL);
          for (const { sql } of indexes) db.exec(sql);
        })();
        db.exec('ANALYZE');
        db.close();
      },
      () => {
        // Per table with its indexes (FTS5 keeps its index in entries_fts_* tables), from SQLite's page map.
        const db = new Database(path, { readonly: true });
        try {
          return db
            .prepare(`SELECT coalesce(m.tbl_name, d.name) AS name, sum(d.pgsize) AS bytes FROM dbstat d
            LEFT JOIN sqlite_master m ON m.name = d.name GROUP BY 1 ORDER BY 2 DESC`)
            .all();
        } finally {
          db.close();
        }
      },
    );
  } finally {
    await store.close();
  }
}

/**
 * A fresh schema `name` on the server at TRIBUTARY_TEST_POSTGRES_URL, dropped by `drop()` and on Ctrl-C, with
 * an admin connection; undefined (with a message) when no server answers.
 */
async function postgresSchema(name) {
  const schema = `${name}_${process.pid}`;
  const admin = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    console.error(`PostgreSQL skipped: no server at ${new URL(postgresUrl).host} (${error.message})`);
    return undefined;
  }
  const { rows } = await admin.query('SELECT pg_backend_pid() AS pid');
  // On its own connection, so that Ctrl-C during a bulk statement on `admin` still drops it: that statement
  // is cancelled first (the drop would wait for its locks, half an hour into a 10,000,000-post fill).
  const dropSchema = once(async () => {
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    try {
      await client.query('SELECT pg_cancel_backend($1)', [rows[0].pid]);
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    } finally {
      await client.end();
    }
  });
  const endAdmin = once(() => admin.end());
  cleanups.push(dropSchema, endAdmin);
  const url = new URL(postgresUrl);
  url.searchParams.set('schema', schema);
  return {
    schema,
    admin,
    url: url.href,
    drop: async () => {
      await endAdmin();
      await dropSchema();
    },
  };
}

async function postgres() {
  const db = await postgresSchema('tributary_scale');
  if (!db) return undefined;
  const { schema, admin } = db;
  // A cold sync of a million sources is one statement that ran past the store's default minute (60 s) on
  // the loaded 2-core machine; the bench measures it rather than give up.
  const url = new URL(db.url);
  url.searchParams.set('statement_timeout', '3600000');
  const store = await openStore(url.href);
  try {
    await store.migrate();
    return await measure(
      'PostgreSQL',
      store,
      async (stateSqlFor) => {
        const series = (from, to) => `generate_series(${from}::bigint, ${to}::bigint) AS n`;
        await admin.query(`SET search_path = ${schema}`);
        await admin.query(`SET maintenance_work_mem = '512MB'`);
        await admin.query('BEGIN');
        for (const sql of stateSqlFor(series)) await admin.query(sql);
        // Indexes other than constraints' built once after the bulk insert, not row by row (as a restore would).
        const { rows: indexes } = await admin.query(`SELECT indexrelid::regclass::text AS name,
          pg_get_indexdef(indexrelid) AS sql FROM pg_index i WHERE indrelid = 'entries'::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`);
        // The unique dedupe key too: checked row by row at a random point of its index, it made a
        // 10,000,000-post fill take 29 minutes (about 5 without it). The primary key grows at its end: kept.
        const { rows: uniques } = await admin.query(`SELECT conname AS name, pg_get_constraintdef(oid) AS sql
          FROM pg_constraint WHERE conrelid = 'entries'::regclass AND contype = 'u'`);
        for (const { name } of indexes) await admin.query(`DROP INDEX ${name}`);
        for (const { name } of uniques) await admin.query(`ALTER TABLE entries DROP CONSTRAINT ${name}`);
        if (entries > 0) await admin.query(entriesSql(series, searchVector));
        for (const { sql } of indexes) await admin.query(sql);
        for (const { name, sql } of uniques)
          await admin.query(`ALTER TABLE entries ADD CONSTRAINT ${name} ${sql}`);
        await admin.query('COMMIT');
        await admin.query('VACUUM ANALYZE sources, fetch_log, entries');
      },
      async () => {
        const { rows } = await admin.query(
          `SELECT relname AS name, pg_total_relation_size(oid) AS bytes FROM pg_class
          WHERE relnamespace = $1::regnamespace AND relkind = 'r' ORDER BY 2 DESC`,
          [schema],
        );
        return rows.map((r) => ({ name: r.name, bytes: Number(r.bytes) }));
      },
    );
  } finally {
    await store.close();
    await db.drop();
  }
}

/** One `tributary worker` on a SQLite file (what `run` does besides serving): the one-machine case. */
async function sqliteFleet() {
  const path = join(scratch, 'fleet.db');
  let db;
  const query = (sql) => {
    db ??= new Database(path, { timeout: 30_000 });
    const statement = db.prepare(sql);
    return statement.reader ? statement.all() : statement.run();
  };
  try {
    const dir = mkdtempSync(join(scratch, 'fleet-'));
    const opts = { database: path, query, dir, feeds, workers: 1, changed, concurrency };
    return formatWorkerFleet('SQLite, one worker', await measureWorkerFleet(opts));
  } finally {
    db?.close();
  }
}

async function postgresFleet() {
  const db = await postgresSchema('tributary_fleet');
  if (!db) return undefined;
  try {
    await db.admin.query(`CREATE SCHEMA ${db.schema}`);
    await db.admin.query(`SET search_path = ${db.schema}`);
    const query = async (sql) => (await db.admin.query(sql)).rows;
    const dir = mkdtempSync(join(scratch, 'fleet-'));
    const opts = { database: db.url, query, admin: db.admin, dir, feeds, workers, changed, concurrency };
    return formatWorkerFleet('PostgreSQL, one schema', await measureWorkerFleet(opts));
  } finally {
    await db.drop();
  }
}

try {
  if (parts.includes('store')) {
    console.error(`config of ${sources.toLocaleString('en')} sources`);
    configFile = writeConfig();
    const loads = [];
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      loadSettings(configFile, {});
      loads.push(ms(start));
    }
    const lite = chosen.includes('sqlite') ? await sqlite() : undefined;
    const post = chosen.includes('postgres') ? await postgres() : undefined;
    printTable(lite, post, median(loads));
  }
  if (parts.includes('workers')) {
    for (const [name, run] of [
      ['sqlite', sqliteFleet],
      ['postgres', postgresFleet],
    ]) {
      if (!chosen.includes(name)) continue;
      console.error(`${name}: workers over ${feeds.toLocaleString('en')} loopback feeds`);
      const text = await run();
      if (text) console.log(text);
    }
  }
} finally {
  await cleanUp();
}

function printTable(lite, post, configLoadMs) {
  const n = (v, unit) =>
    v === undefined ? '—' : `${v.toLocaleString('en', { maximumFractionDigits: 1 })}${unit}`;
  const rows = [
    ['sync, cold', (r) => n(r?.syncCold, ' ms')],
    ['sync, unchanged list', (r) => n(r?.syncUnchanged, ' ms')],
    ['/sources, first 50 cards', (r) => n(r?.sources50, ' ms')],
    ['  its size', (r) => n(r && r.sources50Bytes / 1024, ' KB')],
    ['/sources, first 100 cards', (r) => n(r?.sources100, ' ms')],
    ['  its size', (r) => n(r && r.sources100Bytes / 1024, ' KB')],
    ['/sources?status=error', (r) => n(r?.sourcesFailing, ' ms')],
    ['/sources?q=… (name or URL)', (r) => n(r?.sourcesSearch, ' ms')],
    ['/people, first 50 people', (r) => n(r?.people, ' ms')],
    ['  its size', (r) => n(r && r.peopleBytes / 1024, ' KB')],
    ['/people, a page half-way', (r) => n(r?.peopleDeep, ' ms')],
    ['/metrics', (r) => n(r?.metrics, ' ms')],
    ['claim 64 due sources', (r) => n(r?.claim, ' ms')],
    ['first river page', (r) => n(r?.river, ' ms')],
    [`search, rare word (${RARE_WORD})`, (r) => n(r?.searchRare, ' ms')],
    ['  its hits (first page of 20)', (r) => n(r?.searchRareHits, '')],
    [`search, common word (${COMMON_WORD})`, (r) => n(r?.searchCommon, ' ms')],
    ['  its hits (first page of 20)', (r) => n(r?.searchCommonHits, '')],
    ['(filling states, log, entries)', (r) => n(r?.fill, ' ms')],
  ];
  console.log(
    `\n${sources.toLocaleString('en')} sources, ${entries.toLocaleString('en')} entries; config load ${n(configLoadMs, ' ms')} (median of 3)`,
  );
  console.log(`${''.padEnd(34)}${'SQLite'.padStart(14)}${'PostgreSQL'.padStart(14)}`);
  for (const [label, cell] of rows)
    console.log(`${label.padEnd(34)}${cell(lite).padStart(14)}${cell(post).padStart(14)}`);
  for (const [name, r] of [
    ['SQLite', lite],
    ['PostgreSQL', post],
  ]) {
    // Tables of a megabyte or more, with their indexes.
    const big = r?.tables.filter((t) => t.bytes >= 2 ** 20) ?? [];
    if (big.length === 0) continue;
    const total = r.tables.reduce((sum, t) => sum + t.bytes, 0);
    const mb = (bytes) => n(bytes / 2 ** 20, ' MB');
    console.log(
      `${name} table sizes (with indexes): ${big.map((t) => `${t.name} ${mb(t.bytes)}`).join(', ')}; all ${mb(total)}`,
    );
  }
}
