/**
 * How one fetch changes a source's row (backend-neutral): status, error count, validators, schedule and
 * the permanent-redirect confirmation. The backend writes the result in the same transaction as the entries.
 */
import { sourceUrl } from './canonical-url.js';
import {
  FETCH_LOG_KEEP_DAYS,
  FETCH_WINDOW_KEEP_MINUTES,
  type FetchCheckpoint,
  type Source,
  type SourceId,
} from './store.js';

/** A permanent redirect moves a source only once seen on this many consecutive completed fetches... */
export const REDIRECT_CONFIRMATIONS = 2;
/** ...or, to another host (a domain sold, a hosting mistake), on this many at least an hour apart. */
const CROSS_HOST_REDIRECT_CONFIRMATIONS = 3;
const CROSS_HOST_REDIRECT_SPACING_MS = 3_600_000;

/** The URL a source is polled at: where it moved, else the feed its page pointed at, else the declared URL. */
export function pollUrl(source: Pick<Source, 'url' | 'movedTo' | 'options'>): string {
  const discovered = source.options.feedUrl;
  return source.movedTo ?? (typeof discovered === 'string' ? discovered : source.url);
}

/**
 * The host a source is polled at (its poll URL's hostname, '' for a URL that does not parse): the key the
 * fetch limiter counts connections under, and that claims can pass over (`claimDueSources`).
 */
export function pollHost(source: Pick<Source, 'url' | 'movedTo' | 'options'>): string {
  try {
    return new URL(pollUrl(source)).hostname;
  } catch {
    return '';
  }
}

export type SourceFetchState = Pick<
  Source,
  | 'movedTo'
  | 'movedAt'
  | 'redirectSeenAt'
  | 'title'
  | 'homePageUrl'
  | 'feedFace'
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
  | 'lastDurationMs'
>;

export function sourceAfterFetch(source: Source, cp: FetchCheckpoint): SourceFetchState {
  const reachedServer = cp.outcome === 'ok' || cp.outcome === 'notModified';
  const failed = cp.outcome === 'failed' || cp.outcome === 'throttled';
  const keepPaused = (status: Source['status']) => (source.status === 'paused' ? 'paused' : status);
  const state: SourceFetchState = {
    movedTo: source.movedTo,
    movedAt: source.movedAt,
    redirectSeenAt: source.redirectSeenAt,
    title: cp.outcome === 'ok' ? (cp.feed?.title ?? source.title) : source.title,
    homePageUrl: cp.outcome === 'ok' ? (cp.feed?.homePageUrl ?? source.homePageUrl) : source.homePageUrl,
    feedFace: cp.outcome === 'ok' ? (cp.feed?.face ?? source.feedFace) : source.feedFace,
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
    lastDurationMs: cp.durationMs ?? source.lastDurationMs,
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

/** `/metrics`' minutes of fetch figures (`fetch_window`, epoch minutes) before this one go when a fetch at
 * `fetchedMs` is logged. */
export function fetchWindowHorizonMinute(fetchedMs: number): number {
  return Math.floor(fetchedMs / 60_000) - FETCH_WINDOW_KEEP_MINUTES;
}

/** When a lease taken at `now` for `leaseSeconds` (a positive number) runs out, in epoch ms. */
export function leaseEndMs(now: Date, leaseSeconds: number): number {
  if (!(leaseSeconds > 0 && Number.isFinite(leaseSeconds))) {
    throw new RangeError(`lease must last a positive number of seconds, not ${leaseSeconds}`);
  }
  return now.getTime() + Math.ceil(leaseSeconds * 1000);
}

/** A feed moved to a URL another source already polls: this source stops, the `holder` carries on with it. */
export function stopAtSubscribedUrl(state: SourceFetchState, source: Source, holder: SourceId): void {
  state.lastError = `moved permanently to ${state.movedTo}, which source ${holder} already follows; remove one of them from your config`;
  state.movedTo = source.movedTo;
  state.movedAt = source.movedAt;
  state.status = 'gone';
  state.nextFetchAt = undefined;
}

/** The message that tells an operator a source moved and what to do about it. */
export function movedNote(source: Pick<Source, 'movedTo'>): string | undefined {
  return source.movedTo && `moved permanently to ${source.movedTo}; update your config`;
}

/**
 * Counts a permanent redirect towards confirmation; a completed fetch without one breaks the streak. The
 * move is learned (`movedTo`), never written over the declared URL: config sync matches on that.
 */
function applyRedirect(
  state: SourceFetchState,
  source: Source,
  cp: FetchCheckpoint,
  reachedServer: boolean,
): void {
  const from = pollUrl(source);
  const target = cp.permanentRedirect && asSourceUrl(cp.permanentRedirect);
  if (!target || target === from) {
    if (reachedServer) clearPending(state);
    return;
  }
  const crossHost = new URL(target).host !== new URL(from).host;
  const again = target === source.pendingRedirect;
  const lastSeen = source.redirectSeenAt?.getTime();
  if (
    again &&
    crossHost &&
    lastSeen !== undefined &&
    cp.fetchedAt.getTime() - lastSeen < CROSS_HOST_REDIRECT_SPACING_MS
  ) {
    return; // seen again too soon to count: the streak neither grows nor breaks
  }
  const seen = again ? source.redirectSeenCount + 1 : 1;
  if (seen >= (crossHost ? CROSS_HOST_REDIRECT_CONFIRMATIONS : REDIRECT_CONFIRMATIONS)) {
    // Moving back to the declared URL forgets the move.
    state.movedTo = target === source.url ? undefined : target;
    state.movedAt = cp.fetchedAt;
    clearPending(state);
  } else {
    state.pendingRedirect = target;
    state.redirectSeenCount = seen;
    state.redirectSeenAt = cp.fetchedAt;
  }
}

function clearPending(state: SourceFetchState): void {
  state.pendingRedirect = undefined;
  state.redirectSeenCount = 0;
  state.redirectSeenAt = undefined;
}

/** A redirect target that is not an http(s) URL is not followed (the fetch stage should not report one). */
function asSourceUrl(target: string): string | undefined {
  try {
    return sourceUrl(target);
  } catch {
    return undefined;
  }
}
