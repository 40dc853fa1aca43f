/**
 * The SQLite backend (better-sqlite3, WAL). better-sqlite3 is synchronous — the fastest way to drive SQLite
 * from Node — and the methods are async only to share the `Store` interface with PostgreSQL.
 */
import Database from 'better-sqlite3';
import { crashPoint } from '../../crash-point.js';
import { sourceUrl } from '../canonical-url.js';
import {
  articleUrl,
  type EntryUpdate,
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
import {
  checkpointRows,
  type EntryColumns,
  type EntryRow,
  entryFromColumns,
  searchText,
} from '../entry-row.js';
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
  pollHost,
  type SourceFetchState,
  sourceAfterFetch,
  stopAtSubscribedUrl,
} from '../source-update.js';
import {
  declaredJson,
  entryParams,
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
  type SyncResult,
} from '../store.js';
import { entryTagKeys } from '../tags.js';
import { INSERT_ENTRY_TAGS, MIGRATIONS } from './migrations.js';
import { inlineSearcher, type Searcher, SearchThreads } from './search-threads.js';

const ENTRY_WRITE_COLUMNS = `guid = @guid, url = @url, canonical_url = @canonical_url, title = @title,
  content_html = @content_html, content_text = @content_text, summary = @summary, image = @image,
  authors = @authors, tags = @tags, attachments = @attachments, extra = @extra, content_hash = @content_hash,
  claimed_published = @claimed_published, claimed_modified = @claimed_modified`;

const DUE_AT_NOW = dueSql('@now');

/**
 * Group commit: a checkpoint waits up to this long for others to share its transaction. One durable commit
 * (a WAL fsync) costs ~1 ms here whatever it holds, so a cold refresh cycle committing each source alone
 * spends a fifth of its main thread on them. refreshAll does not wait for commits to go on fetching.
 */
const GROUP_COMMIT_WINDOW_MS = 10;
/** A batch this large commits without waiting out the window. */
const GROUP_COMMIT_MAX = 64;

export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();
  #pendingCommits: {
    sourceId: SourceId;
    cp: FetchCheckpoint;
    resolve: (r: CommitResult) => void;
    reject: (e: unknown) => void;
  }[] = [];
  #flushTimer: NodeJS.Timeout | undefined;
  /** #commitOne as a transaction (a savepoint inside a batch's), built once: better-sqlite3 builds a
   * wrapper per `transaction()` call, which was a fifth of the cost of committing a 304. */
  readonly #commitOneTransaction: (sourceId: SourceId, cp: FetchCheckpoint) => CommitResult;
  readonly #searcher: Searcher;

  /**
   * `mustExist`: open only an existing file (the caller checks `initialized()` next); never create one.
   * `search`: how many searches run at once, on threads of their own, and for how long.
   */
  constructor(
    path: string,
    { mustExist = false, search = {} }: { mustExist?: boolean; search?: Partial<SearchLimits> } = {},
  ) {
    this.#db = new Database(path, { fileMustExist: mustExist });
    this.#db.pragma('journal_mode = WAL');
    // FULL, not NORMAL: in WAL mode NORMAL survives a process crash but may lose the last commits on power
    // loss, and a post the river already showed must never vanish. FULL costs one WAL fsync per commit
    // (~0.15 ms on the dev VM) and the store commits once per fetch (a whole feed per transaction).
    this.#db.pragma('synchronous = FULL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.pragma('foreign_keys = ON');
    this.#commitOneTransaction = this.#db.transaction((sourceId: SourceId, cp: FetchCheckpoint) =>
      this.#commitOne(sourceId, cp),
    );
    // The host a source is polled at, for claims that pass over busy hosts: the same function the fetcher uses.
    this.#db.function('poll_host', { deterministic: true }, (url, movedTo, options) =>
      pollHost({
        url: url as string,
        movedTo: (movedTo as string | null) ?? undefined,
        options: JSON.parse(options as string),
      }),
    );
    this.#searcher = this.#db.memory ? inlineSearcher(this.#db, search) : new SearchThreads(path, search);
  }

  async migrate(): Promise<void> {
    this.#db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT`);
    // IMMEDIATE takes the write lock first, so two processes starting together apply each migration once.
    this.#db
      .transaction(() => {
        const applied = new Set(
          this.#db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[],
        );
        const known = MIGRATIONS.at(-1)?.version ?? 0;
        const newest = Math.max(0, ...applied);
        if (newest > known) {
          throw new Error(
            `database schema version ${newest} is newer than this Tributary (knows up to ${known})`,
          );
        }
        for (const m of MIGRATIONS) {
          if (applied.has(m.version)) continue;
          this.#db.exec(m.sql);
          m.backfill?.(this.#db);
          this.#db
            .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
            .run(m.version, m.name, Date.now());
        }
      })
      .immediate();
  }

  async close(): Promise<void> {
    this.#flushCommits();
    await this.#searcher.close();
    if (this.#db.open) this.#db.close();
  }

  async addSource(input: NewSource): Promise<Source> {
    return this.#db.transaction(() => {
      this.#forgetSync();
      const row = this.#stmt(`INSERT INTO sources (url, name, author, options, created_at)
        VALUES (@url, @name, @author, coalesce(@options, '{}'), @now)
        ON CONFLICT (url) DO UPDATE SET name = coalesce(excluded.name, name),
          author = coalesce(excluded.author, author), options = coalesce(@options, options), retired_at = NULL,
          config_hash = NULL
        RETURNING *`).get({
        url: sourceUrl(input.url),
        name: input.name ?? null,
        author: input.author ?? null,
        options: input.options ? JSON.stringify(input.options) : null,
        now: Date.now(),
      }) as SourceColumns;
      return sourceFromColumns(row);
    })();
  }

  async syncSources(
    listHash: string,
    declared: () => readonly DeclaredSource[],
    at: Date,
  ): Promise<SyncResult> {
    const synced = () => this.#stmt('SELECT sources_hash FROM config_sync').pluck().get() === listHash;
    if (synced()) return { added: 0, updated: 0, retired: 0, unchanged: true };
    // IMMEDIATE: a second process waits for the first, then finds the list synced.
    return this.#db
      .transaction((): SyncResult => {
        if (synced()) return { added: 0, updated: 0, retired: 0, unchanged: true };
        this.#db.exec(`CREATE TEMP TABLE IF NOT EXISTS declared_sources (
          url TEXT PRIMARY KEY, name TEXT, author TEXT, options TEXT NOT NULL, config_hash TEXT NOT NULL)`);
        this.#stmt('DELETE FROM temp.declared_sources').run();
        this.#stmt(`INSERT INTO temp.declared_sources
          SELECT value ->> 'url', value ->> 'name', value ->> 'author', value ->> 'options', value ->> 'config_hash'
          FROM json_each(?)`).run(declaredJson(declared()));
        const added = this.#stmt(`SELECT count(*) FROM temp.declared_sources d
          WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.url = d.url)`)
          .pluck()
          .get() as number;
        // Only new and changed rows are written. Learned options are taken from the row as it is now.
        const written = this.#stmt(`INSERT INTO sources (url, name, author, options, config_hash, created_at)
          SELECT d.url, d.name, d.author, d.options, d.config_hash, @at
          FROM temp.declared_sources d LEFT JOIN sources s ON s.url = d.url
          WHERE s.id IS NULL OR s.config_hash IS NOT d.config_hash OR s.retired_at IS NOT NULL
          ON CONFLICT (url) DO UPDATE SET name = excluded.name, author = excluded.author,
            options = json_patch((SELECT json_group_object(key, value) FROM json_each(sources.options)
              WHERE key IN (SELECT value FROM json_each(@learned))), excluded.options),
            config_hash = excluded.config_hash, retired_at = NULL`).run({
          at: at.getTime(),
          learned: JSON.stringify(LEARNED_OPTION_KEYS),
        }).changes;
        const retired = this.#stmt(`UPDATE sources SET retired_at = ?, lease_owner = NULL, lease_until = NULL
          WHERE retired_at IS NULL AND url NOT IN (SELECT url FROM temp.declared_sources)`).run(
          at.getTime(),
        ).changes;
        this.#stmt('DELETE FROM temp.declared_sources').run();
        this.#stmt(`INSERT INTO config_sync (id, sources_hash, synced_at) VALUES (1, ?, ?)
          ON CONFLICT (id) DO UPDATE SET sources_hash = excluded.sources_hash, synced_at = excluded.synced_at`).run(
          listHash,
          at.getTime(),
        );
        return { added, updated: written - added, retired, unchanged: false };
      })
      .immediate();
  }

  async retireSources(ids: readonly SourceId[], at: Date): Promise<number> {
    return this.#db.transaction(() => {
      this.#forgetSync();
      return this.#stmt(`UPDATE sources SET retired_at = ?, lease_owner = NULL, lease_until = NULL
        WHERE retired_at IS NULL AND id IN (SELECT value FROM json_each(?))`).run(
        at.getTime(),
        JSON.stringify(ids),
      ).changes;
    })();
  }

  /** The sources changed outside a config sync: the next sync runs in full. */
  #forgetSync(): void {
    this.#stmt('DELETE FROM config_sync').run();
  }

  async purgeSource(idOrUrl: SourceId | string): Promise<{ entries: number } | undefined> {
    return this.#db
      .transaction(() => {
        const id = (
          typeof idOrUrl === 'number'
            ? this.#stmt('SELECT id FROM sources WHERE id = ?').pluck().get(idOrUrl)
            : this.#stmt('SELECT id FROM sources WHERE url = ?').pluck().get(sourceUrlOrRaw(idOrUrl))
        ) as number | undefined;
        if (id === undefined) return undefined;
        // Entries and the fetch log go with the row (ON DELETE CASCADE; the FTS trigger follows).
        const entries = this.#stmt('SELECT count(*) FROM entries WHERE source_id = ?')
          .pluck()
          .get(id) as number;
        this.#stmt('DELETE FROM sources WHERE id = ?').run(id);
        this.#forgetSync();
        return { entries };
      })
      .immediate();
  }

  async listSources(): Promise<Source[]> {
    return (this.#stmt('SELECT * FROM sources ORDER BY id').all() as SourceColumns[]).map(sourceFromColumns);
  }

  async getSources(ids: readonly SourceId[]): Promise<Source[]> {
    if (ids.length === 0) return [];
    const rows = this.#stmt('SELECT * FROM sources WHERE id IN (SELECT value FROM json_each(?))').all(
      JSON.stringify(ids),
    ) as SourceColumns[];
    return rows.map(sourceFromColumns);
  }

  async sourceCounts(): Promise<SourceCounts> {
    return sourceCountsFrom(this.#stmt(SOURCE_COUNTS_SQL).all() as Parameters<typeof sourceCountsFrom>[0]);
  }

  async sourcesPage(query: SourcesQuery): Promise<SourcesPage> {
    const { text, values } = sourcesPageSql(query, () => '?');
    return sourcesPageFrom(this.#stmt(text).all(...values) as SourceColumns[], query.limit);
  }

  async peoplePage(query: PeopleQuery): Promise<PeoplePage> {
    const { text, values } = peopleKeysSql(query, () => '?');
    const keys = this.#stmt(text)
      .pluck()
      .all(...values) as string[];
    const rows = this.#stmt(peopleSourcesSql('IN (SELECT value FROM json_each(?))')).all(
      JSON.stringify(keys.slice(0, query.limit)),
    ) as SourceColumns[];
    return peoplePageFrom(keys, rows, query.limit);
  }

  async sourceActivity(
    ids: readonly SourceId[],
    logSince: Date,
    postsSince: Date,
  ): Promise<Map<SourceId, SourceActivity>> {
    const idsIn = 'IN (SELECT value FROM json_each(@ids))';
    const log = { ids: JSON.stringify(ids), since: logSince.getTime() };
    return activityFrom(
      ids,
      this.#stmt(fetchDaysSql(idsIn, '@since')).all(log) as FetchDayColumns[],
      this.#stmt(
        latencySql('(SELECT value AS id FROM json_each(@ids)) AS ids', '@since', 'json_group_array'),
      ).all(log) as LatencyColumns[],
      this.#stmt(recentPostsSql(idsIn, '@since')).all({ ids: log.ids, since: postsSince.getTime() }) as {
        source_id: number;
        posts: number;
      }[],
    );
  }

  async fetchMetrics(now: Date, since: Date): Promise<FetchMetrics> {
    const { from, minute, hour } = metricsMinutes(now, since);
    return fetchMetricsFrom(
      this.#stmt(metricsSql('@minute', '@hour')).get({ minute, hour }) as Record<string, unknown>,
      this.#stmt(fetchWindowSql('?')).all(from) as Record<string, unknown>[],
    );
  }

  async getSource(id: SourceId): Promise<Source | undefined> {
    const row = this.#sourceColumns(id);
    return row && sourceFromColumns(row);
  }

  async setLearned<K extends keyof LearnedOptions>(
    id: SourceId,
    key: K,
    value: LearnedOptions[K] | undefined,
  ): Promise<Source | undefined> {
    const row = this.#stmt(`UPDATE sources SET options = CASE WHEN @value IS NULL
        THEN json_remove(options, @path) ELSE json_set(options, @path, json(@value)) END
      WHERE id = @id RETURNING *`).get({ id, path: `$."${key}"`, value: learnedValue(value) }) as
      | SourceColumns
      | undefined;
    return row && sourceFromColumns(row);
  }

  async dueSources(now: Date, limit: number): Promise<Source[]> {
    const rows = this.#stmt(`SELECT * FROM sources WHERE ${DUE_AT_NOW} ${DUE_ORDER} LIMIT @limit`).all({
      now: now.getTime(),
      limit,
    }) as SourceColumns[];
    return rows.map(sourceFromColumns);
  }

  async claimDueSources(
    now: Date,
    limit: number,
    workerId: string,
    leaseSeconds: number,
    skipHosts: readonly string[] = [],
  ): Promise<Source[]> {
    const nowMs = now.getTime();
    const leaseUntil = leaseEndMs(now, leaseSeconds);
    const skip =
      skipHosts.length > 0
        ? 'AND poll_host(url, moved_to, options) NOT IN (SELECT value FROM json_each(@skip))'
        : '';
    // IMMEDIATE: the write lock is taken before the read, so two processes never pick the same rows.
    return this.#db
      .transaction(() => {
        const rows = this.#stmt(claimableSql('*', '@now', '@limit', skip)).all({
          now: nowMs,
          limit,
          ...(skip && { skip: JSON.stringify(skipHosts) }),
        }) as SourceColumns[];
        const lease = this.#stmt('UPDATE sources SET lease_owner = ?, lease_until = ? WHERE id = ?');
        for (const row of rows) lease.run(workerId, leaseUntil, row.id);
        return rows.map((row) =>
          sourceFromColumns({ ...row, lease_owner: workerId, lease_until: leaseUntil }),
        );
      })
      .immediate();
  }

  async renewLeases(
    ids: readonly SourceId[],
    workerId: string,
    now: Date,
    leaseSeconds: number,
  ): Promise<SourceId[]> {
    if (ids.length === 0) return [];
    return this.#stmt(`UPDATE sources SET lease_until = @until
      WHERE lease_owner = @worker AND id IN (SELECT value FROM json_each(@ids)) RETURNING id`)
      .pluck()
      .all({
        until: leaseEndMs(now, leaseSeconds),
        worker: workerId,
        ids: JSON.stringify(ids),
      }) as SourceId[];
  }

  async releaseLeases(ids: readonly SourceId[], workerId: string): Promise<void> {
    if (ids.length === 0) return;
    this.#stmt(`UPDATE sources SET lease_owner = NULL, lease_until = NULL
      WHERE lease_owner = @worker AND id IN (SELECT value FROM json_each(@ids))`).run({
      worker: workerId,
      ids: JSON.stringify(ids),
    });
  }

  /**
   * Group commit: checkpoints arriving within GROUP_COMMIT_WINDOW_MS share one transaction, each inside its
   * own savepoint. Each stays all-or-nothing (a failing one rolls back alone and rejects alone), every
   * promise settles only after the shared COMMIT is durable, and a batch pays one WAL fsync instead of one per
   * source — the cost that dominated refresh cycles under `synchronous = FULL`.
   */
  commitFetch(sourceId: SourceId, cp: FetchCheckpoint): Promise<CommitResult> {
    return new Promise((resolve, reject) => {
      const pending = this.#pendingCommits.push({ sourceId, cp, resolve, reject });
      if (pending === 1) this.#flushTimer = setTimeout(() => this.#flushCommits(), GROUP_COMMIT_WINDOW_MS);
      else if (pending === GROUP_COMMIT_MAX) {
        clearTimeout(this.#flushTimer);
        setImmediate(() => this.#flushCommits());
      }
    });
  }

  #flushCommits(): void {
    clearTimeout(this.#flushTimer);
    const batch = this.#pendingCommits;
    this.#pendingCommits = [];
    if (batch.length === 0) return;
    const outcomes: ({ ok: true; value: CommitResult } | { ok: false; error: unknown })[] = [];
    try {
      this.#db
        .transaction(() => {
          for (const { sourceId, cp } of batch) {
            try {
              outcomes.push({ ok: true, value: this.#commitOneTransaction(sourceId, cp) });
            } catch (error) {
              outcomes.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } catch (error) {
      for (const p of batch) p.reject(error);
      return;
    }
    batch.forEach((p, i) => {
      const o = outcomes[i]!;
      if (o.ok) p.resolve(o.value);
      else p.reject(o.error);
    });
  }

  /** One checkpoint, run as #commitOneTransaction: a savepoint inside the batch's transaction. */
  #commitOne(sourceId: SourceId, cp: FetchCheckpoint): CommitResult {
    const fetchedMs = cp.fetchedAt.getTime();
    const rows = checkpointRows(cp, sourceId);
    // The source row is written first and the entries after it, so a failing entry rolls back the
    // validators too: the next fetch is unconditional and brings the entries again.
    const columns = this.#sourceColumns(sourceId);
    if (!columns) throw new Error(`cannot commit fetch: no source with id ${sourceId}`);
    const source = sourceFromColumns(columns);
    this.#writeSourceState(source, sourceAfterFetch(source, cp));
    const counts = this.#storeEntries(sourceId, plannedFetch(source, cp), rows);
    crashPoint('commit');
    this.#stmt('DELETE FROM fetch_log WHERE source_id = ? AND at < ?').run(
      sourceId,
      fetchLogHorizonMs(fetchedMs),
    );
    this.#stmt(`INSERT INTO fetch_log (${FETCH_LOG_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      ...fetchLogValues(sourceId, cp, counts),
    );
    // What /metrics keeps counted stays as small as what it reads: past minutes, emptied due buckets.
    this.#stmt('DELETE FROM fetch_window WHERE minute < ?').run(fetchWindowHorizonMinute(fetchedMs));
    this.#stmt('DELETE FROM due_counts WHERE sources = 0').run();
    return counts;
  }

  async river(query: RiverQuery): Promise<RiverPage> {
    const params: unknown[] = [];
    const dialect: RiverDialect = {
      param: (value) => {
        params.push(value);
        return '?';
      },
      inList: (column, ids) =>
        `${column} IN (SELECT value FROM json_each(${dialect.param(JSON.stringify(ids))}))`,
      notBacklog: (column) => `${column} = 0`,
    };
    const sql = riverSql(query, dialect, 'e.*');
    return riverPage(this.#stmt(sql).all(...params) as EntryColumns[], query.limit);
  }

  async riverDatesAround(ms: number): Promise<{ before?: Date; since?: Date }> {
    const row = this.#stmt(`SELECT
        (SELECT max(date_published) FROM entries WHERE backlog = 0 AND date_published < @ms) AS before,
        (SELECT min(date_published) FROM entries WHERE backlog = 0 AND date_published >= @ms) AS since`).get({
      ms,
    }) as { before: number | null; since: number | null };
    return datesAround(row);
  }

  async riverTags(): Promise<string[]> {
    return this.#stmt('SELECT DISTINCT tag FROM entry_tags WHERE backlog = 0 ORDER BY tag')
      .pluck()
      .all() as string[];
  }

  async entrySources(ids: readonly EntryId[]): Promise<Map<EntryId, SourceId[]>> {
    const rows =
      this.#stmt(`SELECT c.entry_id, c.source_id FROM entry_sources c JOIN entries e ON e.id = c.entry_id
      WHERE c.entry_id IN (SELECT value FROM json_each(?)) AND c.source_id <> e.source_id
      ORDER BY c.entry_id, c.first_seen_at, c.source_id`).all(JSON.stringify(ids)) as {
        entry_id: number;
        source_id: number;
      }[];
    return carriersByEntry(rows);
  }

  async getEntry(id: number): Promise<StoredEntry | undefined> {
    const row = this.#stmt('SELECT * FROM entries WHERE id = ?').get(id) as EntryColumns | undefined;
    return row && entryFromColumns(row);
  }

  search(request: SearchRequest): Promise<SearchPage> {
    return this.#searcher.search(request);
  }

  async fetchLog(since: Date, sourceId?: SourceId): Promise<FetchLogRow[]> {
    const rows = (
      sourceId === undefined
        ? this.#stmt('SELECT * FROM fetch_log WHERE at >= ? ORDER BY at, id').all(since.getTime())
        : this.#stmt('SELECT * FROM fetch_log WHERE source_id = ? AND at >= ? ORDER BY at, id').all(
            sourceId,
            since.getTime(),
          )
    ) as FetchLogColumns[];
    return rows.map(fetchLogFromColumns);
  }

  /** Whether `migrate()` ever ran here: false for an empty file. */
  async initialized(): Promise<boolean> {
    return (
      this.#db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'schema_migrations'").get() !== undefined
    );
  }

  async checkWritable(): Promise<void> {
    try {
      // SQLite takes the write lock, and checks the file is writable, even for a statement that changes nothing.
      this.#stmt('UPDATE schema_migrations SET applied_at = applied_at WHERE 0').run();
    } catch (error) {
      throw new Error(`cannot write to database ${this.#db.name}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  async stats(): Promise<{ sources: number; entries: number }> {
    return this.#stmt(
      'SELECT (SELECT count(*) FROM sources) AS sources, (SELECT count(*) FROM entries) AS entries',
    ).get() as { sources: number; entries: number };
  }

  async setting(name: SettingName): Promise<string | undefined> {
    return this.#stmt('SELECT value FROM settings WHERE name = ?').pluck().get(name) as string | undefined;
  }

  /** Prepared once per SQL text: statements are reused across calls (ingest runs the same few thousands of times). */
  #stmt(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #sourceColumns(id: SourceId): SourceColumns | undefined {
    return this.#stmt('SELECT * FROM sources WHERE id = ?').get(id) as SourceColumns | undefined;
  }

  #writeSourceState(source: Source, state: SourceFetchState): void {
    if (state.movedTo !== undefined && state.movedTo !== source.movedTo) {
      const holder = this.#stmt('SELECT id FROM sources WHERE (url = ? OR moved_to = ?) AND id <> ? LIMIT 1')
        .pluck()
        .get(state.movedTo, state.movedTo, source.id) as number | undefined;
      if (holder !== undefined) stopAtSubscribedUrl(state, source, holder);
    }
    const columns = sourceStateColumns(state);
    this.#stmt(`UPDATE sources SET ${Object.keys(columns)
      .map((c) => `${c} = @${c}`)
      .join(', ')},
      lease_owner = NULL, lease_until = NULL WHERE id = @id`).run({ ...columns, id: source.id });
  }

  /**
   * Stores each item exactly once: looks up the stored copies the fetch may touch (this source's by dedupe
   * key, other sources' by canonical URL: two statements, not two per item), lets `planEntryWrites` decide,
   * then writes. Inserts take ids in feed order.
   */
  #storeEntries(sourceId: SourceId, fetch: PlannedFetch, rows: EntryRow[]): CommitResult {
    if (rows.length === 0) return { newCount: 0, updatedCount: 0 };
    const own = ownCopies(
      this.#stmt(
        `SELECT ${OWN_COPY_COLUMNS} FROM entries WHERE dedupe_key IN (SELECT value FROM json_each(?))`,
      ).all(JSON.stringify(rows.map((r) => r.dedupeKey))) as OwnCopyColumns[],
    );

    // Only items with no copy of their own may be another source's article.
    const urls = new Set<string>();
    for (const r of rows) {
      const url = own.has(r.dedupeKey) ? undefined : articleUrl(r);
      if (url) urls.add(url);
    }
    const others: OtherCopies =
      urls.size === 0
        ? new Map()
        : otherCopies(
            this.#stmt(`SELECT ${OTHER_COPY_COLUMNS} FROM entries e JOIN sources s ON s.id = e.source_id
            WHERE e.canonical_url IN (SELECT value FROM json_each(?)) AND e.source_id <> ? ORDER BY e.id`).all(
              JSON.stringify([...urls]),
              sourceId,
            ) as OtherCopyColumns[],
          );

    const plan = planEntryWrites(rows, fetch, own, others);
    const carried = this.#stmt('INSERT INTO entry_sources VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
    for (const c of plan.carriers) carried.run(c.entryId, c.sourceId, c.seenMs);
    for (const update of plan.updates) this.#rewriteEntry(sourceId, fetch.fetchedMs, update);
    for (const { row, publishedMs, modifiedMs, backlog } of plan.inserts) {
      const id = this.#stmt(`INSERT INTO entries (source_id, dedupe_key, guid, url, canonical_url, title,
          content_html, content_text, summary, image, authors, tags, attachments, extra,
          date_published, date_modified, first_seen_at, updated_at, content_hash, claimed_published,
          claimed_modified, backlog)
        VALUES (@source_id, @dedupe_key, @guid, @url, @canonical_url, @title, @content_html, @content_text,
          @summary, @image, @authors, @tags, @attachments, @extra, @date_published, @date_modified,
          @first_seen_at, @first_seen_at, @content_hash, @claimed_published, @claimed_modified, @backlog)
        RETURNING id`)
        .pluck()
        .get({
          ...entryParams(sourceId, row),
          date_published: publishedMs,
          date_modified: modifiedMs,
          first_seen_at: fetch.fetchedMs,
          backlog: backlog ? 1 : 0,
        }) as number;
      this.#index(id, row, false);
    }
    return plan.counts;
  }

  /** Rewrites an entry in place (an edit, or a move to its original source); a null `publishedMs` keeps its
   * place in the river. */
  #rewriteEntry(
    sourceId: SourceId,
    fetchedMs: number,
    { id, row, publishedMs, modifiedMs, supersededJson, backlog }: EntryUpdate,
  ): void {
    this.#stmt(`UPDATE entries SET source_id = @source_id, dedupe_key = @dedupe_key, ${ENTRY_WRITE_COLUMNS},
        date_published = coalesce(@date_published, date_published), date_modified = @date_modified,
        updated_at = @updated_at, superseded_hashes = coalesce(@superseded_hashes, superseded_hashes),
        backlog = coalesce(@backlog, backlog)
      WHERE id = @id`).run({
      ...entryParams(sourceId, row),
      id,
      date_published: publishedMs,
      date_modified: modifiedMs,
      updated_at: fetchedMs,
      superseded_hashes: supersededJson,
      backlog: backlog === null ? null : Number(backlog),
    });
    this.#index(id, row, true);
  }

  /** Indexes a written entry for search and by its tags (after the write: tag rows copy its river place). */
  #index(id: number, row: EntryRow, replace: boolean): void {
    if (replace) {
      this.#stmt('DELETE FROM entries_fts WHERE rowid = ?').run(id);
      this.#stmt('DELETE FROM entry_tags WHERE entry_id = ?').run(id);
    }
    this.#stmt('INSERT INTO entries_fts (rowid, title, body) VALUES (?, ?, ?)').run(
      id,
      row.title ?? '',
      searchText(row),
    );
    const tags = entryTagKeys(row.tagsJson);
    if (tags.length > 0) this.#stmt(INSERT_ENTRY_TAGS).run(JSON.stringify(tags), id);
  }
}
