/**
 * Scheduling bounds, in seconds. Every next fetch the scheduler plans lies within them:
 *
 * - A source is polled at most every 5 minutes and at least once a day (`MIN_INTERVAL`…`MAX_INTERVAL`).
 * - A new source, or one without two dated entries, is polled hourly (`DEFAULT_INTERVAL`).
 * - The adaptive interval is half the median gap between a source's recent entries: a blog that posts daily
 *   is polled every 12 hours, a news feed posting every 10 minutes every 5.
 * - The publisher's floor (RSS `<ttl>`, Cache-Control max-age, Expires) is honoured up to `MAX_INTERVAL`.
 * - Intervals carry ±10 % jitter so sources added together do not stay in lock-step.
 * - Failures back off exponentially from 5 minutes (5, 10, 20 … min) to a 24-hour cap, with the same jitter;
 *   a 429/503 Retry-After is honoured as given, within `MIN_INTERVAL`…`BACKOFF_CAP`; 410 Gone stops fetching.
 */
export const MIN_INTERVAL = 5 * 60;
export const MAX_INTERVAL = 24 * 60 * 60;
export const DEFAULT_INTERVAL = 60 * 60;
export const BACKOFF_BASE = 5 * 60;
export const BACKOFF_CAP = 24 * 60 * 60;
export const JITTER = 0.1;
/** How many of the newest entry dates the adaptive interval looks at. */
export const RECENT_ENTRIES = 20;
