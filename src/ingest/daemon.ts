/** `tributary run`'s loop: refresh whatever is due, sleep until something may be, stop cleanly on a signal
 * (in-flight fetches finish and commit; nothing new starts). */
import { announceNewEntries } from '../websub/index.js';
import { type RefreshSummary, refreshAll } from './refresh-all.js';
import type { IngestDeps } from './refresh-source.js';

export interface DaemonOptions {
  concurrency: number;
  signal: AbortSignal;
  /** Names this process in source leases, so many workers on many machines share one database. */
  workerId: string;
  /** How long a claimed source stays ours; a worker that dies loses its claims after this. */
  leaseSeconds?: number;
  /** How long to sleep when nothing is due (ms). */
  idleMs?: number;
  /** Called after each pass with when it started and what it did (the email digest hangs here). */
  afterPass?: (startedAt: Date, summary: RefreshSummary) => Promise<void>;
}

export async function runDaemon(deps: IngestDeps, opts: DaemonOptions): Promise<void> {
  // A due-sources query every few seconds is cheap, and keeps a dead worker's released sources from waiting long.
  const idleMs = opts.idleMs ?? 5_000;
  // Abort stops new work only; fetches already running get their own deadline and commit.
  const noAbort = new AbortController().signal;
  while (!opts.signal.aborted) {
    // Claim (lease) what is due, so another worker never fetches the same source in the same cycle.
    const due = await deps.store.claimDueSources(
      deps.now(),
      opts.concurrency * 4,
      opts.workerId,
      opts.leaseSeconds ?? 300,
    );
    if (due.length > 0) {
      const startedAt = deps.now();
      const summary = await refreshAll(deps, due, {
        concurrency: opts.concurrency,
        signal: opts.signal,
        inFlightSignal: noAbort,
      });
      deps.log.info({ ...summary, results: undefined }, 'refresh pass done');
      await announceNewEntries(deps, summary.newEntries);
      await opts.afterPass?.(startedAt, summary);
    } else {
      await sleep(idleMs, opts.signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
