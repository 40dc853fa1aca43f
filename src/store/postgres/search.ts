/**
 * Search on PostgreSQL: a parsed search (search-query.ts) as a tsquery, run on a pool of its own whose
 * connections carry the time limit as their statement_timeout, so the server itself cancels a search that
 * runs too long, and searches never take the connections that pages and commits need.
 */
import pg from 'pg';
import type { EntryColumns } from '../entry-row.js';
import { SearchGate, type SearchLimits, SearchTimeoutError } from '../search-gate.js';
import { RANKED_MATCHES, type SearchTerm, type SearchTerms } from '../search-query.js';
import { searchPage } from '../search-snippet.js';
import type { SearchPage, SearchRequest } from '../store.js';
import { ENTRY_COLUMNS, indexedText, TS_CONFIG } from './entry-writes.js';
import { afterWalk, FIRST_WALK_PER_WANTED } from './search-plan.js';

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

/** A match among the newest: its id and its rank (ts_rank: higher is better). */
interface Match {
  id: number;
  rank: number;
}

/** A row of the walk: `id` and `rank` are null in the one row it returns when nothing matched. */
type WalkRow = { top: number | null } & { [K in keyof Match]: Match[K] | null };

/** The two statements that find a search's newest matches (see search-plan.ts). */
interface MatchesSql {
  /** The matches among the ids above max(id) - $window, newest first, up to $limit (the two parameters);
   * each row carries max(id) as `top`, and when none match there is one row of that alone. */
  walk: string;
  /** The newest $limit matches (the one parameter), found through the GIN index. */
  index: string;
}

/**
 * `filters`: SQL conditions on `e`, each starting with AND, using parameters 2 to `paramCount` ($1 is the
 * tsquery text); the statements' own parameters follow them.
 */
function matchesSql(filters: string, paramCount: number): MatchesSql {
  const q = `to_tsquery('${TS_CONFIG}', $1) AS q`;
  // The statements' own parameters, after the search's.
  const own = (n: number) => `$${paramCount + n}`;
  return {
    // ts_match_vq is what `@@` calls; written as a function, it is one the planner cannot answer from the
    // GIN index, so the walk stays a walk of the primary key (an index scan bounded by the window).
    walk: `SELECT top.id AS top, m.id, m.rank FROM (SELECT max(id) AS id FROM entries) AS top
      LEFT JOIN LATERAL (SELECT e.id, ts_rank(e.search, q) AS rank FROM entries e, ${q}
        WHERE e.id > top.id - ${own(1)}::bigint AND ts_match_vq(e.search, q)${filters}
        ORDER BY e.id DESC LIMIT ${own(2)}) AS m ON true`,
    // Materialised, the matches come from the GIN index whatever the planner guesses their number to be:
    // asked for the newest few directly, it may walk the primary key instead.
    index: `WITH matches AS MATERIALIZED (SELECT e.id, e.search FROM entries e, ${q} WHERE e.search @@ q${filters})
      SELECT m.id, ts_rank(m.search, q) AS rank
      FROM (SELECT id, search FROM matches ORDER BY id DESC LIMIT ${own(1)}) AS m, ${q}`,
  };
}

export class PostgresSearcher {
  readonly #gate: SearchGate;
  readonly #rankedMatches: number;
  readonly #config: pg.PoolConfig;
  #pool: pg.Pool | undefined;

  constructor(config: pg.PoolConfig, limits: Partial<SearchLimits>) {
    this.#gate = new SearchGate(limits);
    const { concurrency, timeLimitMs, rankedMatches = RANKED_MATCHES } = this.#gate.limits;
    this.#rankedMatches = rankedMatches;
    // The connection string's statement_timeout (the store's default) would win over a config field.
    const url = new URL(String(config.connectionString));
    url.searchParams.set('statement_timeout', String(timeLimitMs));
    // These connections run searches only, and no search wants the whole table read: where the planner
    // overestimates the matches of words that rarely meet (it multiplies their frequencies), the index
    // stays cheaper than a sequential scan of millions of posts.
    url.searchParams.set('options', `${url.searchParams.get('options') ?? ''} -c enable_seqscan=off`.trim());
    this.#config = { ...config, connectionString: url.href, max: concurrency };
  }

  search(request: SearchRequest): Promise<SearchPage> {
    const query = tsquery(request);
    if (!query) return Promise.resolve({ hits: [], more: false });
    const params: unknown[] = [query];
    const filters: string[] = [];
    if (request.sourceIds) {
      params.push(request.sourceIds);
      filters.push(`e.source_id = ANY($${params.length}::bigint[])`);
    }
    if (request.tags?.length) {
      // Tags are JSON text: lower-cased whole, it contains the wanted (lower-case) tags or not.
      params.push(JSON.stringify(request.tags));
      filters.push(`lower(e.tags)::jsonb @> $${params.length}::jsonb`);
    }
    const sql = matchesSql(filters.map((f) => ` AND ${f}`).join(''), params.length);
    return this.#gate.run(async (deadline) => {
      try {
        const ranked = await this.#newestMatches(sql, params, deadline);
        // Best first; the tie-break on id keeps pages of equal ranks from overlapping.
        ranked.sort((a, b) => b.rank - a.rank || b.id - a.id);
        const offset = request.offset ?? 0;
        // One row past the page says whether another follows.
        const page = ranked.slice(offset, offset + request.limit + 1).map((m) => m.id);
        const { rows } = await this.#connections().query<EntryColumns>(
          `SELECT ${ENTRY_COLUMNS} FROM entries WHERE id = ANY($1::bigint[])`,
          [page],
        );
        const byId = new Map(rows.map((row) => [row.id, row]));
        return searchPage(
          page.flatMap((id) => byId.get(id) ?? []),
          request,
        );
      } catch (error) {
        if ((error as { code?: string }).code === QUERY_CANCELED)
          throw new SearchTimeoutError(this.#gate.limits.timeLimitMs);
        throw error;
      }
    });
  }

  /**
   * The newest `rankedMatches` matches (all of them when there are fewer), with their ranks: a walk of the
   * newest posts, then a wider walk or the index as search-plan.ts decides.
   */
  async #newestMatches(sql: MatchesSql, params: unknown[], deadline: number): Promise<Match[]> {
    const wanted = this.#rankedMatches;
    const run = async <Row extends pg.QueryResultRow>(text: string, extra: unknown[]) => {
      // The server stops each statement at the time limit; none starts once the search's time is up.
      if (Date.now() > deadline) throw new SearchTimeoutError(this.#gate.limits.timeLimitMs);
      return (await this.#connections().query<Row>(text, [...params, ...extra])).rows;
    };
    let window = wanted * FIRST_WALK_PER_WANTED;
    // A second, wider walk only where the first found the matches dense enough; else the index.
    for (let walks = 0; walks < 2; walks++) {
      // One row past the wanted ones says that there are more matches than are ranked.
      const rows = await run<WalkRow>(sql.walk, [window, wanted + 1]);
      const found = rows.filter((row): row is WalkRow & Match => row.id !== null);
      if (found.length > wanted) return found.slice(0, wanted);
      const next = afterWalk({ found: found.length, window, top: rows[0]?.top ?? 0, wanted });
      if (next === 'done') return found;
      if (next === 'index') break;
      window = next.walk;
    }
    return run<Match>(sql.index, [wanted]);
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
