/**
 * Search on SQLite: a parsed search (search-query.ts) as an FTS5 MATCH expression, run on a connection of
 * its own — on a search thread (search-threads.ts), so the main thread keeps serving pages meanwhile.
 *
 * FTS5 cannot be interrupted from Node (better-sqlite3 has no sqlite3_interrupt), so the query checks the
 * time itself: a function in its WHERE clause throws once the deadline has passed, which stops the
 * statement there. It is called for one matching row in 64 (by id): a call into JS for every row would cost
 * about as much as ranking it.
 */
import Database from 'better-sqlite3';
import type { EntryColumns } from '../entry-row.js';
import { type SearchLimits, SearchTimeoutError } from '../search-gate.js';
import { RANKED_MATCHES, type SearchTerm, type SearchTerms } from '../search-query.js';
import { searchPage } from '../search-snippet.js';
import type { SearchPage, SearchRequest } from '../store.js';

/**
 * The FTS5 expression of a search: every word quoted (so it is only ever a word to FTS5), phrases as
 * quoted strings, a prefix as `"kern"*`. Undefined when there is nothing to look for.
 */
export function ftsMatch(terms: SearchTerms): string | undefined {
  if (terms.all.length === 0) return undefined;
  const wanted = terms.all
    .map((group) => (group.length === 1 ? ftsTerm(group[0]!) : `(${group.map(ftsTerm).join(' OR ')})`))
    .join(' AND ');
  return terms.none.length === 0 ? wanted : `(${wanted}) NOT (${terms.none.map(ftsTerm).join(' OR ')})`;
}

function ftsTerm(term: SearchTerm): string {
  return `"${term.words.join(' ').replaceAll('"', '""')}"${term.prefix ? '*' : ''}`;
}

/** What bounds one search: its time, and how many of the newest matches it ranks. */
export type SearcherLimits = Pick<SearchLimits, 'timeLimitMs' | 'rankedMatches'>;

/** Runs searches on one connection, one at a time. */
export class SqliteSearcher {
  readonly #db: Database.Database;
  readonly #timeLimitMs: number;
  readonly #rankedMatches: number;
  readonly #statements = new Map<string, Database.Statement>();
  #deadline = Number.POSITIVE_INFINITY;

  /** `db`: a connection of this searcher's own (a thread's), or the store's for an in-memory database. */
  constructor(db: Database.Database, { timeLimitMs, rankedMatches = RANKED_MATCHES }: SearcherLimits) {
    this.#db = db;
    this.#timeLimitMs = timeLimitMs;
    this.#rankedMatches = rankedMatches;
    db.function('tributary_in_time', { deterministic: false }, () => {
      if (Date.now() > this.#deadline) throw new SearchTimeoutError(this.#timeLimitMs);
      return 1;
    });
    // JS, not SQL lower(): SQLite's lower() folds ASCII letters only.
    db.function('tributary_tagged', { deterministic: true }, (tags: unknown, wanted: unknown) => {
      if (typeof tags !== 'string') return 0;
      const have = new Set((JSON.parse(tags) as unknown[]).map((t) => String(t).toLowerCase()));
      return (JSON.parse(wanted as string) as string[]).every((t) => have.has(t)) ? 1 : 0;
    });
  }

  /** A read-only connection to the database file that waits for locks no longer than a search may take. */
  static open(path: string, limits: SearcherLimits): SqliteSearcher {
    const db = new Database(path, { readonly: true, fileMustExist: true, timeout: limits.timeLimitMs });
    return new SqliteSearcher(db, limits);
  }

  close(): void {
    this.#db.close();
  }

  run(request: SearchRequest, deadline: number): SearchPage {
    const match = ftsMatch(request);
    if (!match) return { hits: [], more: false };
    const filters: string[] = [];
    if (request.sourceIds) filters.push('x.source_id IN (SELECT value FROM json_each(@sources))');
    if (request.tags?.length) filters.push('tributary_tagged(x.tags, @tags)');
    // The newest matches (FTS5 reads its index in rowid order and stops there), ranked and cut to the page
    // on ids alone, so only one page of whole rows is read. The tie-break on id keeps pages from
    // overlapping when ranks are equal.
    const sql = `SELECT e.* FROM (
        SELECT id, rank FROM (
          SELECT f.rowid AS id, f.rank AS rank FROM entries_fts f
            ${filters.length > 0 ? 'JOIN entries x ON x.id = f.rowid' : ''}
          WHERE entries_fts MATCH @match ${filters.map((f) => `AND ${f}`).join(' ')}
            AND ((f.rowid & 63) <> 0 OR tributary_in_time())
          ORDER BY f.rowid DESC LIMIT @ranked)
        ORDER BY rank, id DESC LIMIT @limit OFFSET @offset) AS hit
      JOIN entries e ON e.id = hit.id ORDER BY hit.rank, hit.id DESC`;
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    this.#deadline = deadline;
    try {
      // One row past the page says whether another follows.
      const rows = statement.all({
        match,
        ranked: this.#rankedMatches,
        limit: request.limit + 1,
        offset: request.offset ?? 0,
        ...(request.sourceIds ? { sources: JSON.stringify(request.sourceIds) } : {}),
        ...(request.tags?.length ? { tags: JSON.stringify(request.tags) } : {}),
      }) as EntryColumns[];
      return searchPage(rows, request);
    } catch (error) {
      // Waiting for a lock past the time limit is running out of time too.
      if ((error as { code?: string }).code === 'SQLITE_BUSY')
        throw new SearchTimeoutError(this.#timeLimitMs);
      throw error;
    } finally {
      this.#deadline = Number.POSITIVE_INFINITY;
    }
  }
}
