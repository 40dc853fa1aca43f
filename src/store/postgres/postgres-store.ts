/**
 * The PostgreSQL backend (node-postgres pool), for many workers sharing one database. Same tables, dedupe
 * rules and checkpoint as the SQLite backend; what differs is concurrency: sources are claimed with leases
 * (`FOR UPDATE SKIP LOCKED`), a source's commits are serialised by its row lock, and the same article
 * arriving from two sources in two workers at once is serialised by an advisory lock on its URL.
 */
import pg from 'pg';
import { sourceUrl } from '../canonical-url.js';
import {
  articleUrl,
  type OtherCopies,
  OWN_COPY_COLUMNS,
  type OwnCopyColumns,
  ownCopies,
  type PlannedFetch,
  planEntryWrites,
  plannedFetch,
} from '../entry-plan.js';
import { checkpointRows, type EntryColumns, type EntryRow, entryFromColumns } from '../entry-row.js';
import {
  activityFrom,
  type FetchDayColumns,
  fetchDaysSql,
  fetchMetricsFrom,
  httpStatusSql,
  type LatencyColumns,
  latencySql,
  metricsSql,
  recentPostsSql,
  SOURCE_COUNTS_SQL,
  sourceCountsFrom,
  sourcesPageFrom,
  sourcesPageSql,
} from '../shared-sql.js';
import {
  fetchLogHorizonMs,
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
  searchWords,
  sourceFromColumns,
  sourceStateColumns,
  sourceUrlOrRaw,
} from '../sql-rows.js';
import {
  type CommitResult,
  type DeclaredSource,
  type FetchCheckpoint,
  type FetchLogRow,
  type FetchMetrics,
  LEARNED_OPTION_KEYS,
  type LearnedOptions,
  type NewSource,
  type RiverPage,
  type RiverQuery,
  type Source,
  type SourceActivity,
  type SourceCounts,
  type SourceId,
  type SourcesPage,
  type SourcesQuery,
  type Store,
  type StoredEntry,
  type SyncResult,
} from '../store.js';
import { postgresTarget } from './connection.js';
import {
  INSERT_ENTRIES,
  indexedText,
  insertParams,
  SEARCH_QUERY,
  UPDATE_ENTRY,
  updateParams,
} from './entry-writes.js';
import { MIGRATIONS } from './migrations.js';

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

/** Every entry column but `search`, which is large and only the index reads. */
const ENTRY_COLUMNS = `id, source_id, guid, url, canonical_url, title, content_html, content_text, summary,
  image, authors, tags, attachments, extra, date_published, date_modified, claimed_published, first_seen_at,
  updated_at`;

export class PostgresStore implements Store {
  readonly #pool: pg.Pool;
  readonly #schema: string | undefined;
  readonly #redactedUrl: string;

  constructor(databaseUrl: string) {
    const target = postgresTarget(databaseUrl);
    this.#pool = new pg.Pool(target.config);
    this.#schema = target.schema;
    this.#redactedUrl = target.redactedUrl;
    // An idle connection the server dropped is discarded by the pool (the next query opens another);
    // without a listener the 'error' event would crash the process.
    this.#pool.on('error', () => {});
  }

  async migrate(): Promise<void> {
    try {
      await this.#transaction(async (db) => {
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
          await db.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
            m.version,
            m.name,
            Date.now(),
          ]);
        }
      });
    } catch (error) {
      throw new Error(`cannot migrate store ${this.#redactedUrl}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  async close(): Promise<void> {
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

  async fetchMetrics(now: Date, since: Date, boundsMs: readonly number[]): Promise<FetchMetrics> {
    const [[row], codes] = await Promise.all([
      queryRows(this.#pool, metricsSql('$1::bigint', '$2::bigint', boundsMs), [
        now.getTime(),
        since.getTime(),
      ]),
      queryRows<{ code: number; count: number }>(this.#pool, httpStatusSql('$1::bigint'), [since.getTime()]),
    ]);
    return fetchMetricsFrom(row!, codes, boundsMs);
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
      `SELECT * FROM sources
      WHERE status IN ('active', 'error') AND retired_at IS NULL AND (next_fetch_at IS NULL OR next_fetch_at <= $1)
      ORDER BY next_fetch_at NULLS FIRST, id LIMIT $2`,
      [now.getTime(), limit],
    );
    return due.map(sourceFromColumns);
  }

  async claimDueSources(now: Date, limit: number, workerId: string, leaseSeconds: number): Promise<Source[]> {
    // SKIP LOCKED: a row another claimer is taking is passed over, not waited for; one it has already
    // taken is re-checked against the committed lease and left out.
    const claimed = await queryRows<SourceColumns>(
      this.#pool,
      `WITH due AS (
        SELECT id FROM sources
        WHERE status IN ('active', 'error') AND retired_at IS NULL
          AND (next_fetch_at IS NULL OR next_fetch_at <= $1) AND (lease_until IS NULL OR lease_until <= $1)
        ORDER BY next_fetch_at NULLS FIRST, id LIMIT $2
        FOR UPDATE SKIP LOCKED)
      UPDATE sources s SET lease_owner = $3, lease_until = $4 FROM due WHERE s.id = due.id
      RETURNING s.*`,
      [now.getTime(), limit, workerId, leaseEndMs(now, leaseSeconds)],
    );
    // UPDATE … RETURNING does not keep the CTE's order.
    const dueOrder = (c: SourceColumns) => c.next_fetch_at ?? Number.NEGATIVE_INFINITY;
    claimed.sort((a, b) => dueOrder(a) - dueOrder(b) || a.id - b.id);
    return claimed.map(sourceFromColumns);
  }

  async commitFetch(sourceId: SourceId, cp: FetchCheckpoint): Promise<CommitResult> {
    const fetchedMs = cp.fetchedAt.getTime();
    const entryRows = checkpointRows(cp, sourceId);
    return this.#transaction(async (db) => {
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
      // The source's rows past the kept days go in the same round trip.
      await queryRows(
        db,
        `WITH expired AS (DELETE FROM fetch_log WHERE source_id = $1 AND at < $10)
        INSERT INTO fetch_log (${FETCH_LOG_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [...fetchLogValues(sourceId, cp, counts), fetchLogHorizonMs(fetchedMs)],
      );
      return counts;
    });
  }

  async river(query: RiverQuery): Promise<RiverPage> {
    if (!Number.isInteger(query.limit) || query.limit < 1) {
      throw new RangeError(`river limit must be a positive integer, not ${query.limit}`);
    }
    const where: string[] = [];
    const params: number[] = [];
    if (query.sourceId !== undefined) {
      params.push(query.sourceId);
      where.push(`source_id = $${params.length}`);
    } else where.push('NOT backlog');
    if (query.before) {
      params.push(query.before.publishedMs, query.before.id);
      where.push(`(date_published, id) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(query.limit + 1);
    // One row past the page says whether there is a next page without a count.
    const found = await queryRows<EntryColumns>(
      this.#pool,
      `SELECT ${ENTRY_COLUMNS} FROM entries ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY date_published DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    const page = found.slice(0, query.limit);
    const last = page.at(-1);
    return {
      entries: page.map(entryFromColumns),
      ...(found.length > query.limit && last
        ? { next: { publishedMs: last.date_published, id: last.id } }
        : {}),
    };
  }

  async getEntry(id: number): Promise<StoredEntry | undefined> {
    const [row] = await queryRows<EntryColumns>(
      this.#pool,
      `SELECT ${ENTRY_COLUMNS} FROM entries WHERE id = $1`,
      [id],
    );
    return row && entryFromColumns(row);
  }

  async search(query: string, limit: number): Promise<StoredEntry[]> {
    const words = searchWords(query);
    if (words.length === 0) return [];
    const found = await queryRows<EntryColumns>(
      this.#pool,
      `SELECT ${ENTRY_COLUMNS} FROM entries, ${SEARCH_QUERY} AS q
      WHERE search @@ q ORDER BY ts_rank(search, q) DESC, id DESC LIMIT $2`,
      [indexedText(words.join(' ')), limit],
    );
    return found.map(entryFromColumns);
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
      throw new Error(`cannot open store ${this.#redactedUrl}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  async checkWritable(): Promise<void> {
    try {
      // Refused before any row is read in a read-only transaction (default_transaction_read_only, a standby).
      await this.#pool.query('UPDATE schema_migrations SET applied_at = applied_at WHERE false');
    } catch (error) {
      throw new Error(`cannot write to database ${this.#redactedUrl}: ${(error as Error).message}`, {
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

  /** Runs `work` in one transaction on one connection; all or nothing, retried on deadlock. */
  async #transaction<T>(work: (db: pg.PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.#pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // A connection that cannot even roll back is closed rather than returned to the pool.
        broken = await client.query('ROLLBACK').then(
          () => undefined,
          (e: Error) => e,
        );
        if (attempt < MAX_ATTEMPTS && RETRYABLE.has((error as { code?: string }).code ?? '')) continue;
        throw error;
      } finally {
        client.release(broken);
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
  const others: OtherCopies = new Map();
  if (urls.length > 0) {
    const buckets = [...new Set(urls.map(lockBucket))].sort((a, b) => a - b); // one order: no deadlock
    await queryRows(db, 'SELECT pg_advisory_xact_lock($1, b) FROM unnest($2::int[]) AS b', [
      ARTICLE_LOCKS,
      buckets,
    ]);
    // One index probe per URL (LATERAL, kept apart from the join by OFFSET 0): without statistics —
    // autovacuum off, or a table that just grew — `canonical_url = ANY(…)` is planned as a full scan.
    const found = await queryRows<{ id: number; canonical_url: string; site: string }>(
      db,
      `SELECT e.id, e.canonical_url, coalesce(s.home_page_url, s.url) AS site
      FROM unnest($1::text[]) AS u (url)
        CROSS JOIN LATERAL (SELECT id, canonical_url, source_id FROM entries
          WHERE canonical_url = u.url AND source_id <> $2 OFFSET 0) AS e
        JOIN sources s ON s.id = e.source_id
      ORDER BY e.id`,
      [urls, sourceId],
    );
    for (const r of found) {
      const list = others.get(r.canonical_url) ?? [];
      list.push({ id: r.id, site: r.site });
      others.set(r.canonical_url, list);
    }
  }

  const plan = planEntryWrites(entryRows, fetch, own, others);
  let inserted = 0;
  if (plan.inserts.length > 0) {
    // A conflict on the dedupe key cannot happen under the source's row lock; if it ever did, the row
    // already there is kept and not counted as new.
    const params = insertParams(sourceId, fetch.fetchedMs, plan.inserts);
    inserted = (await queryRows(db, INSERT_ENTRIES, params)).length;
  }
  for (const update of plan.updates)
    await queryRows(db, UPDATE_ENTRY, updateParams(sourceId, fetch.fetchedMs, update));
  return { newCount: inserted, updatedCount: plan.counts.updatedCount };
}

/** FNV-1a: a cheap, stable spread of URLs over the lock buckets (not a security boundary). */
function lockBucket(url: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < url.length; i++) hash = Math.imul(hash ^ url.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % ARTICLE_LOCK_BUCKETS;
}
