/**
 * URL canonicalisation for deduplication (backend-neutral). Two links that a reader would call "the same
 * article" map to one string: scheme and host lower-cased, http folded into https, `www.` dropped, default
 * port dropped, fragment dropped, trailing slashes of the path dropped, tracking parameters dropped.
 * This is for comparing, never for fetching: the folded URL may not even resolve.
 */

/** Query parameters that only say how a reader arrived (campaign and click trackers). */
const TRACKING_PARAM = /^(utm_.*|fbclid|gclid)$/i;

/** The canonical form of an http(s) URL, or undefined when `input` is not one (a `tag:` or `urn:` id, junk). */
export function canonicalUrl(input: string): string | undefined {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.protocol = 'https:'; // WHATWG URL drops :443 (and keeps no :80) once the scheme is https
  url.hash = '';
  for (const name of [...url.searchParams.keys()]) {
    if (TRACKING_PARAM.test(name)) url.searchParams.delete(name);
  }
  // Rebuilt from parts so an emptied query leaves no bare `?` and the root path leaves no `/`.
  const port = url.port ? `:${url.port}` : '';
  const path = url.pathname.replace(/\/+$/, '');
  return `https://${foldHost(url.hostname)}${port}${path}${url.search}`;
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
  const url = new URL(canonical);
  return url.pathname.length > 1 || url.search !== '';
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
