/**
 * The river query, written once for both SQL backends: every `RiverQuery` filter (a source, a set of
 * sources, a tag, a start date, a cursor) becomes one SELECT ordered by (published date, id), newest first.
 * A tag's posts are read from `entry_tags`, which carries each post's place in the river so that a tag's
 * page is one index range, like the river's.
 */
import type { EntryColumns } from './entry-row.js';
import { entryFromColumns } from './entry-row.js';
import type { RiverPage, RiverQuery } from './store.js';
import { tagKey } from './tags.js';

/** How a backend spells what differs between SQLite and PostgreSQL. */
export interface RiverDialect {
  /** A placeholder bound to `value` (SQLite `?`, PostgreSQL `$n`); called in the order values are bound. */
  param(value: unknown): string;
  /** `column` is one of `ids`. */
  inList(column: string, ids: readonly number[]): string;
  /** Not a backlog post (written as each backend's partial index says it, so the index is used). */
  notBacklog(column: string): string;
}

/** The SELECT of `columns` (of `entries e`) for `query`, asking one row more than a page (see riverPage). */
export function riverSql(query: RiverQuery, dialect: RiverDialect, columns: string): string {
  if (!Number.isInteger(query.limit) || query.limit < 1) {
    throw new RangeError(`river limit must be a positive integer, not ${query.limit}`);
  }
  const { param } = dialect;
  const tagged = query.tag !== undefined;
  const [date, id, backlog] = tagged
    ? ['t.date_published', 't.entry_id', 't.backlog']
    : ['e.date_published', 'e.id', 'e.backlog'];
  const where: string[] = [];
  // An empty or over-long tag indexes nothing: an empty string matches no row.
  if (tagged) where.push(`t.tag = ${param(tagKey(query.tag!) ?? '')}`);
  if (query.sourceId !== undefined) where.push(`e.source_id = ${param(query.sourceId)}`);
  else where.push(dialect.notBacklog(backlog));
  if (query.sourceIds) where.push(dialect.inList('e.source_id', query.sourceIds));
  if (query.since !== undefined) where.push(`${date} >= ${param(query.since)}`);
  if (query.before) {
    where.push(`(${date}, ${id}) < (${param(query.before.publishedMs)}, ${param(query.before.id)})`);
  }
  const from = tagged ? 'entry_tags t JOIN entries e ON e.id = t.entry_id' : 'entries e';
  return `SELECT ${columns} FROM ${from} WHERE ${where.join(' AND ')}
    ORDER BY ${date} DESC, ${id} DESC LIMIT ${param(query.limit + 1)}`;
}

/** A page from riverSql's rows: the row past the page says whether there is a next one, without a count. */
export function riverPage(rows: EntryColumns[], limit: number): RiverPage {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    entries: page.map(entryFromColumns),
    ...(rows.length > limit && last ? { next: { publishedMs: last.date_published, id: last.id } } : {}),
  };
}

/** The other sources of each entry (`entry_sources` rows read in carrying order), grouped by entry. */
export function carriersByEntry(rows: { entry_id: number; source_id: number }[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const { entry_id, source_id } of rows) {
    const list = out.get(entry_id) ?? [];
    list.push(source_id);
    out.set(entry_id, list);
  }
  return out;
}

/** `riverDatesAround`'s answer from the two dates read (null where there is none). */
export function datesAround(row: { before: number | null; since: number | null }): {
  before?: Date;
  since?: Date;
} {
  return {
    ...(row.before !== null && { before: new Date(row.before) }),
    ...(row.since !== null && { since: new Date(row.since) }),
  };
}
