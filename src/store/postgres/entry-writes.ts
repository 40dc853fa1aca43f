/**
 * The entries of one fetch, written to PostgreSQL in a few set-based statements instead of three round
 * trips per item (a 100-item feed would otherwise wait on ~300 network round trips inside the transaction).
 * What to write is decided by `planEntryWrites` (entry-plan.ts), as in the SQLite backend.
 */
import type { EntryInsert, EntryUpdate } from '../entry-plan.js';
import { type EntryRow, searchText } from '../entry-row.js';
import { entryParams } from '../sql-rows.js';
import type { SourceId } from '../store.js';

/** Text-search configuration: English stemming, as SQLite's porter tokenizer. */
export const TS_CONFIG = 'english';

/**
 * tsvector values are capped at 1 MB and positions at 16,383, so a huge post would fail its checkpoint;
 * words past this many characters of the body are not indexed.
 */
const MAX_INDEXED_CHARS = 100_000;

/** Every entry column reads return: all but `search`, which is large and only the index reads. */
export const ENTRY_COLUMNS = `id, source_id, guid, url, canonical_url, title, content_html, content_text, summary,
  image, authors, tags, attachments, extra, date_published, date_modified, claimed_published, first_seen_at,
  updated_at`;

/** The entry columns written from an `EntryRow`, in the order the statements below bind them. */
const TEXT_COLUMNS = [
  'dedupe_key',
  'guid',
  'url',
  'canonical_url',
  'title',
  'content_html',
  'content_text',
  'summary',
  'image',
  'authors',
  'tags',
  'attachments',
  'extra',
  'content_hash',
] as const;

/** The search column of a title and a body (SQL expressions); bench:scale fills synthetic posts with it. */
export const searchVector = (title: string, body: string) =>
  `setweight(to_tsvector('${TS_CONFIG}', ${title}), 'A') || setweight(to_tsvector('${TS_CONFIG}', ${body}), 'B')`;

/** The columns an insert writes from each row's values, after the text columns, with their types. */
const INSERTED_VALUES = [
  ['date_published', 'bigint'],
  ['date_modified', 'bigint'],
  ['claimed_published', 'bigint'],
  ['claimed_modified', 'bigint'],
  ['backlog', 'boolean'],
] as const;
const STORED = [...TEXT_COLUMNS, ...INSERTED_VALUES.map(([c]) => c)];
/** What an insert unnests, in `insertParams`' order: the stored columns, then the text to index. */
const UNNESTED = [
  ...TEXT_COLUMNS.map((c) => [c, 'text'] as const),
  ...INSERTED_VALUES,
  ['search_title', 'text'],
  ['search_body', 'text'],
] as const;

/** $1 source id, $2 fetch time, then one array per column; ids are drawn in feed order, as in SQLite. */
export const INSERT_ENTRIES = `INSERT INTO entries (source_id, ${STORED.join(', ')}, first_seen_at, updated_at,
    search)
  SELECT $1, ${STORED.map((c) => `r.${c}`).join(', ')}, $2, $2, ${searchVector('r.search_title', 'r.search_body')}
  FROM unnest(${UNNESTED.map(([, type], i) => `$${i + 3}::${type}[]`).join(', ')})
    WITH ORDINALITY AS r(${UNNESTED.map(([c]) => c).join(', ')}, n)
  ORDER BY r.n
  ON CONFLICT (dedupe_key) DO NOTHING
  RETURNING id, dedupe_key`;

export function insertParams(sourceId: SourceId, fetchedMs: number, inserts: EntryInsert[]): unknown[] {
  const rows = inserts.map(({ row, publishedMs, modifiedMs, backlog }) => [
    ...textValues(sourceId, row),
    publishedMs,
    modifiedMs,
    row.claimedPublishedMs ?? null,
    row.claimedModifiedMs ?? null,
    backlog,
    indexedText(row.title ?? ''),
    indexedText(searchText(row)),
  ]);
  // unnest takes one array per column, not one per row.
  return [sourceId, fetchedMs, ...UNNESTED.map((_, i) => rows.map((values) => values[i]))];
}

/** $1 id, $2 source id, then the text columns, dates, search text, the feed's own dates, the versions
 * replaced and the backlog flag (a null one keeps the stored value), in `updateParams`' order. */
export const UPDATE_ENTRY = `UPDATE entries SET source_id = $2,
    ${TEXT_COLUMNS.map((c, i) => `${c} = $${i + 3}`).join(', ')},
    date_published = coalesce($${TEXT_COLUMNS.length + 3}::bigint, date_published),
    date_modified = $${TEXT_COLUMNS.length + 4}, updated_at = $${TEXT_COLUMNS.length + 5},
    search = ${searchVector(`$${TEXT_COLUMNS.length + 6}`, `$${TEXT_COLUMNS.length + 7}`)},
    claimed_modified = $${TEXT_COLUMNS.length + 8},
    superseded_hashes = coalesce($${TEXT_COLUMNS.length + 9}, superseded_hashes),
    claimed_published = $${TEXT_COLUMNS.length + 10},
    backlog = coalesce($${TEXT_COLUMNS.length + 11}::boolean, backlog)
  WHERE id = $1`;

export function updateParams(sourceId: SourceId, fetchedMs: number, update: EntryUpdate): unknown[] {
  const { id, row, publishedMs, modifiedMs, supersededJson, backlog } = update;
  return [
    id,
    sourceId,
    ...textValues(sourceId, row),
    publishedMs,
    modifiedMs,
    fetchedMs,
    indexedText(row.title ?? ''),
    indexedText(searchText(row)),
    row.claimedModifiedMs ?? null,
    supersededJson,
    row.claimedPublishedMs ?? null,
    backlog,
  ];
}

/**
 * The text columns of a row. node-postgres would quietly store an object as its JSON, where SQLite
 * refuses it: a value that is not text is a bug upstream and fails the checkpoint here too.
 */
function textValues(sourceId: SourceId, row: EntryRow): (string | null)[] {
  const params: Record<string, unknown> = entryParams(sourceId, row);
  return TEXT_COLUMNS.map((column) => {
    const value = params[column];
    if (value !== null && typeof value !== 'string') {
      throw new TypeError(`cannot store entry ${row.guid || row.dedupeKey}: ${column} is not text`);
    }
    return value;
  });
}

/**
 * Text as the index sees it: Latin diacritics folded (what SQLite's `remove_diacritics` does, so "cafe"
 * finds "café"; PostgreSQL's `unaccent` is an extension a server may lack) and the length capped.
 */
export function indexedText(text: string): string {
  const capped = text.length > MAX_INDEXED_CHARS ? text.slice(0, MAX_INDEXED_CHARS) : text;
  if (!/[^\x00-\x7f]/.test(capped)) return capped;
  // NFC again afterwards so scripts that NFD splits apart (Hangul syllables) come back whole.
  return capped
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC');
}
