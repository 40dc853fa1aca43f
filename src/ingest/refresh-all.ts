/** Many sources, bounded: at most `concurrency` fetch → read pipelines in flight, so memory follows the work
 * in progress, not the number of sources. Per-host politeness is the fetch stage's limiter; pipelines take
 * their next source from per-host queues (host-queues.ts), so none waits on a busy host while another host has
 * work.
 *
 * A pipeline hands its checkpoint to the store and goes on to its next source without waiting for the
 * commit: the store batches checkpoints into shared transactions (one durable write for many sources), and a
 * pipeline that waited for each would sit idle through every batch. At most UNCOMMITTED_PER_PIPELINE ×
 * `concurrency` checkpoints wait for their commit at a time; the pass returns once every one has committed. */
import { sharedLimiter } from '../fetch/index.js';
import type { Source } from '../store/index.js';
import { HostQueues } from './host-queues.js';
import {
  commitSource,
  type FetchedSource,
  fetchSource,
  type IngestDeps,
  type SourceResult,
} from './refresh-source.js';

/** Checkpoints (feeds' worth of rows) a pipeline may leave waiting for their commit: enough to fill the
 * store's batches (a SQLite batch of 64 commits at once) without holding more than a few feeds per pipeline. */
const UNCOMMITTED_PER_PIPELINE = 4;

export interface RefreshCounts {
  sources: number;
  ok: number;
  notModified: number;
  failed: number;
  newEntries: number;
  updatedEntries: number;
}

export interface RefreshSummary extends RefreshCounts {
  results: SourceResult[];
}

export interface RefreshOptions {
  concurrency: number;
  /** Stops starting new sources. */
  signal?: AbortSignal;
  /** Aborts fetches in flight; defaults to `signal`. */
  inFlightSignal?: AbortSignal;
  /** Called after each source is committed, with how many are done. */
  onProgress?: (done: number, total: number, result: SourceResult) => void;
}

export async function refreshAll(
  deps: IngestDeps,
  sources: Source[],
  opts: RefreshOptions,
): Promise<RefreshSummary> {
  const summary: RefreshSummary = { ...noCounts(), sources: sources.length, results: [] };
  const queues = new HostQueues(deps.limiter ?? sharedLimiter);
  queues.add(sources);
  const wake = () => queues.nudge();
  opts.signal?.addEventListener('abort', wake, { once: true });
  let done = 0;
  try {
    await runPipelines(deps, {
      pipelines: Math.min(opts.concurrency, sources.length),
      inFlightSignal: opts.inFlightSignal ?? opts.signal,
      async next() {
        for (;;) {
          if (opts.signal?.aborted) return undefined;
          const source = queues.take();
          if (source || queues.size === 0) return source;
          await queues.changed();
        }
      },
      settled(result) {
        tally(summary, result);
        summary.results.push(result);
        opts.onProgress?.(++done, sources.length, result);
      },
    });
  } finally {
    opts.signal?.removeEventListener('abort', wake);
  }
  return summary;
}

export interface Pipelines {
  pipelines: number;
  /** Aborts fetches in flight. */
  inFlightSignal?: AbortSignal;
  /** The next source to fetch, once its fetch can start; undefined when this pipeline is to stop. The fetch
   * starts before anything else is awaited (see HostQueues.take). */
  next(): Promise<Source | undefined>;
  /** Each source taken, once committed (or failed). */
  settled(result: SourceResult): void;
}

/** Runs fetch → read → commit pipelines until each gets no next source, and their commits are done. */
export async function runPipelines(deps: IngestDeps, p: Pipelines): Promise<void> {
  const pipelines = Math.max(1, p.pipelines);
  const committing = new Set<Promise<void>>();
  const pipeline = async () => {
    for (let source = await p.next(); source; source = await p.next()) {
      let fetched: FetchedSource;
      try {
        fetched = await fetchSource(deps, source, p.inFlightSignal);
      } catch (e) {
        p.settled(storeFailure(deps, source, e));
        continue;
      }
      while (committing.size >= pipelines * UNCOMMITTED_PER_PIPELINE) await Promise.race(committing);
      const settled: Promise<void> = commitSource(deps, source, fetched)
        .catch((e) => storeFailure(deps, source, e))
        .then(p.settled)
        .finally(() => committing.delete(settled));
      committing.add(settled);
    }
  };
  await Promise.all(Array.from({ length: pipelines }, pipeline));
  await Promise.all(committing);
}

export function noCounts(): RefreshCounts {
  return { sources: 0, ok: 0, notModified: 0, failed: 0, newEntries: 0, updatedEntries: 0 };
}

/** Fetch and parse failures are outcomes; only the store throws (a commit, or autodiscovery recording the feed
 * it found). That source stays as it was — its checkpoint did not commit — and the others go on. */
function storeFailure(deps: IngestDeps, source: Source, e: unknown): SourceResult {
  const error = `could not store ${source.url}: ${(e as Error).message}`;
  deps.log.error({ source: source.id, url: source.url, error }, 'commit failed');
  return { source, outcome: 'failed', error, newCount: 0, updatedCount: 0 };
}

export function tally(s: RefreshCounts, r: SourceResult): void {
  s.newEntries += r.newCount;
  s.updatedEntries += r.updatedCount;
  if (r.outcome === 'ok') s.ok++;
  else if (r.outcome === 'notModified') s.notModified++;
  else s.failed++;
}
