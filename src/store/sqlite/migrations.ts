/**
 * SQLite schema, as numbered migrations applied in order. Never edit a released migration: add one.
 * Times are INTEGER epoch milliseconds; tables are STRICT so a value of the wrong type is an error,
 * not a silent coercion.
 */
import type Database from 'better-sqlite3';
import { entryTagKeys } from '../tags.js';

/** `backfill` writes, after `sql` and in the same transaction, rows only JavaScript can compute (`Db`: the
 * backend's connection). */
export interface Migration<Db = unknown> {
  version: number;
  name: string;
  sql: string;
  backfill?: (db: Db) => void | Promise<void>;
}

/** Entries read per round of a backfill: memory stays flat whatever the database holds. */
export const BACKFILL_BATCH = 2000;

export const MIGRATIONS: readonly Migration<Database.Database>[] = [
  {
    version: 1,
    name: 'sources, entries, fetch_log, search index',
    sql: `
CREATE TABLE sources (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  url TEXT NOT NULL UNIQUE,
  name TEXT,
  author TEXT,
  options TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(options)),
  title TEXT,
  home_page_url TEXT,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'gone', 'paused', 'error')),
  etag TEXT,
  last_modified TEXT,
  next_fetch_at INTEGER,
  last_fetch_at INTEGER,
  last_success_at INTEGER,
  last_status INTEGER,
  last_error TEXT,
  error_count INTEGER NOT NULL DEFAULT 0,
  interval_seconds INTEGER,
  pending_redirect TEXT,
  redirect_seen_count INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX sources_due ON sources (next_fetch_at) WHERE status IN ('active', 'error');

-- AUTOINCREMENT: entry ids are permalinks, so an id is never reused after its source is removed.
CREATE TABLE entries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  dedupe_key TEXT NOT NULL UNIQUE,
  guid TEXT NOT NULL,
  url TEXT,
  canonical_url TEXT,
  title TEXT,
  content_html TEXT,
  content_text TEXT,
  summary TEXT,
  image TEXT,
  authors TEXT,
  tags TEXT,
  attachments TEXT,
  extra TEXT,
  date_published INTEGER NOT NULL,
  date_modified INTEGER,
  first_seen_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  content_hash TEXT NOT NULL
) STRICT;
CREATE INDEX entries_river ON entries (date_published DESC, id DESC);
CREATE INDEX entries_source_river ON entries (source_id, date_published DESC, id DESC);
CREATE INDEX entries_canonical_url ON entries (canonical_url) WHERE canonical_url IS NOT NULL;

-- Contentless: the text lives in entries already; the index keeps only what search needs. Rows are
-- written by the store (the indexed body is derived from HTML in JS); deletes, including those cascading
-- from a removed source, are kept in step by the trigger.
CREATE VIRTUAL TABLE entries_fts USING fts5 (
  title, body, content = '', contentless_delete = 1, tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER entries_fts_delete AFTER DELETE ON entries BEGIN
  DELETE FROM entries_fts WHERE rowid = old.id;
END;

CREATE TABLE fetch_log (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'notModified', 'gone', 'throttled', 'failed')),
  http_status INTEGER,
  bytes INTEGER,
  duration_ms INTEGER,
  new_count INTEGER NOT NULL DEFAULT 0,
  updated_count INTEGER NOT NULL DEFAULT 0,
  error TEXT
) STRICT;
CREATE INDEX fetch_log_source_at ON fetch_log (source_id, at);
`,
  },
  {
    version: 2,
    name: 'source leases for many workers',
    sql: `
ALTER TABLE sources ADD COLUMN lease_owner TEXT;
ALTER TABLE sources ADD COLUMN lease_until INTEGER;
`,
  },
  {
    version: 3,
    name: 'fetch log by time, for metrics over every source',
    sql: `
CREATE INDEX fetch_log_at ON fetch_log (at);
`,
  },
  {
    version: 4,
    name: 'source identity apart from what was learned: a confirmed move, retirement',
    sql: `
ALTER TABLE sources ADD COLUMN moved_to TEXT;
ALTER TABLE sources ADD COLUMN moved_at INTEGER;
ALTER TABLE sources ADD COLUMN redirect_seen_at INTEGER;
ALTER TABLE sources ADD COLUMN retired_at INTEGER;
`,
  },
  {
    version: 5,
    name: "entries keep the feed's own dates and the versions they replaced; a new source's backlog",
    sql: `
ALTER TABLE entries ADD COLUMN claimed_published INTEGER;
ALTER TABLE entries ADD COLUMN claimed_modified INTEGER;
ALTER TABLE entries ADD COLUMN superseded_hashes TEXT CHECK (json_valid(superseded_hashes));
ALTER TABLE entries ADD COLUMN backlog INTEGER NOT NULL DEFAULT 0 CHECK (backlog IN (0, 1));
-- The river leaves backlogs out; a source's page (entries_source_river) shows them.
DROP INDEX entries_river;
CREATE INDEX entries_river ON entries (date_published DESC, id DESC) WHERE backlog = 0;
`,
  },
  {
    version: 6,
    name: 'settings shared by every process: the image proxy secret',
    sql: `
-- Values every replica and worker must agree on. The image proxy's signing key is made here, once per
-- database, so that every process signs and checks image URLs alike (randomblob: SQLite's ChaCha20
-- generator, seeded from the operating system).
CREATE TABLE settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
INSERT INTO settings (name, value) VALUES ('image_proxy_secret', lower(hex(randomblob(32))));
`,
  },
  {
    version: 7,
    name: 'tags indexed for tag pages; the other sources that carried a post stored once',
    sql: `
-- One row per tag of a post, keyed by tagKey() (JavaScript's case folding: written by the store, never by
-- SQL). The post's place in the river rides along, so a tag's page is one range of entry_tags_river.
CREATE TABLE entry_tags (
  entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
  tag TEXT NOT NULL,
  date_published INTEGER NOT NULL,
  backlog INTEGER NOT NULL CHECK (backlog IN (0, 1)),
  PRIMARY KEY (entry_id, tag)
) STRICT, WITHOUT ROWID;
CREATE INDEX entry_tags_river ON entry_tags (tag, date_published DESC, entry_id DESC) WHERE backlog = 0;

-- The same article (by canonical URL) is stored once; the other sources that brought it are kept here.
CREATE TABLE entry_sources (
  entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
  source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  first_seen_at INTEGER NOT NULL,
  PRIMARY KEY (entry_id, source_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX entry_sources_source ON entry_sources (source_id);
`,
    backfill(db) {
      const read = db.prepare(`SELECT id, tags FROM entries
        WHERE tags IS NOT NULL AND id > ? ORDER BY id LIMIT ${BACKFILL_BATCH}`);
      const write = db.prepare(INSERT_ENTRY_TAGS);
      for (let after = 0; ; ) {
        const rows = read.all(after) as { id: number; tags: string }[];
        if (rows.length === 0) return;
        for (const e of rows) write.run(JSON.stringify(entryTagKeys(e.tags)), e.id);
        after = rows.at(-1)!.id;
      }
    },
  },
  {
    version: 8,
    name: 'config sync in bulk: a hash of what the config says of each source, and of the whole list',
    sql: `
ALTER TABLE sources ADD COLUMN config_hash TEXT;
CREATE TABLE config_sync (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  sources_hash TEXT NOT NULL,
  synced_at INTEGER NOT NULL
) STRICT;
`,
  },
  {
    version: 9,
    name: 'the sources page and /metrics in SQL: the last fetch time, failing and slowest first, counts kept',
    sql: `
ALTER TABLE sources ADD COLUMN last_duration_ms INTEGER;
-- The order of /sources: failing (error, then gone), active, paused, retired; slowest last fetch first within
-- each. One integer, so a page is a range of one index and the next page starts after (health_order, id).
ALTER TABLE sources ADD COLUMN health_order INTEGER GENERATED ALWAYS AS (
  (CASE WHEN retired_at IS NOT NULL THEN 4 WHEN status = 'error' THEN 0 WHEN status = 'gone' THEN 1
    WHEN status = 'active' THEN 2 ELSE 3 END) * 1000000000
  + 999999998 - min(coalesce(last_duration_ms, -1), 999999998)) VIRTUAL;
-- What a search of /sources looks in (lower-cased: LIKE on it is case-insensitive without ILIKE's cost), kept
-- in the index, so a search walks the index alone, in page order.
ALTER TABLE sources ADD COLUMN haystack TEXT GENERATED ALWAYS AS (
  lower(coalesce(name, '') || ' ' || coalesce(title, '') || ' ' || url)) VIRTUAL;
CREATE INDEX sources_health ON sources (health_order, id, haystack);
-- Sources by status, retired or not, kept by triggers: /metrics and /sources read a few rows, not every source.
CREATE TABLE source_counts (
  status TEXT NOT NULL,
  retired INTEGER NOT NULL,
  sources INTEGER NOT NULL,
  PRIMARY KEY (status, retired)
) STRICT, WITHOUT ROWID;
INSERT INTO source_counts SELECT status, retired_at IS NOT NULL, count(*) FROM sources GROUP BY 1, 2;
CREATE TRIGGER sources_counted_insert AFTER INSERT ON sources BEGIN
  INSERT INTO source_counts VALUES (new.status, new.retired_at IS NOT NULL, 1)
    ON CONFLICT DO UPDATE SET sources = sources + 1;
END;
CREATE TRIGGER sources_counted_delete AFTER DELETE ON sources BEGIN
  UPDATE source_counts SET sources = sources - 1
    WHERE status = old.status AND retired = (old.retired_at IS NOT NULL);
END;
CREATE TRIGGER sources_counted_update AFTER UPDATE OF status, retired_at ON sources
  WHEN old.status IS NOT new.status OR (old.retired_at IS NULL) <> (new.retired_at IS NULL) BEGIN
  UPDATE source_counts SET sources = sources - 1
    WHERE status = old.status AND retired = (old.retired_at IS NOT NULL);
  INSERT INTO source_counts VALUES (new.status, new.retired_at IS NOT NULL, 1)
    ON CONFLICT DO UPDATE SET sources = sources + 1;
END;
-- Claims and the due count of /metrics leave retired sources out in the index itself.
DROP INDEX sources_due;
CREATE INDEX sources_due ON sources (next_fetch_at) WHERE status IN ('active', 'error') AND retired_at IS NULL;
-- A page of cards counts its sources' fetch log by day, and /metrics the last hour's, from indexes alone.
DROP INDEX fetch_log_source_at;
CREATE INDEX fetch_log_source_at ON fetch_log (source_id, at, duration_ms, outcome, new_count);
DROP INDEX fetch_log_at;
CREATE INDEX fetch_log_at ON fetch_log (at, duration_ms, new_count, http_status);
`,
  },
  {
    version: 10,
    name: 'people: the face a feed gives itself, and the order of /people',
    sql: `
ALTER TABLE sources ADD COLUMN feed_face TEXT;
-- Who a source belongs to, as /people sorts and groups them: the person the config names (its sources are
-- one person), else the source itself, by name and made unique by its id (after a unit separator).
ALTER TABLE sources ADD COLUMN people_key TEXT GENERATED ALWAYS AS (
  CASE WHEN json_type(options, '$.person') = 'text' THEN lower(trim(json_extract(options, '$.person')))
  ELSE lower(coalesce(nullif(trim(name), ''), nullif(trim(title), ''), url)) || char(31) || id END) VIRTUAL;
CREATE INDEX sources_people ON sources (people_key, id) WHERE retired_at IS NULL;
`,
  },
  {
    version: 11,
    name: 'entries kept counted for /metrics',
    sql: `
-- /metrics reads one row, not every entry. One slot (PostgreSQL's migration 11 has a slot per connection:
-- SQLite has one writer).
CREATE TABLE entry_counts (
  slot INTEGER PRIMARY KEY,
  entries INTEGER NOT NULL
) STRICT;
INSERT INTO entry_counts SELECT 0, count(*) FROM entries;
CREATE TRIGGER entries_counted_insert AFTER INSERT ON entries BEGIN
  UPDATE entry_counts SET entries = entries + 1 WHERE slot = 0;
END;
CREATE TRIGGER entries_counted_delete AFTER DELETE ON entries BEGIN
  UPDATE entry_counts SET entries = entries - 1 WHERE slot = 0;
END;
`,
  },
  {
    version: 12,
    name: '/metrics at a constant cost: the fetch window and the due sources kept counted',
    sql: `
-- The last hour of the fetch log as /metrics reads it, kept as the log is written: one row per minute (of
-- \`at\`, epoch minutes) and HTTP status (0: none), so a scrape sums at most an hour of minutes, not every
-- fetch of the hour. The triggers keep the rows equal to the log's, deletes included (a purged source's
-- fetches leave both); the store drops minutes past FETCH_WINDOW_KEEP_MINUTES as it logs a fetch, so a
-- deleted log row older than those updates nothing. The le_* columns are the histogram's bounds (ms).
CREATE TABLE fetch_window (
  minute INTEGER NOT NULL,
  http_status INTEGER NOT NULL,
  fetches INTEGER NOT NULL,
  timed INTEGER NOT NULL,
  duration_total INTEGER NOT NULL,
  new_entries INTEGER NOT NULL,
  le_100 INTEGER NOT NULL,
  le_250 INTEGER NOT NULL,
  le_500 INTEGER NOT NULL,
  le_1000 INTEGER NOT NULL,
  le_2500 INTEGER NOT NULL,
  le_5000 INTEGER NOT NULL,
  le_10000 INTEGER NOT NULL,
  le_30000 INTEGER NOT NULL,
  PRIMARY KEY (minute, http_status)
) STRICT, WITHOUT ROWID;
INSERT INTO fetch_window SELECT at / 60000, coalesce(http_status, 0), count(*), count(duration_ms),
  coalesce(sum(duration_ms), 0), coalesce(sum(new_count), 0), coalesce(sum(duration_ms <= 100), 0),
  coalesce(sum(duration_ms <= 250), 0), coalesce(sum(duration_ms <= 500), 0),
  coalesce(sum(duration_ms <= 1000), 0), coalesce(sum(duration_ms <= 2500), 0),
  coalesce(sum(duration_ms <= 5000), 0), coalesce(sum(duration_ms <= 10000), 0),
  coalesce(sum(duration_ms <= 30000), 0)
  FROM fetch_log WHERE at >= (SELECT max(at) FROM fetch_log) - 120 * 60000 GROUP BY 1, 2;
CREATE TRIGGER fetch_log_windowed_insert AFTER INSERT ON fetch_log BEGIN
  INSERT INTO fetch_window VALUES (new.at / 60000, coalesce(new.http_status, 0), 1,
    new.duration_ms IS NOT NULL, coalesce(new.duration_ms, 0), new.new_count,
    coalesce(new.duration_ms <= 100, 0), coalesce(new.duration_ms <= 250, 0),
    coalesce(new.duration_ms <= 500, 0), coalesce(new.duration_ms <= 1000, 0),
    coalesce(new.duration_ms <= 2500, 0), coalesce(new.duration_ms <= 5000, 0),
    coalesce(new.duration_ms <= 10000, 0), coalesce(new.duration_ms <= 30000, 0))
  ON CONFLICT DO UPDATE SET fetches = fetches + excluded.fetches,
    timed = timed + excluded.timed,
    duration_total = duration_total + excluded.duration_total,
    new_entries = new_entries + excluded.new_entries,
    le_100 = le_100 + excluded.le_100,
    le_250 = le_250 + excluded.le_250,
    le_500 = le_500 + excluded.le_500,
    le_1000 = le_1000 + excluded.le_1000,
    le_2500 = le_2500 + excluded.le_2500,
    le_5000 = le_5000 + excluded.le_5000,
    le_10000 = le_10000 + excluded.le_10000,
    le_30000 = le_30000 + excluded.le_30000;
END;
CREATE TRIGGER fetch_log_windowed_delete AFTER DELETE ON fetch_log BEGIN
  UPDATE fetch_window SET fetches = fetches - 1,
    timed = timed - (old.duration_ms IS NOT NULL),
    duration_total = duration_total - coalesce(old.duration_ms, 0),
    new_entries = new_entries - old.new_count,
    le_100 = le_100 - coalesce(old.duration_ms <= 100, 0),
    le_250 = le_250 - coalesce(old.duration_ms <= 250, 0),
    le_500 = le_500 - coalesce(old.duration_ms <= 500, 0),
    le_1000 = le_1000 - coalesce(old.duration_ms <= 1000, 0),
    le_2500 = le_2500 - coalesce(old.duration_ms <= 2500, 0),
    le_5000 = le_5000 - coalesce(old.duration_ms <= 5000, 0),
    le_10000 = le_10000 - coalesce(old.duration_ms <= 10000, 0),
    le_30000 = le_30000 - coalesce(old.duration_ms <= 30000, 0)
  WHERE minute = old.at / 60000 AND http_status = coalesce(old.http_status, 0);
END;

-- The sources due at any time, kept counted (counting them is a range of sources_due as long as the
-- backlog: every source, for a store that was stopped). A source that may be claimed (active or erroring,
-- not retired) counts in the minute and in the hour its next fetch falls in, by their ends (\`upto\`,
-- epoch minutes; 0 when it was never fetched): /metrics sums the hours that ended by this hour and this
-- hour's minutes up to now (shared-sql.ts). Rows left at 0 are dropped by the store as it logs a fetch.
CREATE TABLE due_counts (
  span INTEGER NOT NULL CHECK (span IN (1, 60)),
  upto INTEGER NOT NULL,
  sources INTEGER NOT NULL,
  PRIMARY KEY (span, upto)
) STRICT, WITHOUT ROWID;
CREATE INDEX due_counts_empty ON due_counts (span) WHERE sources = 0;
INSERT INTO due_counts
  SELECT span, (coalesce(next_fetch_at, 0) + span * 60000 - 1) / (span * 60000) * span, count(*)
  FROM sources, (SELECT 1 AS span UNION ALL SELECT 60)
  WHERE status IN ('active', 'error') AND retired_at IS NULL GROUP BY 1, 2;
CREATE TRIGGER sources_due_insert AFTER INSERT ON sources
  WHEN new.status IN ('active', 'error') AND new.retired_at IS NULL BEGIN
  INSERT INTO due_counts
    SELECT span, (coalesce(new.next_fetch_at, 0) + span * 60000 - 1) / (span * 60000) * span, 1
    FROM (SELECT 1 AS span UNION ALL SELECT 60) WHERE true
  ON CONFLICT DO UPDATE SET sources = sources + 1;
END;
CREATE TRIGGER sources_due_delete AFTER DELETE ON sources
  WHEN old.status IN ('active', 'error') AND old.retired_at IS NULL BEGIN
  UPDATE due_counts SET sources = sources - 1 WHERE (span, upto) IN (
    SELECT span, (coalesce(old.next_fetch_at, 0) + span * 60000 - 1) / (span * 60000) * span
    FROM (SELECT 1 AS span UNION ALL SELECT 60));
END;
CREATE TRIGGER sources_due_update AFTER UPDATE OF next_fetch_at, status, retired_at ON sources
  WHEN old.next_fetch_at IS NOT new.next_fetch_at
    OR (old.status IN ('active', 'error') AND old.retired_at IS NULL)
      <> (new.status IN ('active', 'error') AND new.retired_at IS NULL) BEGIN
  UPDATE due_counts SET sources = sources - 1
    WHERE old.status IN ('active', 'error') AND old.retired_at IS NULL AND (span, upto) IN (
      SELECT span, (coalesce(old.next_fetch_at, 0) + span * 60000 - 1) / (span * 60000) * span
      FROM (SELECT 1 AS span UNION ALL SELECT 60));
  INSERT INTO due_counts
    SELECT span, (coalesce(new.next_fetch_at, 0) + span * 60000 - 1) / (span * 60000) * span, 1
    FROM (SELECT 1 AS span UNION ALL SELECT 60)
    WHERE new.status IN ('active', 'error') AND new.retired_at IS NULL
  ON CONFLICT DO UPDATE SET sources = sources + 1;
END;
`,
  },
  {
    version: 13,
    name: 'claims bounded by the due sources, however many are not due or leased',
    sql: `
-- As PostgreSQL's migration 13: a claim's "not yet fetched or due" and "not leased" were each an OR with
-- IS NULL, so the claim walked sources_due and tested every row: with none due, every active source (25 ms
-- at 200,000). A never-fetched source sorts first as time 0, the due condition is one range of this index,
-- and the lease is tested on the index entry.
CREATE INDEX sources_claim ON sources (coalesce(next_fetch_at, 0), id, coalesce(lease_until, 0))
  WHERE status IN ('active', 'error') AND retired_at IS NULL;
`,
  },
];

/** An entry's tags (? keys as JSON, ? the entry's id), with its place in the river as stored. */
export const INSERT_ENTRY_TAGS = `INSERT INTO entry_tags (entry_id, tag, date_published, backlog)
  SELECT e.id, t.value, e.date_published, e.backlog FROM entries e, json_each(?) AS t WHERE e.id = ?`;
