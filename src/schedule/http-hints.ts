/** What HTTP response headers say about when to come back, in seconds (header names lower-case). */

/** Retry-After as seconds from `now`: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.round((at - now.getTime()) / 1000));
}

/**
 * How long the response stays fresh: Cache-Control max-age (s-maxage is for shared caches, not us), else
 * Expires minus Date (or `now`). 0 for no-cache/no-store or an invalid Expires; undefined when the headers do not say.
 */
export function cacheLifetimeSeconds(
  headers: Readonly<Record<string, string>>,
  now: Date,
): number | undefined {
  const cacheControl = headers['cache-control']?.toLowerCase() ?? '';
  if (/(^|[,\s])(no-cache|no-store)\b/.test(cacheControl)) return 0;
  const maxAge = /(?:^|[,\s])max-age\s*=\s*"?(\d+)/.exec(cacheControl);
  if (maxAge) return Number(maxAge[1]);
  if (headers.expires === undefined) return undefined;
  // RFC 9111 §5.3: an Expires that is not a date (often "0" or "-1") means already expired.
  const expires = /[a-z]/i.test(headers.expires) ? Date.parse(headers.expires) : Number.NaN;
  if (Number.isNaN(expires)) return 0;
  const date = headers.date === undefined ? Number.NaN : Date.parse(headers.date);
  return Math.max(0, Math.round((expires - (Number.isNaN(date) ? now.getTime() : date)) / 1000));
}
