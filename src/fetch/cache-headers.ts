/** Cache-Control / Expires → the shortest interval before the feed is worth polling again. */
import { parseHttpDate } from './http-date.js';

/** Upper clamp: a `max-age` of a year must not silence a feed for a year. */
export const MAX_CACHE_SECONDS = 24 * 60 * 60;

/**
 * Seconds of freshness the server promises, clamped to 24 h; undefined when it promises none.
 * `max-age` wins over `Expires` (RFC 9111 §5.3); `no-store`/`no-cache` promise nothing. `Expires`
 * is measured from the Date header when present (RFC 9111 §4.2.1), and an invalid Expires (e.g. `0`)
 * means already stale.
 */
export function cacheMaxAgeSeconds(headers: {
  cacheControl?: string;
  expires?: string;
  date?: string;
  now?: number;
}): number | undefined {
  const directives = parseCacheControl(headers.cacheControl ?? '');
  if (directives.has('no-store') || directives.has('no-cache')) return undefined;
  const maxAge = directives.get('max-age');
  if (maxAge !== undefined) return /^\d+$/.test(maxAge) ? clamp(Number(maxAge)) : undefined;
  if (headers.expires === undefined) return undefined;
  const expires = parseHttpDate(headers.expires);
  if (expires === undefined) return undefined;
  const reference = (headers.date ? parseHttpDate(headers.date) : undefined) ?? headers.now ?? Date.now();
  return clamp(Math.floor((expires - reference) / 1000));
}

function clamp(seconds: number): number | undefined {
  return seconds > 0 ? Math.min(seconds, MAX_CACHE_SECONDS) : undefined;
}

/** Directive name (lower-case) → value without quotes ('' for bare directives); first occurrence wins. */
function parseCacheControl(value: string): Map<string, string> {
  const directives = new Map<string, string>();
  for (const part of value.split(',')) {
    const [name, ...rest] = part.split('=');
    const key = name!.trim().toLowerCase();
    if (key && !directives.has(key))
      directives.set(
        key,
        rest
          .join('=')
          .trim()
          .replace(/^"(.*)"$/, '$1'),
      );
  }
  return directives;
}
