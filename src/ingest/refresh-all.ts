/** Many sources, bounded: at most `concurrency` fetch → read pipelines in flight, so memory follows the work
 * in progress, not the number of sources. Per-host politeness is the fetch stage's limiter.
 *
 * A pipeline hands its checkpoint to the store and goes on to its next source without waiting for the
 * commit: the store batches checkpoints into shared transactions (one durable write for many sources), and a
 * pipeline that waited for each would sit idle through every batch. At most UNCOMMITTED_PER_PIPELINE ×
 * `concurrency` checkpoints wait for their commit at a time; the pass returns once every one has committed. */
import type { Source } from '../store/index.js';
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

export interface RefreshSummary {
  sources: number;
  ok: number;
  notModified: number;
  failed: number;
  newEntries: number;
  updatedEntries: number;
  results: SourceResult[];
}

export interface RefreshOptions {
  concurrency: number;
  /** Stops starting new sources. */
  signal?: AbortSignal;
  /** Aborts fetches in flight; defaults to `signal`. The daemon passes a never-aborting one so that a
   * SIGTERM lets running fetches finish and commit. */
  inFlightSignal?: AbortSignal;
  /** Called after each source is committed, with how many are done. */
  onProgress?: (done: number, total: number, result: SourceResult) => void;
}

export async function refreshAll(
  deps: IngestDeps,
  sources: Source[],
  opts: RefreshOptions,
): Promise<RefreshSummary> {
  const summary: RefreshSummary = {
    sources: sources.length,
    ok: 0,
    notModified: 0,
    failed: 0,
    newEntries: 0,
    updatedEntries: 0,
    results: [],
  };
  const pipelines = Math.max(1, Math.min(opts.concurrency, sources.length));
  const committing = new Set<Promise<void>>();
  let next = 0;
  let done = 0;
  const finish = (result: SourceResult) => {
    tally(summary, result);
    opts.onProgress?.(++done, sources.length, result);
  };
  const pipeline = async () => {
    while (next < sources.length && !opts.signal?.aborted) {
      const source = sources[next++]!;
      let fetched: FetchedSource;
      try {
        fetched = await fetchSource(deps, source, opts.inFlightSignal ?? opts.signal);
      } catch (e) {
        finish(storeFailure(deps, source, e));
        continue;
      }
      while (committing.size >= pipelines * UNCOMMITTED_PER_PIPELINE) await Promise.race(committing);
      const settled: Promise<void> = commitSource(deps, source, fetched)
        .catch((e) => storeFailure(deps, source, e))
        .then(finish)
        .finally(() => committing.delete(settled));
      committing.add(settled);
    }
  };
  await Promise.all(Array.from({ length: pipelines }, pipeline));
  await Promise.all(committing);
  return summary;
}

/** Fetch and parse failures are outcomes; only the store throws (a commit, or autodiscovery recording the feed
 * it found). That source stays as it was — its checkpoint did not commit — and the others go on. */
function storeFailure(deps: IngestDeps, source: Source, e: unknown): SourceResult {
  const error = `could not store ${source.url}: ${(e as Error).message}`;
  deps.log.error({ source: source.id, url: source.url, error }, 'commit failed');
  return { source, outcome: 'failed', error, newCount: 0, updatedCount: 0 };
}

function tally(s: RefreshSummary, r: SourceResult): void {
  s.results.push(r);
  s.newEntries += r.newCount;
  s.updatedEntries += r.updatedCount;
  if (r.outcome === 'ok') s.ok++;
  else if (r.outcome === 'notModified') s.notModified++;
  else s.failed++;
}
