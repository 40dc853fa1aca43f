/**
 * One source, one pass: fetch → ingest (ingest-body.ts) → commit. Everything a fetch changed (entries,
 * validators, schedule, status, the fetch log row) reaches the store in a single `commitFetch` transaction,
 * so a crash at any moment leaves either the old state or the new one, and never validators without their
 * entries.
 */
import type { Logger } from 'pino';
import type { Rule } from '../content/rules.js';
import { crashPoint } from '../crash-point.js';
import { discover, type FetchOutcome, type FetchPolicy, fetchFeed, type Limiter } from '../fetch/index.js';
import { FeedError } from '../parse/errors.js';
import { backoff, type Random } from '../schedule/index.js';
import { type CommitResult, type FetchCheckpoint, pollUrl, type Source, type Store } from '../store/index.js';
import { publicUrl } from '../url-display.js';
import { type FetchedFeed, maintainSubscription, pollAround, type WebSubOptions } from '../websub/index.js';
import { feedFacts } from './feed-facts.js';
import { type Body, type Ingested, ingestBody } from './ingest-body.js';
import type { FeedReader } from './parse-pool.js';

export interface IngestDeps {
  store: Store;
  fetchPolicy: Partial<FetchPolicy>;
  /** Global rules (config `rules:`), applied before each source's own (`source.options.rules`). */
  rules?: readonly Rule[];
  /** `site.backlog_days`: posts older than this in a source's first fetch are its backlog, kept off the
   * river (see `FetchCheckpoint.backlogBefore`); absent, nothing is. */
  backlogDays?: number;
  /** Global and per-host concurrency of outgoing fetches. */
  limiter?: Limiter;
  /** Where fetched bytes are parsed and sanitized: a ParsePool's threads, or (by default) this thread. */
  reader?: FeedReader;
  random: Random;
  now: () => Date;
  log: Logger;
  /** WebSub: subscribe to hubs feeds advertise (with `callbackBase`), ping our own `hub`. */
  websub?: WebSubOptions;
}

export interface SourceResult extends CommitResult {
  source: Source;
  outcome: FetchCheckpoint['outcome'];
  error?: string;
}

/** Fetches, reads and commits one source. */
export async function refreshSource(
  deps: IngestDeps,
  source: Source,
  signal?: AbortSignal,
): Promise<SourceResult> {
  return commitSource(deps, source, await fetchSource(deps, source, signal));
}

/** A source's fetch, read into the checkpoint that commitSource stores. */
export interface FetchedSource {
  url: string;
  checkpoint: FetchCheckpoint;
}

/** Fetches `source` and reads what came back (parse, sanitize, rules, schedule): everything but the commit. */
export async function fetchSource(
  deps: IngestDeps,
  source: Source,
  signal?: AbortSignal,
): Promise<FetchedSource> {
  const url = pollUrl(source);
  crashPoint('fetch');
  const started = deps.now();
  const outcome = await fetchFeed(url, {
    validators: { etag: source.etag, lastModified: source.lastModified },
    policy: deps.fetchPolicy,
    limiter: deps.limiter,
    signal,
  });
  return { url, checkpoint: await checkpointFor(deps, source, url, outcome, started, signal) };
}

/** Stores a fetched source's checkpoint in one transaction, and logs what it brought. */
export async function commitSource(
  deps: IngestDeps,
  source: Source,
  { url, checkpoint }: FetchedSource,
): Promise<SourceResult> {
  const result = await deps.store.commitFetch(source.id, checkpoint);
  const fields = {
    source: source.id,
    url,
    outcome: checkpoint.outcome,
    status: checkpoint.httpStatus,
    ms: checkpoint.durationMs,
  };
  // A fetch that changed nothing is a debug line: at info, a planet of thousands of sources would log
  // thousands of "nothing new" lines per pass (the pass itself is summed up at info by refreshAll's callers).
  if (checkpoint.error)
    deps.log.warn({ ...fields, error: checkpoint.error }, `fetch failed: ${source.name ?? url}`);
  else
    deps.log[result.newCount + result.updatedCount > 0 ? 'info' : 'debug'](
      { ...fields, new: result.newCount, updated: result.updatedCount },
      `fetched ${source.name ?? url}`,
    );
  return {
    ...result,
    source,
    outcome: checkpoint.outcome,
    ...(checkpoint.error && { error: checkpoint.error }),
  };
}

async function checkpointFor(
  deps: IngestDeps,
  source: Source,
  url: string,
  outcome: FetchOutcome,
  fetchedAt: Date,
  signal?: AbortSignal,
): Promise<FetchCheckpoint> {
  const base = { fetchedAt, durationMs: outcome.durationMs };
  switch (outcome.kind) {
    case 'ok': {
      const fetchedAtMs = fetchedAt.getTime();
      let ingested: Ingested;
      let fetched: FetchedFeed;
      try {
        ingested = await ingestBody(deps, source, bodyOf(outcome), fetchedAtMs, signal);
        fetched = { feed: ingested.feed, headers: outcome.headers, url: outcome.finalUrl };
      } catch (e) {
        const discovered =
          e instanceof FeedError && e.code === 'html-page'
            ? await discoverFeed(deps, source, url, outcome, fetchedAtMs, signal)
            : undefined;
        if (!discovered)
          return failure(deps, source, base, outcome.status, describeParseError(e, url), outcome.body.length);
        // The configured URL is a page (a blog's home, a YouTube channel): remember its feed and read that.
        await deps.store.setLearned(source.id, 'feedUrl', discovered.url);
        deps.log.info({ source: source.id, page: url, feed: discovered.url }, 'autodiscovered feed');
        ingested = discovered.ingested;
        // What the feed is known by from here on (WebSub topic) is public: no user:password.
        fetched = { feed: ingested.feed, headers: discovered.headers, url: publicUrl(discovered.url) };
      }
      const { feed, rows } = ingested;
      const entryDates = rows.flatMap((r) => (r.publishedMs === undefined ? [] : [new Date(r.publishedMs)]));
      const subscription = await maintainSubscription(deps, source, fetched);
      // With pushes arriving, polling is a safety net (that still comes in time to renew the lease).
      const next = pollAround(subscription, {
        now: deps.now(),
        entryDates,
        ttlMinutes: feed._ttl_minutes,
        minIntervalSeconds: outcome.cacheMaxAgeSeconds,
        previousIntervalSeconds: source.intervalSeconds,
        random: deps.random,
      });
      return {
        ...base,
        outcome: 'ok',
        rows,
        ...(deps.backlogDays && { backlogBefore: new Date(fetchedAtMs - deps.backlogDays * 86_400_000) }),
        feed: feedFacts(feed),
        validators: outcome.validators,
        nextFetchAt: next.at,
        intervalSeconds: next.intervalSeconds,
        httpStatus: outcome.status,
        bytes: outcome.body.length,
        permanentRedirect: outcome.permanentRedirect,
      };
    }
    case 'notModified': {
      const next = pollAround(await maintainSubscription(deps, source), {
        now: deps.now(),
        entryDates: [],
        minIntervalSeconds: outcome.cacheMaxAgeSeconds,
        previousIntervalSeconds: source.intervalSeconds,
        random: deps.random,
      });
      return {
        ...base,
        outcome: 'notModified',
        validators: outcome.validators,
        nextFetchAt: next.at,
        intervalSeconds: next.intervalSeconds,
        httpStatus: 304,
        bytes: 0,
        permanentRedirect: outcome.permanentRedirect,
      };
    }
    case 'gone':
      return { ...base, outcome: 'gone', httpStatus: 410, error: `${outcome.reason} (polling stopped)` };
    case 'throttled':
      return {
        ...base,
        outcome: 'throttled',
        httpStatus: outcome.status,
        error: outcome.reason,
        nextFetchAt: backoff({
          now: deps.now(),
          errorCount: source.errorCount + 1,
          httpStatus: outcome.status,
          retryAfterSeconds: outcome.retryAfterSeconds,
          random: deps.random,
        }),
      };
    case 'failed':
      return failure(deps, source, base, outcome.status, outcome.reason);
  }
}

function failure(
  deps: IngestDeps,
  source: Source,
  base: { fetchedAt: Date; durationMs: number },
  httpStatus: number | undefined,
  error: string,
  bytes?: number,
): FetchCheckpoint {
  return {
    ...base,
    outcome: 'failed',
    httpStatus,
    bytes,
    error,
    nextFetchAt: backoff({
      now: deps.now(),
      errorCount: source.errorCount + 1,
      httpStatus,
      random: deps.random,
    }),
  };
}

function describeParseError(e: unknown, url: string): string {
  // Stored as the source's last error, which public pages show: the URL goes in without credentials.
  if (e instanceof FeedError) return `not a readable feed at ${publicUrl(url)}: ${e.message}`;
  return `parser failed on ${publicUrl(url)}: ${(e as Error)?.message ?? String(e)}`;
}

/** Follows the advertised feeds (and YouTube's channel mapping) of `page`, fetched from `pageUrl`, to the
 * first one that parses, ingested as any fetched body is. */
async function discoverFeed(
  deps: IngestDeps,
  source: Source,
  pageUrl: string,
  page: Extract<FetchOutcome, { kind: 'ok' }>,
  fetchedAtMs: number,
  signal?: AbortSignal,
): Promise<{ url: string; headers: Record<string, string>; ingested: Ingested } | undefined> {
  const found = await discover(pageUrl, { policy: deps.fetchPolicy, limiter: deps.limiter, signal, page });
  for (const candidate of found.candidates.slice(0, 3)) {
    if (candidate.url === pageUrl) continue;
    const outcome = await fetchFeed(candidate.url, {
      policy: deps.fetchPolicy,
      limiter: deps.limiter,
      signal,
    });
    if (outcome.kind !== 'ok') continue;
    try {
      const ingested = await ingestBody(deps, source, bodyOf(outcome), fetchedAtMs, signal);
      return { url: candidate.url, headers: outcome.headers, ingested };
    } catch {}
  }
  return undefined;
}

function bodyOf(outcome: Extract<FetchOutcome, { kind: 'ok' }>): Body {
  return {
    bytes: outcome.body,
    url: outcome.finalUrl,
    contentType: outcome.contentType,
    headers: outcome.headers,
  };
}
