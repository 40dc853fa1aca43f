/**
 * The PostgreSQL backend (node-postgres pool), for many workers sharing one database. Same tables, dedupe
 * rules and checkpoint as the SQLite backend; what differs is concurrency: sources are claimed with leases
 * (`FOR UPDATE SKIP LOCKED`), a source's commits are serialised by its row lock, and the same article
 * arriving from two sources in two workers at once is serialised by an advisory lock on its URL.
 */
import pg from 'pg';
import { crashPoint } from '../../crash-point.js';
import { retryDelayMs } from '../../schedule/index.js';
import { sourceUrl } from '../canonical-url.js';
import {
  articleUrl,
  OTHER_COPY_COLUMNS,
  type OtherCopies,
  type OtherCopyColumns,
  OWN_COPY_COLUMNS,
  type OwnCopyColumns,
  otherCopies,
  ownCopies,
  type PlannedFetch,
  planEntryWrites,
  plannedFetch,
} from '../entry-plan.js';
import { checkpointRows, type EntryColumns, type EntryRow, entryFromColumns } from '../entry-row.js';
import { carriersByEntry, datesAround, type RiverDialect, riverPage, riverSql } from '../river-sql.js';
import type { SearchLimits } from '../search-gate.js';
import {
  activityFrom,
  claimableSql,
  DUE_ORDER,
  dueSql,
  type FetchDayColumns,
  fetchDaysSql,
  fetchMetricsFrom,
  fetchWindowSql,
  type LatencyColumns,
  latencySql,
  metricsMinutes,
  metricsSql,
  peopleKeysSql,
  peoplePageFrom,
  peopleSourcesSql,
  recentPostsSql,
  SOURCE_COUNTS_SQL,
  sourceCountsFrom,
  sourcesPageFrom,
  sourcesPageSql,
} from '../shared-sql.js';
import {
  fetchLogHorizonMs,
  fetchWindowHorizonMinute,
  leaseEndMs,
  type SourceFetchState,
  sourceAfterFetch,
  stopAtSubscribedUrl,
} from '../source-update.js';
import {
  declaredJson,
  FETCH_LOG_COLUMNS,
  type FetchLogColumns,
  fetchLogFromColumns,
  fetchLogValues,
  learnedValue,
  type SourceColumns,
  sourceFromColumns,
  sourceStateColumns,
  sourceUrlOrRaw,
} from '../sql-rows.js';
import {
  type CommitResult,
  type DeclaredSource,
  type EntryId,
  type FetchCheckpoint,
  type FetchLogRow,
  type FetchMetrics,
  LEARNED_OPTION_KEYS,
  type LearnedOptions,
  type NewSource,
  type PeoplePage,
  type PeopleQuery,
  type RiverPage,
  type RiverQuery,
  type SearchPage,
  type SearchRequest,
  type SettingName,
  type Source,
  type SourceActivity,
  type SourceCounts,
  type SourceId,
  type SourcesPage,
  type SourcesQuery,
  type Store,
  type StoredEntry,
  type StoreLog,
  type SyncResult,
} from '../store.js';
import { entryTagKeys } from '../tags.js';
import { connectionFailure, isConnectionLoss, type PostgresTarget, postgresTarget } from './connection.js';
import { ENTRY_COLUMNS, INSERT_ENTRIES, insertParams, UPDATE_ENTRY, updateParams } from './entry-writes.js';
import { INSERT_ENTRY_TAGS, MIGRATIONS } from './migrations.js';
import { PostgresSearcher } from './search.js';

type Queryable = pg.Pool | pg.PoolClient;

/** Advisory lock spaces (first key of the two-key form), so Tributary's locks never meet another app's. */
const MIGRATION_LOCKS = 0x7472_6d01;
const ARTICLE_LOCKS = 0x7472_6d02;
const SYNC_LOCKS = 0x7472_6d03;
/** A CTE that drops the stored hash of the synced source list: the sources changed outside a config sync,
 * so the next sync runs in full. */
const FORGET_SYNC = 'forget_sync AS (DELETE FROM config_sync)';
/**
 * Article URLs are locked by hash bucket, so the first fetch of a 5,000-item feed takes at most 256 locks
 * (the server's lock table is shared, sized 64 per connection by default). Two commits writing URLs of
 * one bucket merely take turns.
 */
const ARTICLE_LOCK_BUCKETS = 256;

/** A deadlock or serialisation failure aborts one transaction; the checkpoint is redone from the start. */
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 3;
/** How long a commit keeps reconnecting to a database it lost: past this, the source stays as it was (its
 * lease runs out, and it is fetched again later). */
const RECONNECT_FOR_MS = 60_000;

const DUE_AT_1 = dueSql('$1');

/**
 * A source's poll host in SQL, as `pollHost` finds it in JS: the hostname of moved_to, else of the feed URL
 * discovery learned, else of the declared URL (stored URLs are WHATWG-serialized: host lower-case, userinfo
 * percent-encoded, IPv6 in brackets).
 */
const POLL_HOST = `substring(coalesce(moved_to,
    CASE WHEN json_typeof(options::json -> 'feedUrl') = 'string' THEN options::json ->> 'feedUrl' END, url)
  FROM '^[a-z][a-z0-9+.-]*://(?:[^/?#]*@)?(\\[[^]]*\\]|[^/?#:]*)')`;

export class PostgresStore implements Store {
  readonly #pool: pg.Pool;
  readonly #schema: string | undefined;
  readonly #redactedUrl: string;
  readonly #log: StoreLog | undefined;
  readonly #target: PostgresTarget;
  readonly #searcher: PostgresSearcher;

  /** `search`: how many searches run at once, on connections of their own, and for how long. */
  constructor(
    databaseUrl: string,
    { log, search = {} }: { log?: StoreLog; search?: Partial<SearchLimits> } = {},
  ) {
    const target = postgresTarget(databaseUrl);
    this.#target = target;
    this.#pool = new pg.Pool(target.config);
    this.#searcher = new PostgresSearcher(target.config, search);
    this.#schema = target.schema;
    this.#redactedUrl = target.redactedUrl;
    this.#log = log;
    // An idle connection the server dropped is discarded by the pool (the next query opens another);
    // without a listener the 'error' event would crash the process.
    this.#pool.on('error', (error) =>
      log?.warn({ error: error.message }, `lost an idle connection to the database ${this.#redactedUrl}`),
    );
  }

  async migrate(): Promise<void> {
    try {
      await this.#transaction(async (db) => {
        // Waiting for another process's migration, and a migration rebuilding an index over millions of
        // rows, may take longer than any statement should otherwise.
        await db.query('SET LOCAL statement_timeout = 0');
        // Workers starting together queue here; each migration is applied once, by the first.
        await db.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
          MIGRATION_LOCKS,
          this.#schema ?? '',
        ]);
        if (this.#schema) await db.query(`CREATE SCHEMA IF NOT EXISTS ${this.#schema}`);
        await db.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
          version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)`);
        const { rows } = await db.query<{ version: number }>('SELECT version FROM schema_migrations');
        const applied = new Set(rows.map((r) => r.version));
        const known = MIGRATIONS.at(-1)?.version ?? 0;
        const newest = Math.max(0, ...applied);
        if (newest > known) {
          throw new Error(
            `database schema version ${newest} is newer than this Tributary (knows up to ${known})`,
          );
        }
        for (const m of MIGRATIONS) {
          if (applied.has(m.version)) continue;
          await db.query(m.sql);
          await m.backfill?.(db);
          await db.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
            m.version,
            m.name,
            Date.now(),
          ]);
        }
      });
    } catch (error) {
      throw new Error(`cannot migrate store ${this.#redactedUrl}: ${this.#explain(error)}`, {
        cause: error,
      });
    }
  }

  async close(): Promise<void> {
    await this.#searcher.close();
    if (!this.#pool.ended) await this.#pool.end();
  }

  async addSource(input: NewSource): Promise<Source> {
    const [row] = await queryRows<SourceColumns>(
      this.#pool,
      `WITH ${FORGET_SYNC} INSERT INTO sources (url, name, author, options, created_at)
      VALUES ($1, $2, $3, coalesce($4, '{}'), $5)
      ON CONFLICT (url) DO UPDATE SET name = coalesce(excluded.name, sources.name),
        author = coalesce(excluded.author, sources.author), options = coalesce($4, sources.options),
        retired_at = NULL, config_hash = NULL
      RETURNING *`,
      [
        sourceUrl(input.url),
        input.name ?? null,
        input.author ?? null,
        input.options ? JSON.stringify(input.options) : null,
        Date.now(),
      ],
    );
    return sourceFromColumns(row!);
  }

  async syncSources(
    listHash: string,
    declared: () => readonly DeclaredSource[],
    at: Date,
  ): Promise<SyncResult> {
    const unchanged: SyncResult = { added: 0, updated: 0, retired: 0, unchanged: true };
    const synced = async (db: Queryable) =>
      (await queryRows<{ sources_hash: string }>(db, 'SELECT sources_hash FROM config_sync'))[0]
        ?.sources_hash === listHash;
    if (await synced(this.#pool)) return unchanged;
    return this.#transaction(async (db) => {
      // Processes starting together take turns here; the later ones find the list synced.
      await db.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [SYNC_LOCKS, this.#schema ?? '']);
      if (await synced(db)) return unchanged;
      // Only new and changed rows are written (and so locked). Learned options are taken from the row
      // as it is when written, under its lock: a learned key set at the same moment is kept.
      const [counts] = await queryRows<{ added: number; updated: number; retired: number }>(
        db,
        `WITH declared AS (
          SELECT * FROM json_to_recordset($1::json)
            AS d (url text, name text, author text, options text, config_hash text)),
        changed AS (
          SELECT d.* FROM declared d LEFT JOIN sources s ON s.url = d.url
          WHERE s.id IS NULL OR s.config_hash IS DISTINCT FROM d.config_hash OR s.retired_at IS NOT NULL),
        written AS (
          INSERT INTO sources AS s (url, name, author, options, config_hash, created_at)
          SELECT url, name, author, options, config_hash, $2 FROM changed
          ON CONFLICT (url) DO UPDATE SET name = excluded.name, author = excluded.author,
            options = (excluded.options::jsonb || (SELECT coalesce(jsonb_object_agg(key, value), '{}')
              FROM jsonb_each(s.options::jsonb) WHERE key = ANY($3::text[])))::text,
            config_hash = excluded.config_hash, retired_at = NULL
          RETURNING xmax = 0 AS inserted),
        retired AS (
          UPDATE sources SET retired_at = $2, lease_owner = NULL, lease_until = NULL
          WHERE retired_at IS NULL AND NOT EXISTS (SELECT 1 FROM declared d WHERE d.url = sources.url)
          RETURNING 1)
        SELECT (SELECT count(*) FROM written WHERE inserted)::int AS added,
          (SELECT count(*) FROM written WHERE NOT inserted)::int AS updated,
          (SELECT count(*) FROM retired)::int AS retired`,
        [declaredJson(declared()), at.getTime(), LEARNED_OPTION_KEYS],
      );
      await db.query(
        `INSERT INTO config_sync (id, sources_hash, synced_at) VALUES (1, $1, $2)
        ON CONFLICT (id) DO UPDATE SET sources_hash = excluded.sources_hash, synced_at = excluded.synced_at`,
        [listHash, at.getTime()],
      );
      return { ...counts!, unchanged: false };
    });
  }

  async retireSources(ids: readonly SourceId[], at: Date): Promise<number> {
    const result = await this.#pool.query(
      `WITH ${FORGET_SYNC} UPDATE sources SET retired_at = $1, lease_owner = NULL, lease_until = NULL
      WHERE retired_at IS NULL AND id = ANY($2::bigint[])`,
      [at.getTime(), ids],
    );
    return result.rowCount ?? 0;
  }

  async purgeSource(idOrUrl: SourceId | string): Promise<{ entries: number } | undefined> {
    return this.#transaction(async (db) => {
      const [found] = await queryRows<{ id: number }>(
        db,
        `SELECT id FROM sources WHERE ${typeof idOrUrl === 'number' ? 'id' : 'url'} = $1 FOR UPDATE`,
        [typeof idOrUrl === 'number' ? idOrUrl : sourceUrlOrRaw(idOrUrl)],
      );
      if (!found) return undefined;
      // The source's status count first, then its due counts, as a commit takes them before the entry count
      // (migrations 11 and 12): the two take their locks in one order.
      await db.query(
        `SELECT 1 FROM source_counts c JOIN sources s ON c.status = s.status
          AND c.retired = (s.retired_at IS NOT NULL) WHERE s.id = $1 FOR UPDATE OF c`,
        [found.id],
      );
      await db.query(
        `SELECT 1 FROM due_counts c JOIN sources s ON c.upto = due_upto(s.next_fetch_at, c.span)
          AND c.shard = s.id % 8 AND s.status IN ('active', 'error') AND s.retired_at IS NULL
        WHERE s.id = $1 ORDER BY c.span, c.upto FOR UPDATE OF c`,
        [found.id],
      );
      // Entries and the fetch log go with the row (ON DELETE CASCADE).
      const deleted = await db.query('DELETE FROM entries WHERE source_id = $1', [found.id]);
      await db.query(`WITH ${FORGET_SYNC} DELETE FROM sources WHERE id = $1`, [found.id]);
      return { entries: deleted.rowCount ?? 0 };
    });
  }

  async listSources(): Promise<Source[]> {
    return (await queryRows<SourceColumns>(this.#pool, 'SELECT * FROM sources ORDER BY id')).map(
      sourceFromColumns,
    );
  }

  async getSources(ids: readonly SourceId[]): Promise<Source[]> {
    if (ids.length === 0) return [];
    const rows = await queryRows<SourceColumns>(
      this.#pool,
      'SELECT * FROM sources WHERE id = ANY ($1::bigint[])',
      [ids],
    );
    return rows.map(sourceFromColumns);
  }

  async sourceCounts(): Promise<SourceCounts> {
    return sourceCountsFrom(await queryRows(this.#pool, SOURCE_COUNTS_SQL));
  }

  async sourcesPage(query: SourcesQuery): Promise<SourcesPage> {
    const { text, values } = sourcesPageSql(query, (n) => `$${n}`);
    return sourcesPageFrom(await queryRows<SourceColumns>(this.#pool, text, values), query.limit);
  }

  async peoplePage(query: PeopleQuery): Promise<PeoplePage> {
    const { text, values } = peopleKeysSql(query, (n) => `$${n}`);
    const keys = (await queryRows<{ people_key: string }>(this.#pool, text, values)).map((r) => r.people_key);
    const rows = await queryRows<SourceColumns>(this.#pool, peopleSourcesSql('= ANY ($1::text[])'), [
      keys.slice(0, query.limit),
    ]);
    return peoplePageFrom(keys, rows, query.limit);
  }

  async sourceActivity(
    ids: readonly SourceId[],
    logSince: Date,
    postsSince: Date,
  ): Promise<Map<SourceId, SourceActivity>> {
    const idsIn = '= ANY ($1::bigint[])';
    const [days, latencies, posts] = await Promise.all([
      queryRows<FetchDayColumns>(this.#pool, fetchDaysSql(idsIn, '$2::bigint'), [ids, logSince.getTime()]),
      queryRows<LatencyColumns>(
        this.#pool,
        latencySql('unnest($1::bigint[]) AS ids (id)', '$2::bigint', 'json_agg'),
        [ids, logSince.getTime()],
      ),
      queryRows<{ source_id: number; posts: number }>(this.#pool, recentPostsSql(idsIn, '$2::bigint'), [
        ids,
        postsSince.getTime(),
      ]),
    ]);
    return activityFrom(ids, days, latencies, posts);
  }

  async fetchMetrics(now: Date, since: Date): Promise<FetchMetrics> {
    const { from, minute, hour } = metricsMinutes(now, since);
    const [[row], window] = await Promise.all([
      queryRows(this.#pool, metricsSql('$1::bigint', '$2::bigint'), [minute, hour]),
      queryRows(this.#pool, fetchWindowSql('$1::bigint'), [from]),
    ]);
    return fetchMetricsFrom(row!, window);
  }

  async getSource(id: SourceId): Promise<Source | undefined> {
    const [row] = await queryRows<SourceColumns>(this.#pool, 'SELECT * FROM sources WHERE id = $1', [id]);
    return row && sourceFromColumns(row);
  }

  async setLearned<K extends keyof LearnedOptions>(
    id: SourceId,
    key: K,
    value: LearnedOptions[K] | undefined,
  ): Promise<Source | undefined> {
    // One UPDATE: the row lock orders concurrent setters, each applied to the options the last one left.
    const [row] = await queryRows<SourceColumns>(
      this.#pool,
      `UPDATE sources SET options = (CASE WHEN $3::text IS NULL THEN options::jsonb #- $2::text[]
        ELSE jsonb_set(options::jsonb, $2::text[], $3::jsonb) END)::text
      WHERE id = $1 RETURNING *`,
      [id, [key], learnedValue(value)],
    );
    return row && sourceFromColumns(row);
  }

  async dueSources(now: Date, limit: number): Promise<Source[]> {
    const due = await queryRows<SourceColumns>(
      this.#pool,
      `SELECT * FROM sources WHERE ${DUE_AT_1} ${DUE_ORDER} LIMIT $2`,
      [now.getTime(), limit],
    );
    return due.map(sourceFromColumns);
  }

  async claimDueSources(
    now: Date,
    limit: number,
    workerId: string,
    leaseSeconds: number,
    skipHosts: readonly string[] = [],
  ): Promise<Source[]> {
    // SKIP LOCKED: a row another claimer is taking is passed over, not waited for; one it has already
    // taken is re-checked against the committed lease and left out.
    const claimed = await queryRows<SourceColumns>(
      this.#pool,
      `WITH due AS (
        ${claimableSql('id', '$1', '$2', skipHosts.length > 0 ? `AND ${POLL_HOST} <> ALL($5::text[])` : '')}
        FOR UPDATE SKIP LOCKED)
      UPDATE sources s SET lease_owner = $3, lease_until = $4 FROM due WHERE s.id = due.id
      RETURNING s.*`,
      [
        now.getTime(),
        limit,
        workerId,
        leaseEndMs(now, leaseSeconds),
        ...(skipHosts.length > 0 ? [skipHosts] : []),
      ],
    );
    // UPDATE … RETURNING does not keep the CTE's order.
    const dueOrder = (c: SourceColumns) => c.next_fetch_at ?? Number.NEGATIVE_INFINITY;
    claimed.sort((a, b) => dueOrder(a) - dueOrder(b) || a.id - b.id);
    return claimed.map(sourceFromColumns);
  }

  async renewLeases(
    ids: readonly SourceId[],
    workerId: string,
    now: Date,
    leaseSeconds: number,
  ): Promise<SourceId[]> {
    if (ids.length === 0) return [];
    const held = await queryRows<{ id: number }>(
      this.#pool,
      'UPDATE sources SET lease_until = $1 WHERE lease_owner = $2 AND id = ANY($3::bigint[]) RETURNING id',
      [leaseEndMs(now, leaseSeconds), workerId, ids],
    );
    return held.map((r) => r.id);
  }

  async releaseLeases(ids: readonly SourceId[], workerId: string): Promise<void> {
    if (ids.length === 0) return;
    await this.#pool.query(
      'UPDATE sources SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $1 AND id = ANY($2::bigint[])',
      [workerId, ids],
    );
  }

  async commitFetch(sourceId: SourceId, cp: FetchCheckpoint): Promise<CommitResult> {
    const fetchedMs = cp.fetchedAt.getTime();
    const entryRows = checkpointRows(cp, sourceId);
    return this.#transaction(async (db, afterLoss) => {
      // A connection lost during COMMIT leaves its outcome unknown: the checkpoint's fetch-log row says.
      if (afterLoss) {
        const [logged] = await queryRows<{ new_count: number; updated_count: number }>(
          db,
          'SELECT new_count, updated_count FROM fetch_log WHERE source_id = $1 AND at = $2 AND outcome = $3',
          [sourceId, fetchedMs, cp.outcome],
        );
        if (logged) return { newCount: logged.new_count, updatedCount: logged.updated_count };
      }
      // FOR UPDATE: two commits of one source (a lease that ran out mid-fetch) run one after the other.
      const [columns] = await queryRows<SourceColumns>(db, 'SELECT * FROM sources WHERE id = $1 FOR UPDATE', [
        sourceId,
      ]);
      if (!columns) throw new Error(`cannot commit fetch: no source with id ${sourceId}`);
      const source = sourceFromColumns(columns);
      await writeSourceState(db, source, sourceAfterFetch(source, cp));
      const counts =
        entryRows.length > 0
          ? await storeEntries(db, sourceId, plannedFetch(source, cp), entryRows)
          : { newCount: 0, updatedCount: 0 };
      crashPoint('commit');
      // The source's rows past the kept days go in the same round trip, and so do /metrics' past minutes and
      // emptied due buckets: those locked by another commit are passed over (a later commit drops them),
      // never waited for.
      await queryRows(
        db,
        `WITH expired AS (DELETE FROM fetch_log WHERE source_id = $1 AND at < $10),
          past AS (DELETE FROM fetch_window WHERE (minute, shard, http_status) IN (
            SELECT minute, shard, http_status FROM fetch_window WHERE minute < $11 FOR UPDATE SKIP LOCKED)),
          emptied AS (DELETE FROM due_counts WHERE (span, upto, shard) IN (
            SELECT span, upto, shard FROM due_counts WHERE sources = 0 FOR UPDATE SKIP LOCKED))
        INSERT INTO fetch_log (${FETCH_LOG_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          ...fetchLogValues(sourceId, cp, counts),
          fetchLogHorizonMs(fetchedMs),
          fetchWindowHorizonMinute(fetchedMs),
        ],
      );
      return counts;
    }, 'commit');
  }

  async river(query: RiverQuery): Promise<RiverPage> {
    const params: unknown[] = [];
    const dialect: RiverDialect = {
      param: (value) => `$${params.push(value)}`,
      inList: (column, ids) => `${column} = ANY(${dialect.param(ids)}::bigint[])`,
      notBacklog: (column) => `NOT ${column}`,
    };
    const sql = riverSql(query, dialect, ENTRY_COLUMNS.replace(/\w+/g, 'e.$&'));
    return riverPage(await queryRows<EntryColumns>(this.#pool, sql, params), query.limit);
  }

  async riverDatesAround(ms: number): Promise<{ before?: Date; since?: Date }> {
    const [row] = await queryRows<{ before: number | null; since: number | null }>(
      this.#pool,
      `SELECT (SELECT max(date_published) FROM entries WHERE NOT backlog AND date_published < $1) AS before,
        (SELECT min(date_published) FROM entries WHERE NOT backlog AND date_published >= $1) AS since`,
      [ms],
    );
    return datesAround(row!);
  }

  async riverTags(): Promise<string[]> {
    const rows = await queryRows<{ tag: string }>(
      this.#pool,
      'SELECT DISTINCT tag COLLATE "C" AS tag FROM entry_tags WHERE NOT backlog ORDER BY 1',
    );
    return rows.map((r) => r.tag);
  }

  async entrySources(ids: readonly EntryId[]): Promise<Map<EntryId, SourceId[]>> {
    const rows = await queryRows<{ entry_id: number; source_id: number }>(
      this.#pool,
      `SELECT c.entry_id, c.source_id FROM entry_sources c JOIN entries e ON e.id = c.entry_id
      WHERE c.entry_id = ANY($1::bigint[]) AND c.source_id <> e.source_id
      ORDER BY c.entry_id, c.first_seen_at, c.source_id`,
      [ids],
    );
    return carriersByEntry(rows);
  }

  async getEntry(id: number): Promise<StoredEntry | undefined> {
    const [row] = await queryRows<EntryColumns>(
      this.#pool,
      `SELECT ${ENTRY_COLUMNS} FROM entries WHERE id = $1`,
      [id],
    );
    return row && entryFromColumns(row);
  }

  search(request: SearchRequest): Promise<SearchPage> {
    return this.#searcher.search(request);
  }

  async fetchLog(since: Date, sourceId?: SourceId): Promise<FetchLogRow[]> {
    const log = await queryRows<FetchLogColumns>(
      this.#pool,
      sourceId === undefined
        ? 'SELECT * FROM fetch_log WHERE at >= $1 ORDER BY at, id'
        : 'SELECT * FROM fetch_log WHERE at >= $1 AND source_id = $2 ORDER BY at, id',
      sourceId === undefined ? [since.getTime()] : [since.getTime(), sourceId],
    );
    return log.map(fetchLogFromColumns);
  }

  /** Whether `migrate()` ever ran on this schema: false for a schema (or database) without its tables. */
  async initialized(): Promise<boolean> {
    try {
      const [row] = await queryRows<{ present: boolean }>(
        this.#pool,
        "SELECT to_regclass('schema_migrations') IS NOT NULL AS present",
      );
      return row!.present;
    } catch (error) {
      throw new Error(`cannot open store ${this.#redactedUrl}: ${this.#explain(error)}`, {
        cause: error,
      });
    }
  }

  async checkWritable(): Promise<void> {
    try {
      // Refused before any row is read in a read-only transaction (default_transaction_read_only, a standby).
      await this.#pool.query('UPDATE schema_migrations SET applied_at = applied_at WHERE false');
    } catch (error) {
      throw new Error(`cannot write to database ${this.#redactedUrl}: ${this.#explain(error)}`, {
        cause: error,
      });
    }
  }

  async stats(): Promise<{ sources: number; entries: number }> {
    const [counts] = await queryRows<{ sources: number; entries: number }>(
      this.#pool,
      'SELECT (SELECT count(*) FROM sources) AS sources, (SELECT count(*) FROM entries) AS entries',
    );
    return counts!;
  }

  async setting(name: SettingName): Promise<string | undefined> {
    const [row] = await queryRows<{ value: string }>(
      this.#pool,
      'SELECT value FROM settings WHERE name = $1',
      [name],
    );
    return row?.value;
  }

  /** The error's message, or what it means when it is about reaching the server. */
  #explain(error: unknown): string {
    return connectionFailure(error, this.#target) ?? (error as Error).message;
  }

  /**
   * Runs `work` in one transaction on one connection; all or nothing, retried on deadlock. With `reconnect`
   * (naming the work, for the log), a lost connection is retried too, with back-off, for up to
   * RECONNECT_FOR_MS; `work` is then told so, since the lost attempt may have committed.
   */
  async #transaction<T>(
    work: (db: pg.PoolClient, afterLoss: boolean) => Promise<T>,
    reconnect?: string,
  ): Promise<T> {
    const started = Date.now();
    let deadlocks = 0;
    let losses = 0;
    for (;;) {
      let client: pg.PoolClient | undefined;
      let broken: Error | undefined;
      // The socket dying while the client is out of the pool: the query in progress fails with it, and
      // without a listener the client's 'error' event would crash the process.
      const onError = (error: Error) => {
        broken = error;
      };
      try {
        client = await this.#pool.connect();
        client.on('error', onError);
        await client.query('BEGIN');
        const result = await work(client, losses > 0);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // A connection that cannot even roll back is closed rather than returned to the pool.
        if (client && !broken)
          broken = await client.query('ROLLBACK').then(
            () => undefined,
            (e: Error) => e,
          );
        if (++deadlocks < MAX_ATTEMPTS && RETRYABLE.has((error as { code?: string }).code ?? '')) continue;
        if (!reconnect || !isConnectionLoss(error) || Date.now() - started > RECONNECT_FOR_MS) throw error;
        const delayMs = retryDelayMs(++losses, Math.random);
        this.#log?.warn(
          { error: (error as Error).message, retryInMs: delayMs },
          `lost the connection to the database ${this.#redactedUrl} during a ${reconnect}; retrying`,
        );
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      } finally {
        client?.removeListener('error', onError);
        client?.release(broken);
      }
    }
  }
}

/**
 * Query rows. PostgreSQL text cannot hold U+0000 (SQLite's can): a feed that carries one must not fail its
 * checkpoint on every fetch, so the character is dropped from every value sent.
 */
async function queryRows<R extends pg.QueryResultRow>(
  db: Queryable,
  text: string,
  values: unknown[] = [],
): Promise<R[]> {
  return (await db.query<R>(text, values.map(withoutNul))).rows;
}

function withoutNul(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\0') ? value.replaceAll('\0', '') : value;
  return Array.isArray(value) ? value.map(withoutNul) : value;
}

async function writeSourceState(db: pg.PoolClient, source: Source, state: SourceFetchState): Promise<void> {
  if (state.movedTo !== undefined && state.movedTo !== source.movedTo) {
    const [holder] = await queryRows<{ id: number }>(
      db,
      'SELECT id FROM sources WHERE (url = $1 OR moved_to = $1) AND id <> $2 LIMIT 1',
      [state.movedTo, source.id],
    );
    if (holder) stopAtSubscribedUrl(state, source, Number(holder.id));
  }
  const columns = sourceStateColumns(state);
  const names = Object.keys(columns);
  await queryRows(
    db,
    `UPDATE sources SET ${names.map((c, i) => `${c} = $${i + 2}`).join(', ')}, lease_owner = NULL,
      lease_until = NULL WHERE id = $1`,
    [source.id, ...Object.values(columns)],
  );
}

/** Looks up what the batch needs, decides (`planEntryWrites`), then writes in one INSERT and few UPDATEs. */
async function storeEntries(
  db: pg.PoolClient,
  sourceId: SourceId,
  fetch: PlannedFetch,
  entryRows: EntryRow[],
): Promise<CommitResult> {
  const own = ownCopies(
    await queryRows<OwnCopyColumns>(
      db,
      `SELECT ${OWN_COPY_COLUMNS} FROM entries WHERE dedupe_key = ANY($1::text[])`,
      [entryRows.map((r) => r.dedupeKey)],
    ),
  );

  // Articles this fetch may write are locked before other sources' copies are looked up: a second
  // worker bringing the same article waits here until this commit is visible, then finds it.
  const written = entryRows.filter((r) => own.get(r.dedupeKey)?.contentHash !== r.contentHash);
  const urls = [...new Set(written.map(articleUrl).filter((u) => u !== undefined))];
  let others: OtherCopies = new Map();
  if (urls.length > 0) {
    const buckets = [...new Set(urls.map(lockBucket))].sort((a, b) => a - b); // one order: no deadlock
    await queryRows(db, 'SELECT pg_advisory_xact_lock($1, b) FROM unnest($2::int[]) AS b', [
      ARTICLE_LOCKS,
      buckets,
    ]);
    // One index probe per URL (LATERAL, kept apart from the join by OFFSET 0): without statistics —
    // autovacuum off, or a table that just grew — `canonical_url = ANY(…)` is planned as a full scan.
    others = otherCopies(
      await queryRows<OtherCopyColumns>(
        db,
        `SELECT ${OTHER_COPY_COLUMNS}
        FROM unnest($1::text[]) AS u (url)
          CROSS JOIN LATERAL (SELECT id, canonical_url, source_id, first_seen_at FROM entries
            WHERE canonical_url = u.url AND source_id <> $2 OFFSET 0) AS e
          JOIN sources s ON s.id = e.source_id
        ORDER BY e.id`,
        [urls, sourceId],
      ),
    );
  }

  const plan = planEntryWrites(entryRows, fetch, own, others);
  // Entries written, and their tags: tag rows are written after the entries, as they copy their river place.
  const tagged: { id: number; row: EntryRow }[] = [];
  let inserted = 0;
  if (plan.inserts.length > 0) {
    // A conflict on the dedupe key cannot happen under the source's row lock; if it ever did, the row
    // already there is kept and not counted as new.
    const params = insertParams(sourceId, fetch.fetchedMs, plan.inserts);
    const ids = await queryRows<{ id: number; dedupe_key: string }>(db, INSERT_ENTRIES, params);
    const byKey = new Map(plan.inserts.map(({ row }) => [row.dedupeKey, row]));
    for (const { id, dedupe_key } of ids) tagged.push({ id, row: byKey.get(dedupe_key)! });
    inserted = ids.length;
  }
  for (const update of plan.updates) {
    await queryRows(db, UPDATE_ENTRY, updateParams(sourceId, fetch.fetchedMs, update));
    tagged.push(update);
  }
  if (plan.updates.length > 0)
    await queryRows(db, 'DELETE FROM entry_tags WHERE entry_id = ANY($1::bigint[])', [
      plan.updates.map((u) => u.id),
    ]);
  const tags = tagged.flatMap(({ id, row }) => entryTagKeys(row.tagsJson).map((tag) => [id, tag] as const));
  if (tags.length > 0)
    await queryRows(db, INSERT_ENTRY_TAGS, [tags.map(([id]) => id), tags.map(([, t]) => t)]);
  if (plan.carriers.length > 0)
    await queryRows(
      db,
      `INSERT INTO entry_sources SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[])
      ON CONFLICT DO NOTHING`,
      [
        plan.carriers.map((c) => c.entryId),
        plan.carriers.map((c) => c.sourceId),
        plan.carriers.map((c) => c.seenMs),
      ],
    );
  return { newCount: inserted, updatedCount: plan.counts.updatedCount };
}

/** FNV-1a: a cheap, stable spread of URLs over the lock buckets (not a security boundary). */
function lockBucket(url: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < url.length; i++) hash = Math.imul(hash ^ url.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % ARTICLE_LOCK_BUCKETS;
}
