/** Many sources, bounded: at most `concurrency` fetch → parse → commit pipelines in flight, so memory follows
 * the work in progress, not the number of sources. Per-host politeness is the fetch stage's limiter. */
import type { Source } from '../store/index.js';
import { type IngestDeps, refreshSource, type SourceResult } from './refresh-source.js';

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
  /** Called after each source, with how many are done. */
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
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < sources.length && !opts.signal?.aborted) {
      const source = sources[next++]!;
      let result: SourceResult;
      try {
        result = await refreshSource(deps, source, opts.inFlightSignal ?? opts.signal);
      } catch (e) {
        // Only the store can throw here (fetch and parse failures are outcomes); that source is left as it
        // was — its checkpoint did not commit — and the others go on.
        const error = `could not store ${source.url}: ${(e as Error).message}`;
        deps.log.error({ source: source.id, url: source.url, error }, 'commit failed');
        result = { source, outcome: 'failed', error, newCount: 0, updatedCount: 0 };
      }
      tally(summary, result);
      opts.onProgress?.(++done, sources.length, result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, sources.length)) }, worker));
  return summary;
}

function tally(s: RefreshSummary, r: SourceResult): void {
  s.results.push(r);
  s.newEntries += r.newCount;
  s.updatedEntries += r.updatedCount;
  if (r.outcome === 'ok') s.ok++;
  else if (r.outcome === 'notModified') s.notModified++;
  else s.failed++;
}
