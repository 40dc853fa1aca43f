/**
 * sanitizeHtml: the allowlist every third-party HTML fragment passes before a Tributary page shows it.
 *
 * Built on sanitize-html (maintained, streaming, no DOM) with a strict configuration; what it does not do
 * the way we need is done in its `transformTags` hook: URL resolution and the URL policy (url-policy.ts),
 * the YouTube/Vimeo iframe rewrite (embeds.ts), `rel` on links, and feedparser's style filter (css.ts).
 * The output is a fixed point: sanitizeHtml(sanitizeHtml(x)) === sanitizeHtml(x).
 */
import sanitize from 'sanitize-html';
import { filterStyle } from './css.js';
import { embedSrc } from './embeds.js';
import { DepthCounter, flatText, NestingTooDeep } from './nesting.js';
import {
  cleanSrcset,
  cleanUrl,
  HTTPS_ONLY,
  IMAGE,
  LINK,
  MEDIA,
  parseBase,
  type UrlRule,
} from './url-policy.js';

export interface SanitizeOptions {
  /** Absolute http(s) URL that relative URLs in the fragment are resolved against (the item's or feed's URL). */
  baseUrl?: string;
}

/** A list written as space-separated words, for long lists of names. */
const words = (list: string): string[] => list.trim().split(/\s+/);

const ALLOWED_TAGS = words(`
  p div span br hr h1 h2 h3 h4 h5 h6 blockquote pre address article aside section header footer main nav
  hgroup center figure figcaption details summary fieldset legend
  ul ol li dl dt dd menu dir
  table caption colgroup col thead tbody tfoot tr th td
  a abbr acronym b bdi bdo big cite code del dfn em font i ins kbd mark q rp rt ruby s samp small strike
  strong sub sup time tt u var wbr meter progress
  img picture audio video source track iframe
`);

const ALLOWED_TAG_SET = new Set(ALLOWED_TAGS);

/**
 * Inert attributes allowed on every element above: presentation, language, table structure and values
 * (none loads, runs, focuses or names anything). Left out on purpose: id/name (DOM clobbering of our page's
 * scripts), class (would borrow our page's styles), accesskey/tabindex/autofocus/contenteditable/draggable
 * (hijack keyboard and focus), hidden, target and ping (window targeting, click tracking), rel (we set it),
 * form attributes, IE data binding (datasrc, datafld) and URL attributes outside the elements that use them
 * (background, lowsrc, dynsrc, longdesc, usemap, src, href): none has a use in a post worth its risk.
 */
const GLOBAL_ATTRIBUTES = words(`
  title lang xml:lang dir style align valign width height alt abbr axis bgcolor border bordercolor
  cellpadding cellspacing char charoff ch choff clear color colspan rowspan cols rows compact datetime face
  frame headers hspace vspace noshade nowrap rules scope size span summary charset hreflang type media label
  rev coords shape open start value min max low high optimum default loop
`);

// No `loading="lazy"` is added to images: that is a rendering choice for the page templates, and stored
// HTML stays comparable with other sanitizers' output (feedparser's cases).
const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  '*': GLOBAL_ATTRIBUTES,
  a: ['href', 'rel'],
  blockquote: ['cite'],
  q: ['cite'],
  del: ['cite'],
  ins: ['cite'],
  ol: ['reversed'],
  img: ['src', 'srcset', 'sizes'],
  source: ['src', 'srcset', 'sizes'],
  audio: ['src', 'controls', 'muted', 'preload'],
  video: ['src', 'controls', 'muted', 'preload', 'poster', 'playsinline'],
  track: ['src', 'kind', 'srclang'],
  iframe: ['src', 'allowfullscreen', 'frameborder'],
};

/** URL-valued attributes of the allowed elements and the rule each must pass. */
const URL_RULES: Record<string, Record<string, UrlRule>> = {
  a: { href: LINK },
  blockquote: { cite: LINK },
  q: { cite: LINK },
  del: { cite: LINK },
  ins: { cite: LINK },
  img: { src: IMAGE, srcset: MEDIA },
  source: { src: MEDIA, srcset: MEDIA },
  audio: { src: MEDIA },
  video: { src: MEDIA, poster: HTTPS_ONLY },
  track: { src: MEDIA },
};

/** The per-call part of the configuration (the base URL, the depth guard) is added in sanitizeHtml. */
const CONFIG: sanitize.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: ALLOWED_ATTRIBUTES,
  // Checked again by sanitize-html after our transform, as a second line of defence.
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https', 'data'] },
  allowProtocolRelative: true,
  // Elements whose text is not content: dropped whole when the element is dropped.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'xmp', 'title', 'noembed', 'noframes', 'template'],
  // An iframe whose src was refused (see cleanAttributes) goes with its content. (Renaming it in transformTags
  // instead would leave a stale entry in sanitize-html's rename map that renames a later closing tag.)
  exclusiveFilter: (frame) => frame.tag === 'iframe' && frame.attribs.src === undefined,
  selfClosing: ['img', 'br', 'hr', 'wbr', 'col', 'source', 'track'],
  // Keep empty values (`<span title="">`); sanitize-html would otherwise drop them for "non-boolean" names.
  nonBooleanAttributes: [],
  // css.ts filters styles; sanitize-html's own filter would run postcss on every style attribute.
  parseStyleAttributes: false,
  disallowedTagsMode: 'discard',
};

/** Sanitizes an HTML fragment from a feed for display on our pages. Never throws on any string input. */
export function sanitizeHtml(html: string, options: SanitizeOptions = {}): string {
  const base = parseBase(options.baseUrl);
  const depth = new DepthCounter();
  try {
    return sanitize(html, {
      ...CONFIG,
      transformTags: {
        '*': (tagName, attribs) => ({ tagName, attribs: cleanAttributes(tagName, attribs, base) }),
      },
      onOpenTag: () => depth.open(),
      onCloseTag: () => depth.close(),
    });
  } catch (error) {
    if (!(error instanceof NestingTooDeep)) throw error;
    // Too deep to keep its structure: keep its words, as escaped text (a fixed point of sanitize-html).
    return escapeText(flatText(html));
  }
}

/** Applies the URL, embed, link and style policies to an element's attributes, in place. */
function cleanAttributes(
  tagName: string,
  attribs: sanitize.Attributes,
  base: URL | undefined,
): sanitize.Attributes {
  if (!ALLOWED_TAG_SET.has(tagName)) return attribs; // dropped anyway
  if (tagName === 'iframe') {
    const src = attribs.src === undefined ? undefined : embedSrc(attribs.src, base);
    if (src) attribs.src = src;
    else delete attribs.src;
  }
  const rules = URL_RULES[tagName];
  if (rules) {
    for (const [name, rule] of Object.entries(rules)) {
      const value = attribs[name];
      if (value === undefined) continue;
      const clean = name === 'srcset' ? cleanSrcset(value, rule, base) : cleanUrl(value, rule, base);
      if (clean === undefined) delete attribs[name];
      else attribs[name] = clean;
    }
  }
  if (tagName === 'a' && attribs.href !== undefined) attribs.rel = 'noopener noreferrer';
  else delete attribs.rel;
  if (attribs.style !== undefined) {
    const style = filterStyle(attribs.style);
    if (style) attribs.style = style;
    else delete attribs.style;
  }
  return attribs;
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
