/** The scheduler: pure functions of (facts, clock, randomness) → next fetch time. Bounds: see `bounds.ts`. */
export { type BackoffInput, backoff, retryDelayMs } from './backoff.js';
export * from './bounds.js';
export { adaptiveIntervalSeconds, type NextFetch, type NextFetchInput, nextFetchAt } from './next-fetch.js';
export { jittered, type Random, seededRandom } from './random.js';
