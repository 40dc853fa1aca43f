/**
 * How searches run, on either backend: a few at a time, a short queue behind them, a time limit on each.
 *
 * Every search of new words is real work for the database, and a flood of them (a crawler, a script) must
 * not take the site down with it: past the queue a search is refused at once (SearchBusyError: the server
 * answers 503 with Retry-After), and one that cannot start or finish within the time limit is given up
 * (SearchTimeoutError: a message saying so). A given-up search keeps its place until the backend has
 * really stopped it (PostgreSQL cancels it at its statement_timeout, SQLite's thread at its next row), so
 * the bound is on work being done, not on callers waiting.
 */
import pLimit, { type LimitFunction } from 'p-limit';

export interface SearchLimits {
  /** Searches running at once (SQLite: threads; PostgreSQL: connections). */
  concurrency: number;
  /** Searches waiting for one of those; more are refused. */
  queue: number;
  /** How long a search may take, waiting included. */
  timeLimitMs: number;
  /** How many of the newest matches are ranked (RANKED_MATCHES); more find older best matches, and cost
   * more (ranking 100,000 takes about a second). */
  rankedMatches?: number;
}

export const DEFAULT_SEARCH_LIMITS: Readonly<SearchLimits> = { concurrency: 2, queue: 8, timeLimitMs: 2000 };

/** Too many searches at once: try again after `retryAfterSeconds`. */
export class SearchBusyError extends Error {
  override name = 'SearchBusyError';
  constructor(readonly retryAfterSeconds: number) {
    super(`too many searches at once; try again in ${retryAfterSeconds} s`);
  }
}

/** The search did not finish within the time limit and was stopped. */
export class SearchTimeoutError extends Error {
  override name = 'SearchTimeoutError';
  constructor(readonly timeLimitMs: number) {
    super(`the search took longer than ${timeLimitMs} ms and was stopped`);
  }
}

export class SearchGate {
  readonly limits: SearchLimits;
  readonly #limit: LimitFunction;

  constructor(limits: Partial<SearchLimits> = {}) {
    this.limits = { ...DEFAULT_SEARCH_LIMITS, ...limits };
    const { concurrency, queue, timeLimitMs } = this.limits;
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new RangeError(`search concurrency must be a positive integer, not ${concurrency}`);
    if (!Number.isInteger(queue) || queue < 0)
      throw new RangeError(`the search queue must be a whole number, not ${queue}`);
    if (!(timeLimitMs > 0))
      throw new RangeError(`the search time limit must be positive, not ${timeLimitMs}`);
    const { rankedMatches } = this.limits;
    if (rankedMatches !== undefined && (!Number.isInteger(rankedMatches) || rankedMatches < 1))
      throw new RangeError(`the ranked matches of a search must be a positive integer, not ${rankedMatches}`);
    this.#limit = pLimit(concurrency);
  }

  /**
   * Runs `search` when a place is free; it is given the time (epoch ms) by which it must be done. Rejects
   * with SearchBusyError when the queue is full, SearchTimeoutError when the time is up first.
   */
  run<T>(search: (deadline: number) => Promise<T>): Promise<T> {
    const { concurrency, queue, timeLimitMs } = this.limits;
    if (this.#limit.activeCount + this.#limit.pendingCount >= concurrency + queue) {
      return Promise.reject(new SearchBusyError(Math.ceil(timeLimitMs / 1000)));
    }
    const deadline = Date.now() + timeLimitMs;
    const running = this.#limit(() =>
      Date.now() < deadline ? search(deadline) : Promise.reject(new SearchTimeoutError(timeLimitMs)),
    );
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new SearchTimeoutError(timeLimitMs)), deadline - Date.now());
      running.then(resolve, reject).finally(() => clearTimeout(timer));
    });
  }
}
