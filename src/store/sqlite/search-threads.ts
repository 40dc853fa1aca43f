/**
 * Where SQLite searches run: on threads of their own, each with its own read-only connection (better-sqlite3
 * is synchronous, so a search on the main thread would hold up every page while it runs), as many as the
 * search gate lets run at once. An in-memory database cannot be opened by another thread: its searches run
 * on the store's own connection.
 */
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { SearchGate, type SearchLimits, SearchTimeoutError } from '../search-gate.js';
import type { SearchPage, SearchRequest } from '../store.js';
import { SqliteSearcher } from './search.js';
import type { SearchThreadData, SearchThreadReply } from './search-worker.js';

export interface Searcher {
  search(request: SearchRequest): Promise<SearchPage>;
  close(): Promise<void>;
}

interface Thread {
  worker: Worker;
  task?: { resolve: (page: SearchPage) => void; reject: (error: Error) => void };
}

export class SearchThreads implements Searcher {
  readonly #gate: SearchGate;
  readonly #data: SearchThreadData;
  /** Threads waiting for a search; started on first use, never more than the gate lets run at once. */
  readonly #idle: Thread[] = [];
  readonly #threads = new Set<Thread>();
  #closed = false;

  constructor(path: string, limits: Partial<SearchLimits>) {
    this.#gate = new SearchGate(limits);
    const { timeLimitMs, rankedMatches } = this.#gate.limits;
    this.#data = { path, timeLimitMs, ...(rankedMatches !== undefined && { rankedMatches }) };
  }

  search(request: SearchRequest): Promise<SearchPage> {
    if (this.#closed) return Promise.reject(new Error('cannot search: the store is closed'));
    return this.#gate.run(
      (deadline) =>
        new Promise((resolve, reject) => {
          const thread = this.#idle.pop() ?? this.#spawn();
          thread.task = { resolve, reject };
          thread.worker.ref();
          thread.worker.postMessage({ request, deadline });
        }),
    );
  }

  async close(): Promise<void> {
    this.#closed = true;
    const threads = [...this.#threads];
    this.#threads.clear();
    this.#idle.length = 0;
    for (const thread of threads) thread.task?.reject(new Error('cannot search: the store was closed'));
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  #spawn(): Thread {
    const worker = new Worker(new URL('./search-worker.js', import.meta.url), { workerData: this.#data });
    const thread: Thread = { worker };
    this.#threads.add(thread);
    worker.on('message', (reply: SearchThreadReply) => {
      const task = thread.task;
      thread.task = undefined;
      // An idle thread never keeps the process alive.
      worker.unref();
      this.#idle.push(thread);
      if ('page' in reply) task?.resolve(reply.page);
      else if ('timeout' in reply) task?.reject(new SearchTimeoutError(this.#data.timeLimitMs));
      else task?.reject(new Error(`search failed: ${reply.error}`));
    });
    const lost = (cause: string) => {
      // A thread that failed is dropped; the next search starts another.
      if (!this.#threads.delete(thread)) return;
      const at = this.#idle.indexOf(thread);
      if (at !== -1) this.#idle.splice(at, 1);
      thread.task?.reject(new Error(`the search thread ${cause}`));
    };
    worker.on('error', (error) => lost(`failed: ${error.message}`));
    worker.on('exit', (code) => lost(`exited (code ${code})`));
    return thread;
  }
}

/** Searches of an in-memory database, on its own connection (tests, one-off use). */
export function inlineSearcher(db: Database.Database, limits: Partial<SearchLimits>): Searcher {
  const gate = new SearchGate(limits);
  const searcher = new SqliteSearcher(db, gate.limits);
  return {
    search: (request) => gate.run(async (deadline) => searcher.run(request, deadline)),
    close: async () => {},
  };
}
