/**
 * `/metrics` (Prometheus text exposition format 0.0.4) and `/healthz`, read from the store on each request.
 *
 * The format is written by hand: it is a few `# HELP`/`# TYPE` lines and `name{labels} value` lines, and
 * prom-client's registry of process-wide mutable counters does not fit numbers that are all read from the
 * store (so that every worker sharing a database reports the same figures). The "last hour" series are
 * therefore windows, not counters that only grow: rate() over them is meaningless, read them as they are.
 */
import { FETCH_DURATION_BOUNDS_MS, type SourceStatus, type Store } from '../store/index.js';

const STATUSES: readonly SourceStatus[] = ['active', 'error', 'gone', 'paused'];
/** Fetch duration histogram buckets, in seconds: the store's (it keeps them counted). */
export const DURATION_BUCKETS = FETCH_DURATION_BOUNDS_MS.map((ms) => ms / 1000);
const WINDOW_MS = 60 * 60 * 1000;

/** Seconds a trivial store call takes (a fetch-log lookup for a source id that never exists); throws when the
 * store does not answer. */
export async function probeStore(store: Store): Promise<number> {
  const started = process.hrtime.bigint();
  await store.fetchLog(new Date(), 0);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** The metrics page for the store as it is at `now`. Every figure is kept counted by the database (sources
 * by status, entries, due sources, the last hour's fetches by minute), so a scrape reads a few rows, whatever
 * the number of sources and fetches. */
export async function renderMetrics(store: Store, now: Date = new Date()): Promise<string> {
  const dbLatency = await probeStore(store);
  const since = new Date(now.getTime() - WINDOW_MS);
  const [counts, m] = await Promise.all([store.sourceCounts(), store.fetchMetrics(now, since)]);

  const out = new MetricsText();
  out.family('tributary_sources', 'gauge', 'Sources by status.');
  for (const status of STATUSES)
    out.sample('tributary_sources', { status }, counts.byStatus.find((c) => c.status === status)?.count ?? 0);
  out.family('tributary_entries_total', 'gauge', 'Entries in the store.');
  out.sample('tributary_entries_total', {}, m.entries);

  const histogram = 'tributary_fetch_duration_seconds';
  out.family(histogram, 'histogram', 'Duration of the fetches of the last hour.');
  DURATION_BUCKETS.forEach((le, i) => {
    out.sample(`${histogram}_bucket`, { le: String(le) }, m.atMost[i]!);
  });
  out.sample(`${histogram}_bucket`, { le: '+Inf' }, m.timedFetches);
  out.sample(`${histogram}_sum`, {}, m.durationMsTotal / 1000);
  out.sample(`${histogram}_count`, {}, m.timedFetches);

  out.family('tributary_fetch_http_status_total', 'gauge', 'Fetches of the last hour by HTTP status.');
  for (const { code, count } of m.byHttpStatus)
    out.sample('tributary_fetch_http_status_total', { code: String(code) }, count);

  out.family('tributary_entries_ingested_total', 'gauge', 'New entries stored in the last hour.');
  out.sample('tributary_entries_ingested_total', {}, m.newEntries);
  out.family(
    'tributary_due_sources',
    'gauge',
    'Sources due for a fetch by the start of this minute (queue depth).',
  );
  out.sample('tributary_due_sources', {}, m.due);
  out.family('tributary_db_latency_seconds', 'gauge', 'Time of a trivial store call.');
  out.sample('tributary_db_latency_seconds', {}, dbLatency);
  return out.toString();
}

class MetricsText {
  readonly #lines: string[] = [];
  family(name: string, type: 'gauge' | 'histogram', help: string): void {
    this.#lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  }
  sample(name: string, labels: Record<string, string>, value: number): void {
    const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
    this.#lines.push(`${name}${pairs.length ? `{${pairs.join(',')}}` : ''} ${value}`);
  }
  toString(): string {
    return `${this.#lines.join('\n')}\n`;
  }
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export interface PlainResponse {
  status: number;
  contentType: string;
  body: string;
}

/** `/metrics` or `/healthz`: never cached (by us or anyone), 503 when the store does not answer (or, for
 * `/healthz`, cannot write). */
export async function operationsResponse(
  kind: 'metrics' | 'healthz',
  store: Store,
  now: Date = new Date(),
): Promise<PlainResponse> {
  const plain = 'text/plain; charset=utf-8';
  try {
    if (kind === 'healthz') {
      await store.checkWritable();
      return { status: 200, contentType: plain, body: 'ok\n' };
    }
    return {
      status: 200,
      contentType: 'text/plain; version=0.0.4; charset=utf-8',
      body: await renderMetrics(store, now),
    };
  } catch (error) {
    return {
      status: 503,
      contentType: plain,
      body: `store unavailable: ${(error as Error)?.message ?? error}\n`,
    };
  }
}
