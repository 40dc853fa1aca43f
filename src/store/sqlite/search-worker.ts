/** A search thread (search-threads.ts): one read-only connection, one search at a time. */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { SearchTimeoutError } from '../search-gate.js';
import type { SearchRequest } from '../store.js';
import { type SearcherLimits, SqliteSearcher } from './search.js';

export interface SearchThreadData extends SearcherLimits {
  path: string;
}

export type SearchThreadReply =
  | { page: ReturnType<SqliteSearcher['run']> }
  | { timeout: true }
  | { error: string };

const { path, ...limits } = workerData as SearchThreadData;
// Pages before searches when the cores are busy: on Linux a nice value is per thread (setpriority on the
// calling thread), so this lowers the search threads alone; elsewhere it would lower the whole server.
if (process.platform === 'linux') setPriority(5);
const searcher = SqliteSearcher.open(path, limits);

parentPort!.on('message', ({ request, deadline }: { request: SearchRequest; deadline: number }) => {
  let reply: SearchThreadReply;
  try {
    reply = { page: searcher.run(request, deadline) };
  } catch (error) {
    reply = error instanceof SearchTimeoutError ? { timeout: true } : { error: (error as Error).message };
  }
  parentPort!.postMessage(reply);
});
