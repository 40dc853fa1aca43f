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
/** Real srcsets list a handful of candidates; a longer one only costs parsing time (here and in sanitize-html). */
const MAX_SRCSET_LENGTH = 8192;

/** A base URL usable for resolution: an absolute http(s) URL, else undefined. */
export function parseBase(baseUrl: string | undefined): URL | undefined {
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
 * read after removing every invisible character, which is stricter than a browser (and than sanitize-html's
 * own check, so a link we keep is never emptied afterwards): `java&#9;script:` and `jav a:x` are dropped.
 * A URL with a raw `<` or `>` (invalid anyway) is dropped: `java<!-- -->script:` would read as a scheme in
 * XML islands. An empty (or blank) value is kept empty, not resolved: it has no scheme, browsers load
 * nothing for it, and resolving it would make up an address its author did not write.
 */
export function cleanUrl(value: string, rule: UrlRule, base: URL | undefined): string | undefined {
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
  if (!base) return url;
  try {
    const resolved = new URL(url, base);
    return rule.schemes.has(resolved.protocol) ? resolved.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A `srcset` with every candidate URL cleaned; candidates with a bad URL are dropped, undefined when none is
 * left. Candidates are split as the HTML spec does: a URL is a run of non-space characters (it may contain
 * commas, as `data:` URLs do), followed by descriptors up to the next comma.
 */
export function cleanSrcset(value: string, rule: UrlRule, base: URL | undefined): string | undefined {
  if (value.length > MAX_SRCSET_LENGTH) return undefined;
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
    const clean = cleanUrl(url, rule, base);
    if (clean) kept.push(descriptor ? `${clean} ${descriptor}` : clean);
  }
  return kept.length ? kept.join(', ') : undefined;
}
