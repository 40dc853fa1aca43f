/** URL handling for parsed feeds: resolution against xml:base / the document URL, and the scheme allowlist. */

import { MAX_URL_LENGTH } from '../limits.js';

// Links longer than the longest URL we would fetch (MAX_URL_LENGTH) are not kept: they are attacks or garbage.
const SAFE_SCHEMES = new Set(['http:', 'https:']);

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const CONTROL = /[\u0000-\u001f]/;
/**
 * An absolute http(s) URL already written as the URL parser would write it: a lower-case host of ASCII labels
 * whose last starts with a letter (not an IPv4 address), no port or user, a path, and only characters the
 * parser keeps as they are. With no dot segment (`/.`, `%2e`) nor IDNA label (`xn--`) to rewrite, it resolves
 * to itself against any base, so it skips the parse (98% of the real-world corpus's links).
 */
const CANONICAL_HTTP = /^https?:\/\/(?:[a-z0-9-]+\.)*[a-z][a-z0-9-]*\/[\w\-.~!$&()*+,;=:@/%?#]*$/;
const isCanonicalHttp = (href: string): boolean =>
  CANONICAL_HTTP.test(href) &&
  !href.includes('/.') &&
  !href.includes('xn--') &&
  !(href.includes('%') && /%2e/i.test(href));

/** Resolves `href` against `base`; returns it only when it is an http(s) URL (or, with no usable base,
 * a relative reference that cannot smuggle a scheme). Anything else (javascript:, data:, file:…) → undefined. */
export function resolveUrl(href: string | undefined, base?: string): string | undefined {
  if (!href) return undefined;
  href = href.trim();
  if (href === '' || href.length > MAX_URL_LENGTH) return undefined;
  if (isCanonicalHttp(href)) return href;
  // Without a base, a plain reference with no scheme cannot parse: answered without the exception (costly,
  // and a feed read from a file, with no URL, throws one per relative link).
  if (!base && !HAS_SCHEME.test(href) && !CONTROL.test(href)) return href;
  let url: URL;
  try {
    url = base ? new URL(href, base) : new URL(href);
  } catch {
    // No base (or a broken one): keep a plain relative path, never something with a scheme.
    return HAS_SCHEME.test(href) || CONTROL.test(href) ? undefined : href;
  }
  if (!SAFE_SCHEMES.has(url.protocol)) return undefined;
  const s = url.href;
  return s.length > MAX_URL_LENGTH ? undefined : s;
}

/** Like resolveUrl, but an empty reference is the base itself (RFC 3986 §5.2), as in `<link href=""/>`: the
 * document xml:base names. (Elsewhere an empty value means absent, as in `<enclosure url=""/>`.) */
export function resolveReference(href: string | undefined, base: string | undefined): string | undefined {
  if (href?.trim() === '' && base) return resolveUrl(base.replace(/#.*$/s, ''));
  return resolveUrl(href, base);
}

/** Atom ids are IRIs; a relative path ("/2024/post", "posts/1") is resolved like a link. Ids with a scheme
 * (tag:, urn:, http:) are absolute, and a bare token ("t3_42tizy", "post-7") is an opaque id, not a path:
 * both are kept as written. */
export function resolveRelativeId(id: string, base: string | undefined): string {
  if (!base || !RELATIVE_PATH.test(id) || /^[a-z][a-z0-9+.-]*:/i.test(id)) return id;
  return resolveUrl(id, base) ?? id;
}
const RELATIVE_PATH = /^[^\s]*\/[^\s]*$/;

/** A base for resolving: the new base when it is an http(s) URL, else the old one (xml:base="javascript:…"
 * must not become a base). */
export function joinBase(base: string | undefined, xmlBase: string | undefined): string | undefined {
  if (!xmlBase) return base;
  const joined = resolveUrl(xmlBase, base);
  return joined && /^https?:/i.test(joined) ? joined : base;
}

// Attribute values in HTML that hold a URL and are not already absolute or a fragment.
const RELATIVE_URL_ATTR =
  /(\s(?:href|src|poster|cite|background|longdesc|action|data)\s*=\s*)("([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;
const HAS_RELATIVE =
  /\s(?:href|src|poster|cite|background|longdesc|action|data)\s*=\s*["']?(?![a-z][a-z0-9+.-]*:|#)/i;
const SRCSET_ATTR = /(\ssrcset\s*=\s*)("([^"]*)"|'([^']*)')/gi;

/** Makes the relative URLs inside an HTML fragment absolute against `base`. A regex pass, not a parse: the
 * fragment still goes through the sanitizer (which resolves again with a real tokenizer), this only keeps
 * parsed content meaningful when read before that. Skipped entirely when nothing is relative. */
export function resolveHtmlUrls(html: string, base: string | undefined): string {
  if (!base || html.indexOf('=') === -1) return html;
  const hasSrcset = html.indexOf('srcset') !== -1;
  if (!hasSrcset && !HAS_RELATIVE.test(html)) return html;
  let out = html.replace(
    RELATIVE_URL_ATTR,
    (all, lead: string, _q, dq?: string, sq?: string, bare?: string) => {
      const value = dq ?? sq ?? bare ?? '';
      if (value === '' || value.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(value.trim())) return all;
      let abs: string;
      try {
        abs = new URL(value.trim(), base).href;
      } catch {
        return all;
      }
      return `${lead}"${abs.replace(/"/g, '&quot;')}"`;
    },
  );
  if (hasSrcset) {
    out = out.replace(SRCSET_ATTR, (_all, lead: string, _q, dq?: string, sq?: string) => {
      const parts = (dq ?? sq ?? '').split(',').map((candidate) => {
        const [u, ...rest] = candidate.trim().split(/\s+/);
        if (!u) return '';
        let abs = u;
        try {
          abs = new URL(u, base).href;
        } catch {}
        return [abs, ...rest].join(' ');
      });
      return `${lead}"${parts.filter(Boolean).join(', ').replace(/"/g, '&quot;')}"`;
    });
  }
  return out;
}
