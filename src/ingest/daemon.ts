/** `tributary run`'s and `worker`'s loop: claim what is due, fetch and commit it, claim more as pipelines free
 * up (claims.ts), sleep while nothing is due, and stop cleanly on a signal (in-flight fetches finish and
 * commit; nothing new starts; what was claimed and not started is given back). */
import { sharedLimiter } from '../fetch/index.js';
import { announceNewEntries } from '../websub/index.js';
import { Claims } from './claims.js';
import { noCounts, type RefreshCounts, runPipelines, tally } from './refresh-all.js';
import type { IngestDeps } from './refresh-source.js';

export interface DaemonOptions {
  concurrency: number;
  signal: AbortSignal;
  /** Names this process in source leases, so many workers on many machines share one database. */
  workerId: string;
  /** How long a claimed source stays ours unless renewed; a worker that dies loses its claims after this. */
  leaseSeconds?: number;
  /** How long to sleep when nothing is due (ms). */
  idleMs?: number;
  /** Called after each pass with when it started and what it did (the email digest hangs here). */
  afterPass?: (startedAt: Date, summary: RefreshCounts) => Promise<void>;
}

/** Under steady work a pass never runs dry; it is summed up (logged, announced, mailed) this often anyway. */
const PASS_MAX_MS = 60_000;

export async function runDaemon(deps: IngestDeps, opts: DaemonOptions): Promise<void> {
  // A due-sources query every few seconds is cheap, and keeps a dead worker's released sources from waiting long.
  const idleMs = opts.idleMs ?? 5_000;
  let pass = { startedAt: deps.now(), counts: noCounts() };
  let passes = Promise.resolve();
  const endPass = () => {
    if (pass.counts.sources === 0) return;
    const { startedAt, counts } = pass;
    pass = { startedAt: deps.now(), counts: noCounts() };
    const claimed = claims.takeCounts();
    passes = passes
      .then(async () => {
        deps.log.info({ ...counts, ...claimed }, 'refresh pass done');
        await announceNewEntries(deps, counts.newEntries);
        await opts.afterPass?.(startedAt, counts);
      })
      .catch((e) => deps.log.error({ error: (e as Error).message }, 'after the pass'));
  };
  const claims = new Claims(deps, deps.limiter ?? sharedLimiter, {
    workerId: opts.workerId,
    leaseSeconds: opts.leaseSeconds ?? 300,
    idleMs,
    signal: opts.signal,
    onIdle: endPass,
  });
  try {
    // No in-flight signal: a stop lets running fetches finish (they have their own deadline) and commit.
    await runPipelines(deps, {
      pipelines: opts.concurrency,
      next: () => claims.next(),
      settled(result) {
        claims.done(result.source);
        pass.counts.sources++;
        tally(pass.counts, result);
        if (deps.now().getTime() - pass.startedAt.getTime() >= PASS_MAX_MS) endPass();
      },
    });
  } finally {
    await claims.close();
    endPass();
    await passes;
  }
}
