/** The fetch stage: polite, bounded, SSRF-guarded HTTP for feeds, and autodiscovery. */
export { blockedRange, checkUrl } from './address-guard.js';
export { cacheMaxAgeSeconds } from './cache-headers.js';
export { type DiscoverOptions, type DiscoverResult, discover, type FeedCandidate } from './discover.js';
export { type FetchOptions, fetchFeed } from './fetch-feed.js';
export { closeDispatchers } from './http-client.js';
export { Limiter, sharedLimiter } from './limiter.js';
export type { FetchErrorCode, FetchOutcome, Validators } from './outcome.js';
export { defaultFetchPolicy, type FetchPolicy } from './policy.js';
export { parseRetryAfter } from './retry-after.js';
export { looksLikeFeed } from './sniff.js';
