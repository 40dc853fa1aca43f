/** When to try a failing source again, within the bounds in `bounds.ts`. */
import { BACKOFF_BASE, BACKOFF_CAP, JITTER, MIN_INTERVAL } from './bounds.js';
import { jittered, type Random } from './random.js';

export interface BackoffInput {
  now: Date;
  /** Consecutive failures, this one included (1 for the first). */
  errorCount: number;
  httpStatus?: number;
  /** A 429/503 Retry-After, in seconds: see the fetch stage's `parseRetryAfter`. */
  retryAfterSeconds?: number;
  random: Random;
}

/** The next attempt, or undefined when there must be none (410 Gone). */
export function backoff(input: BackoffInput): Date | undefined {
  if (input.httpStatus === 410) return undefined;
  const delay =
    input.retryAfterSeconds !== undefined && (input.httpStatus === 429 || input.httpStatus === 503)
      ? Math.min(Math.max(input.retryAfterSeconds, MIN_INTERVAL), BACKOFF_CAP)
      : exponentialDelay(input.errorCount, input.random);
  return new Date(input.now.getTime() + Math.round(delay * 1000));
}

function exponentialDelay(errorCount: number, random: Random): number {
  // The exponent is bounded before Math.pow so a huge count cannot overflow to Infinity.
  const doublings = Math.min(Math.max(errorCount - 1, 0), 30);
  return Math.min(jittered(BACKOFF_BASE * 2 ** doublings, JITTER, random), BACKOFF_CAP);
}

/** How long to wait before the `attempt`th retry (1 for the first) of a database that failed: from half a
 * second, doubling to 30 s, jittered so that workers cut off together do not come back together. */
export function retryDelayMs(attempt: number, random: Random): number {
  const doublings = Math.min(Math.max(attempt - 1, 0), 6);
  return Math.round(Math.min(jittered(500 * 2 ** doublings, JITTER, random), 30_000));
}
