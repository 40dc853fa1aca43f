/**
 * URL canonicalisation for deduplication (backend-neutral). Two links that a reader would call "the same
 * article" map to one string: scheme and host lower-cased, http folded into https, `www.` dropped, default
 * port dropped, fragment dropped, trailing slashes of the path dropped, tracking parameters dropped.
 * This is for comparing, never for fetching: the folded URL may not even resolve.
 */

/** Query parameters that only say how a reader arrived (campaign and click trackers). */
const TRACKING_PARAM = /^(utm_.*|fbclid|gclid)$/i;
/** A query that may hold one (a parameter name may be percent-encoded, so any `%` counts too). */
const TRACKING_CANDIDATE = /[?&](utm_|fbclid|gclid)|%/i;

/** The canonical form of an http(s) URL, or undefined when `input` is not one (a `tag:` or `urn:` id, junk). */
export function canonicalUrl(input: string): string | undefined {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  // Rebuilt from parts (no setters: each one reparses the URL, and this runs for every stored item): the
  // scheme becomes https, whose default port is 443; an emptied query leaves no bare `?`, the root path no `/`.
  const port = url.port && url.port !== '443' ? `:${url.port}` : '';
  const path = url.pathname.replace(/\/+$/, '');
  return `https://${foldHost(url.hostname)}${port}${path}${withoutTracking(url)}`;
}

/** The URL's query without tracking parameters; most have none, and then no URLSearchParams is built. */
function withoutTracking(url: URL): string {
  if (!TRACKING_CANDIDATE.test(url.search)) return url.search;
  for (const name of [...url.searchParams.keys()]) {
    if (TRACKING_PARAM.test(name)) url.searchParams.delete(name);
  }
  return url.search;
}

/** The host a reader would name for a URL (lower-case, `www.` dropped), or undefined for a non-URL. */
export function canonicalHost(input: string): string | undefined {
  try {
    return foldHost(new URL(input.trim()).hostname);
  } catch {
    return undefined;
  }
}

function foldHost(hostname: string): string {
  return hostname.startsWith('www.') ? hostname.slice(4) : hostname;
}

/**
 * True when a canonical URL names a page below the site root. A bare site root is what feeds that have no
 * permalinks put in every item, so it must never make two different items look like one.
 */
export function isArticleUrl(canonical: string): boolean {
  // Read off the string canonicalUrl built (`https://host[:port]path?query`, no trailing slash, no
  // fragment): any `/` after the host starts a path below the root. No URL is parsed, once per stored item.
  const afterScheme = canonical.indexOf('//') + 2;
  return canonical.indexOf('/', afterScheme) !== -1 || canonical.includes('?', afterScheme);
}

/**
 * The form a subscription URL is kept in: WHATWG-serialised (so `HTTP://Example.org` and
 * `http://example.org/` are one source) but not folded like `canonicalUrl` — this one is fetched.
 */
export function sourceUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new Error(`source URL "${input}" is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`source URL "${input}" must be http or https, not ${url.protocol}`);
  }
  url.hash = '';
  return url.href;
}
