/** Retry-After (RFC 9110 §10.2.3) → seconds to wait, for 429 and 503 responses. */
import { parseHttpDate } from './http-date.js';

/** A server cannot ask us to stay away longer than this; the scheduler may clamp further. */
export const MAX_RETRY_AFTER_SECONDS = 24 * 60 * 60;

/**
 * Seconds to wait, clamped to [0, 24 h]; undefined when absent or garbage (negative, fractional,
 * words). An HTTP-date is measured from the response's Date header when it has one, so a skewed
 * local clock does not stretch or shrink the delay; a date in the past means 0.
 */
export function parseRetryAfter(
  value: string | undefined,
  responseDate?: string,
  now = Date.now(),
): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  let seconds: number;
  if (/^\d+$/.test(text)) seconds = Number(text);
  else {
    const at = parseHttpDate(text);
    if (at === undefined) return undefined;
    const reference = (responseDate ? parseHttpDate(responseDate) : undefined) ?? now;
    seconds = Math.ceil((at - reference) / 1000);
  }
  return Math.min(Math.max(seconds, 0), MAX_RETRY_AFTER_SECONDS);
}
