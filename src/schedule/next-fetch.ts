/** When to fetch a healthy source next: adaptive to how often it posts, within the bounds in `bounds.ts`. */
import { DEFAULT_INTERVAL, JITTER, MAX_INTERVAL, MIN_INTERVAL, RECENT_ENTRIES } from './bounds.js';
import { jittered, type Random } from './random.js';

export interface NextFetchInput {
  now: Date;
  /** Publication dates of the source's entries (any order; invalid dates are ignored). */
  entryDates: readonly Date[];
  /** RSS `<ttl>`, in minutes. */
  ttlMinutes?: number;
  /** The interval used last time: kept when there are too few dates to adapt (e.g. after a 304). */
  previousIntervalSeconds?: number;
  /** The HTTP freshness lifetime (Cache-Control max-age, Expires), in seconds: see the fetch stage's `cacheMaxAgeSeconds`. */
  minIntervalSeconds?: number;
  random: Random;
}

export interface NextFetch {
  at: Date;
  /** The interval before jitter, to record on the source. */
  intervalSeconds: number;
}

export function nextFetchAt(input: NextFetchInput): NextFetch {
  const floor = clamp(Math.max(MIN_INTERVAL, (input.ttlMinutes ?? 0) * 60, input.minIntervalSeconds ?? 0));
  const adaptive =
    input.entryDates.length < 2 && input.previousIntervalSeconds !== undefined
      ? clamp(input.previousIntervalSeconds)
      : adaptiveIntervalSeconds(input.entryDates);
  // Whole seconds: the interval is stored, and half a median gap is rarely an integer.
  const intervalSeconds = Math.round(Math.max(adaptive, floor));
  const delay = Math.min(Math.max(jittered(intervalSeconds, JITTER, input.random), floor), MAX_INTERVAL);
  return { at: new Date(input.now.getTime() + Math.round(delay * 1000)), intervalSeconds };
}

/** Half the median gap between the newest entries, clamped to the bounds; the default without two dates. */
export function adaptiveIntervalSeconds(entryDates: readonly Date[]): number {
  const times = [...new Set(entryDates.map((d) => d.getTime()).filter(Number.isFinite))]
    .sort((a, b) => b - a)
    .slice(0, RECENT_ENTRIES);
  if (times.length < 2) return DEFAULT_INTERVAL;
  const gaps = times.slice(1).map((t, i) => (times[i]! - t) / 1000);
  return clamp(median(gaps) / 2);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function clamp(seconds: number): number {
  return Math.min(Math.max(seconds, MIN_INTERVAL), MAX_INTERVAL);
}
