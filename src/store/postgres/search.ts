/**
 * Search on PostgreSQL: a parsed search (search-query.ts) as a tsquery, run on a pool of its own whose
 * connections carry the time limit as their statement_timeout, so the server itself cancels a search that
 * runs too long, and searches never take the connections that pages and commits need.
 */
import pg from 'pg';
import type { EntryColumns } from '../entry-row.js';
import { SearchGate, type SearchLimits, SearchTimeoutError } from '../search-gate.js';
import type { SearchTerm, SearchTerms } from '../search-query.js';
import { searchPage } from '../search-snippet.js';
import type { SearchPage, SearchRequest } from '../store.js';
import { ENTRY_COLUMNS, indexedText, TS_CONFIG } from './entry-writes.js';

/** The error PostgreSQL reports for a statement cancelled by its statement_timeout. */
const QUERY_CANCELED = '57014';

/**
 * The tsquery text of a search: each word a quoted lexeme (normalised by `to_tsquery` as the indexed text
 * was: stemmed, stop words dropped, accents folded here first), phrases joined by `<->`, a prefix as
 * `'kern':*`. Undefined when there is nothing to look for.
 */
export function tsquery(terms: SearchTerms): string | undefined {
  if (terms.all.length === 0) return undefined;
  const wanted = terms.all.map((group) =>
    group.length === 1 ? tsTerm(group[0]!) : `(${group.map(tsTerm).join(' | ')})`,
  );
  return [...wanted, ...terms.none.map((term) => `!${tsTerm(term)}`)].join(' & ');
}

function tsTerm(term: SearchTerm): string {
  const lexemes = term.words.map((word, i) => {
    const quoted = `'${indexedText(word).replace(/['\\]/g, (c) => c + c)}'`;
    return term.prefix && i === term.words.length - 1 ? `${quoted}:*` : quoted;
  });
  return lexemes.length === 1 ? lexemes[0]! : `(${lexemes.join(' <-> ')})`;
}

export class PostgresSearcher {
  readonly #gate: SearchGate;
  readonly #config: pg.PoolConfig;
  #pool: pg.Pool | undefined;

  constructor(config: pg.PoolConfig, limits: Partial<SearchLimits>) {
    this.#gate = new SearchGate(limits);
    const { concurrency, timeLimitMs } = this.#gate.limits;
    // The connection string's statement_timeout (the store's default) would win over a config field.
    const url = new URL(String(config.connectionString));
    url.searchParams.set('statement_timeout', String(timeLimitMs));
    this.#config = { ...config, connectionString: url.href, max: concurrency };
  }

  search(request: SearchRequest): Promise<SearchPage> {
    const query = tsquery(request);
    if (!query) return Promise.resolve({ hits: [], more: false });
    const params: unknown[] = [query];
    const where = ['search @@ q'];
    if (request.sourceIds) {
      params.push(request.sourceIds);
      where.push(`source_id = ANY($${params.length}::bigint[])`);
    }
    if (request.tags?.length) {
      // Tags are JSON text: lower-cased whole, it contains the wanted (lower-case) tags or not.
      params.push(JSON.stringify(request.tags));
      where.push(`lower(tags)::jsonb @> $${params.length}::jsonb`);
    }
    params.push(request.limit + 1, request.offset ?? 0);
    const sql = `SELECT ${ENTRY_COLUMNS} FROM entries, to_tsquery('${TS_CONFIG}', $1) AS q
      WHERE ${where.join(' AND ')}
      ORDER BY ts_rank(search, q) DESC, id DESC LIMIT $${params.length - 1} OFFSET $${params.length}`;
    return this.#gate.run(async () => {
      let rows: EntryColumns[];
      try {
        rows = (await this.#connections().query<EntryColumns>(sql, params)).rows;
      } catch (error) {
        if ((error as { code?: string }).code === QUERY_CANCELED)
          throw new SearchTimeoutError(this.#gate.limits.timeLimitMs);
        throw error;
      }
      return searchPage(rows, request);
    });
  }

  async close(): Promise<void> {
    await this.#pool?.end();
  }

  /** Opened on first search: commands that never search open no connection for it. */
  #connections(): pg.Pool {
    if (!this.#pool) {
      this.#pool = new pg.Pool(this.#config);
      // As for the store's pool: an idle connection the server dropped is replaced, not a crash.
      this.#pool.on('error', () => {});
    }
    return this.#pool;
  }
}
