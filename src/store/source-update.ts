/**
 * How one fetch changes a source's row (backend-neutral): status, error count, validators, schedule and
 * the permanent-redirect confirmation. The backend writes the result in the same transaction as the entries.
 */
import { sourceUrl } from './canonical-url.js';
import { FETCH_LOG_KEEP_DAYS, type FetchCheckpoint, type Source, type SourceId } from './store.js';

/** A permanent redirect moves a source only once seen on this many consecutive completed fetches. */
export const REDIRECT_CONFIRMATIONS = 2;

export type SourceFetchState = Pick<
  Source,
  | 'url'
  | 'title'
  | 'homePageUrl'
  | 'status'
  | 'etag'
  | 'lastModified'
  | 'nextFetchAt'
  | 'lastFetchAt'
  | 'lastSuccessAt'
  | 'lastStatus'
  | 'lastError'
  | 'errorCount'
  | 'intervalSeconds'
  | 'pendingRedirect'
  | 'redirectSeenCount'
>;

export function sourceAfterFetch(source: Source, cp: FetchCheckpoint): SourceFetchState {
  const reachedServer = cp.outcome === 'ok' || cp.outcome === 'notModified';
  const failed = cp.outcome === 'failed' || cp.outcome === 'throttled';
  const keepPaused = (status: Source['status']) => (source.status === 'paused' ? 'paused' : status);
  const state: SourceFetchState = {
    url: source.url,
    title: cp.outcome === 'ok' ? (cp.feed?.title ?? source.title) : source.title,
    homePageUrl: cp.outcome === 'ok' ? (cp.feed?.homePageUrl ?? source.homePageUrl) : source.homePageUrl,
    status: cp.outcome === 'gone' ? 'gone' : keepPaused(failed ? 'error' : 'active'),
    etag: source.etag,
    lastModified: source.lastModified,
    nextFetchAt: cp.outcome === 'gone' ? undefined : cp.nextFetchAt,
    lastFetchAt: cp.fetchedAt,
    lastSuccessAt: reachedServer ? cp.fetchedAt : source.lastSuccessAt,
    lastStatus: cp.httpStatus ?? source.lastStatus,
    lastError: reachedServer
      ? undefined
      : (cp.error ?? `${cp.outcome}${cp.httpStatus ? ` (HTTP ${cp.httpStatus})` : ''}`),
    errorCount: failed ? source.errorCount + 1 : reachedServer ? 0 : source.errorCount,
    intervalSeconds: cp.intervalSeconds ?? source.intervalSeconds,
    pendingRedirect: source.pendingRedirect,
    redirectSeenCount: source.redirectSeenCount,
  };
  if (cp.outcome === 'ok') {
    // A 200 carries the whole truth: a validator it no longer sends must not be replayed.
    state.etag = cp.validators?.etag;
    state.lastModified = cp.validators?.lastModified;
  } else if (cp.outcome === 'notModified') {
    state.etag = cp.validators?.etag ?? source.etag;
    state.lastModified = cp.validators?.lastModified ?? source.lastModified;
  }
  applyRedirect(state, source, cp, reachedServer);
  return state;
}

/** Fetch-log rows of a source older than this (epoch ms) go when a fetch at `fetchedMs` is logged. */
export function fetchLogHorizonMs(fetchedMs: number): number {
  return fetchedMs - FETCH_LOG_KEEP_DAYS * 86_400_000;
}

/** When a lease taken at `now` for `leaseSeconds` (a positive number) runs out, in epoch ms. */
export function leaseEndMs(now: Date, leaseSeconds: number): number {
  if (!(leaseSeconds > 0 && Number.isFinite(leaseSeconds))) {
    throw new RangeError(`lease must last a positive number of seconds, not ${leaseSeconds}`);
  }
  return now.getTime() + Math.ceil(leaseSeconds * 1000);
}

/** A feed moved to a URL that is already subscribed: this source stops, the `holder` carries on with it. */
export function stopAtSubscribedUrl(state: SourceFetchState, source: Source, holder: SourceId): void {
  state.lastError = `moved permanently to ${state.url}, which is already source ${holder}`;
  state.url = source.url;
  state.status = 'gone';
  state.nextFetchAt = undefined;
}

/** Counts a permanent redirect towards confirmation; a completed fetch without one breaks the streak. */
function applyRedirect(
  state: SourceFetchState,
  source: Source,
  cp: FetchCheckpoint,
  reachedServer: boolean,
): void {
  const target = cp.permanentRedirect && asSourceUrl(cp.permanentRedirect);
  if (!target || target === source.url) {
    if (reachedServer) {
      state.pendingRedirect = undefined;
      state.redirectSeenCount = 0;
    }
    return;
  }
  const seen = target === source.pendingRedirect ? source.redirectSeenCount + 1 : 1;
  if (seen >= REDIRECT_CONFIRMATIONS) {
    state.url = target;
    state.pendingRedirect = undefined;
    state.redirectSeenCount = 0;
  } else {
    state.pendingRedirect = target;
    state.redirectSeenCount = seen;
  }
}

/** A redirect target that is not an http(s) URL is not followed (the fetch stage should not report one). */
function asSourceUrl(target: string): string | undefined {
  try {
    return sourceUrl(target);
  } catch {
    return undefined;
  }
}
