/** Which URLs sanitized HTML may keep, and how relative ones are resolved. */

export interface UrlRule {
  /** Allowed schemes of the (resolved) URL, with their colon: `https:`. */
  schemes: ReadonlySet<string>;
  /** `data:image/…` is allowed (only for images: a browser renders it, never runs it). */
  dataImage?: boolean;
}

export const LINK: UrlRule = { schemes: new Set(['http:', 'https:', 'mailto:']) };
export const MEDIA: UrlRule = { schemes: new Set(['http:', 'https:']) };
export const IMAGE: UrlRule = { schemes: MEDIA.schemes, dataImage: true };

const EDGE_SPACE = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g;
// Browsers drop tab/newline anywhere in a URL, and old ones ignored other controls too: `java&#9;script:`.
const INVISIBLE = /[\u0000-\u0020\u007f-\u009f]/g;
const SCHEME = /^([a-z][a-z0-9+.-]*):/;
/**
 * An absolute http(s) URL that the URL Standard always parses (most URLs in real posts). Its characters are
 * visible ASCII but `<` and `>`, so cleanUrl has nothing to trim, remove or refuse. Its host is dot-separated
 * labels of ASCII letters, digits and hyphens, which domain-to-ASCII only lowercases (but `xn--` labels,
 * punycode that may be invalid), the last one starting with a letter, so that it is not an IPv4 address (a
 * host whose last label is a number must be one). What follows, if anything, is a path, query or fragment,
 * which never fail to parse. Ports, user info, IP addresses and international domains take the general path.
 */
const PLAIN_HTTP = /^https?:\/\/(?:(?!xn--)[a-z\d-]+\.)*(?!xn--)[a-z][a-z\d-]*(?:[/?#][!-;=?-~]*)?$/i;
/** Real srcsets list a handful of candidates; a longer one only costs parsing time (here and in scheme-check.ts). */
const MAX_SRCSET_LENGTH = 8192;

/**
 * The base URL that relative URLs are resolved against, parsed only once one needs it: most fragments hold
 * only absolute URLs, and parsing the base costs as much as checking a few dozen of them.
 */
export type Base = () => URL | undefined;

/** The Base for a baseUrl option: parseBase's result, computed on the first call. */
export function lazyBase(baseUrl: string | undefined): Base {
  let parsed: { url: URL | undefined } | undefined;
  return () => (parsed ??= { url: parseBase(baseUrl) }).url;
}

/** A base URL usable for resolution: an absolute http(s) URL, else undefined. */
function parseBase(baseUrl: string | undefined): URL | undefined {
  if (!baseUrl) return undefined;
  try {
    const base = new URL(baseUrl);
    return base.protocol === 'http:' || base.protocol === 'https:' ? base : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The value to keep for a URL attribute, or undefined to drop it. Absolute URLs are kept as written once
 * checked; relative ones are resolved against `base` when there is one, else kept relative. The scheme is
 * read after removing every invisible character, which is stricter than a browser (and than the
 * check in scheme-check.ts, so a link we keep is never emptied afterwards): `java&#9;script:` and `jav a:x` are dropped.
 * A URL with a raw `<` or `>` (invalid anyway) is dropped: `java<!-- -->script:` would read as a scheme in
 * XML islands. An empty (or blank) value is kept empty, not resolved: it has no scheme, browsers load
 * nothing for it, and resolving it would make up an address its author did not write.
 */
export function cleanUrl(value: string, rule: UrlRule, base: Base): string | undefined {
  if (PLAIN_HTTP.test(value)) return cleanPlainHttp(value, rule); // most URLs, with no copy nor URL built
  const url = value.replace(EDGE_SPACE, '');
  if (url === '') return '';
  if (url.includes('<') || url.includes('>')) return undefined;
  const squeezed = url.replace(INVISIBLE, '').toLowerCase();
  const scheme = SCHEME.exec(squeezed)?.[1];
  if (scheme === 'data') return rule.dataImage && squeezed.startsWith('data:image/') ? url : undefined;
  if (scheme !== undefined) {
    if (!rule.schemes.has(`${scheme}:`)) return undefined;
    try {
      return rule.schemes.has(new URL(url).protocol) ? url : undefined;
    } catch {
      return undefined; // a scheme with an unparseable rest: `http://exa mple.com`
    }
  }
  const baseUrl = base();
  if (!baseUrl) return url;
  try {
    const resolved = new URL(url, baseUrl);
    return rule.schemes.has(resolved.protocol) ? resolved.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * cleanUrl for a PLAIN_HTTP value, as its general path would clean it: with nothing trimmed or removed, the
 * scheme is what the value's first letters spell (http, or https when a fifth letter comes before the colon),
 * and as `new URL` parses the value, it is kept as written exactly when the rule allows that scheme.
 */
function cleanPlainHttp(url: string, rule: UrlRule): string | undefined {
  return rule.schemes.has(url.charCodeAt(4) === 0x3a ? 'http:' : 'https:') ? url : undefined;
}

/** A `srcset` with every candidate URL cleaned; candidates with a bad URL are dropped (mapSrcset). */
export function cleanSrcset(value: string, rule: UrlRule, base: Base): string | undefined {
  if (value.length > MAX_SRCSET_LENGTH) return undefined;
  return mapSrcset(value, (url) => cleanUrl(url, rule, base));
}

/**
 * A `srcset` with each candidate's URL replaced by `map(url)`, its descriptor kept; candidates `map` gives
 * nothing for are dropped, undefined when none is left. Candidates are split as the HTML spec does: a URL is a
 * run of non-space characters (it may contain commas, as `data:` URLs do), followed by descriptors up to the
 * next comma.
 */
export function mapSrcset(value: string, map: (url: string) => string | undefined): string | undefined {
  const kept: string[] = [];
  const re = /[\s,]*([^\s,][^\s]*)([^,]*)/gy;
  for (let m = re.exec(value); m && m[0] !== ''; m = re.exec(value)) {
    let url = m[1]!;
    let descriptor = m[2]!.trim();
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
      descriptor = '';
      re.lastIndex = m.index + m[0].length - m[2]!.length;
    }
    const mapped = map(url);
    if (mapped) kept.push(descriptor ? `${mapped} ${descriptor}` : mapped);
  }
  return kept.length ? kept.join(', ') : undefined;
}
