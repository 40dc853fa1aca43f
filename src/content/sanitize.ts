/**
 * sanitizeHtml: the allowlist every third-party HTML fragment passes before a Tributary page shows it.
 *
 * Hand-written on htmlparser2's Parser rather than run through sanitize-html, for speed: sanitizing is the
 * largest CPU cost of a refresh cycle, and sanitize-html spent about 3/4 of its time outside htmlparser2
 * (per-call option merging, a Frame with two closures per element, every element's text copied into all its
 * ancestors, indexOf scans over the tag and attribute lists, several regex passes per text chunk): 285 ms on
 * the real-world corpus's item HTML, where htmlparser2 alone takes 75 ms. htmlparser2 still does all the
 * parsing: tokenizing, entity decoding, raw-text elements, implied end tags, void elements, svg/math
 * context, closing what is left open. Ours is only the policy (this file: allowed elements and attributes,
 * URL resolution and policy in url-policy.ts, YouTube/Vimeo iframes in embeds.ts, namespaced ids and classes
 * in names.ts, feedparser's style filter in css.ts, sanitize-html's scheme check kept behind them in
 * scheme-check.ts) and the serializer that applies it (sanitize-writer.ts).
 * The output is a fixed point: sanitizeHtml(sanitizeHtml(x)) === sanitizeHtml(x).
 */
import { filterStyle } from './css.js';
import { embedSrc } from './embeds.js';
import { NAMING_ATTRIBUTES, namespaced } from './names.js';
import { flatText, NestingTooDeep } from './nesting.js';
import { type Attributes, DROP, escapeText, UNWRAP, type Verdict, writeAllowed } from './sanitize-writer.js';
import { IMG_SCHEMES, LINK_SCHEMES, recheckSrcset, schemeRefused } from './scheme-check.js';
import {
  type Base,
  cleanSrcset,
  cleanUrl,
  IMAGE,
  LINK,
  lazyBase,
  MEDIA,
  type UrlRule,
} from './url-policy.js';

export interface SanitizeOptions {
  /** Absolute http(s) URL that relative URLs in the fragment are resolved against (the item's or feed's URL). */
  baseUrl?: string;
}

/** A list written as space-separated words, for long lists of names. */
const words = (list: string): string[] => list.trim().split(/\s+/);

/**
 * feedparser's acceptable elements (plus HTML5 sectioning and media), all inert without script: form
 * controls outside a form submit nothing, and a post never gets a form (nor can it name ours: see names.ts).
 * Refused although feedparser keeps them:
 * - form: a post has nothing to submit, and one is all a phishing page needs;
 * - noscript: our pages have scripting on (the CSP blocks scripts, it does not turn scripting off), so a
 *   browser would hide its content, which is often a lazy-loading post's only real `<img>`; unwrapped, it shows;
 * - textarea (dropped with its content): what it holds is text to a browser, and parsers have disagreed on
 *   where it ends (`</textarea/` ends one in browsers, not in older htmlparser2); `<pre>` shows code better;
 * - svg and math (unwrapped to their text): their URL and animation attributes (`<animate attributeName=
 *   "href">`, xlink:href) would need a policy of their own, for little use in a feed.
 */
const ALLOWED_TAGS = words(`
  p div span br hr h1 h2 h3 h4 h5 h6 blockquote pre address article aside section header footer main nav
  hgroup center figure figcaption details summary fieldset legend dialog multicol spacer
  ul ol li dl dt dd menu dir
  table caption colgroup col thead tbody tfoot tr th td
  a abbr acronym b bdi bdo big cite code del dfn em font i ins kbd m mark q rp rt ruby s samp small strike
  strong sub sup time tt u var wbr meter progress output
  img picture map area audio video source track iframe canvas sound
  button input label select option optgroup datalist keygen
  command datagrid event-source nextid
`);

const ALLOWED_TAG_SET = new Set(ALLOWED_TAGS);

/**
 * Attributes allowed on every element above: feedparser's acceptable attributes. None runs anything; URLs
 * pass URL_RULES, names are namespaced (names.ts), style passes css.ts, tabindex and dialog's open are
 * filtered in cleanAttribute. contenteditable, draggable, accesskey and hidden are kept: at worst a
 * nuisance confined to the post (hidden adds nothing `display: none` could not do). Refused although
 * feedparser keeps them:
 * - on*: event handlers are script;
 * - target: a named target could navigate a frame of our page (a kept video player) to any URL;
 * - ping: reports our readers' clicks to a third party;
 * - autofocus: moves the reader's focus and scroll position from our page to the post on load;
 * - form: names the form a control belongs to, by id; a post has no form of its own to name;
 * - datasrc: IE data binding, which pulls content from a data source into the element.
 * `rel` is kept as written rather than set to `noopener noreferrer`: with no target, a link opens in our
 * tab and leaves no opener behind, and our pages send `Referrer-Policy: no-referrer` (server/headers.ts).
 */
const GLOBAL_ATTRIBUTES = words(`
  abbr accept accept-charset accesskey action align alt autocomplete axis background balance bgcolor
  bgproperties border bordercolor bordercolordark bordercolorlight bottompadding cellpadding cellspacing ch
  challenge char charoff charset checked choff cite class clear color cols colspan compact contenteditable
  controls coords data datafld datapagesize datetime default delay dir disabled draggable dynsrc enctype
  end face for frame galleryimg gutter headers height hidden hidefocus high href hreflang hspace icon id
  inputmode ismap keytype label lang leftspacing list longdesc loop loopcount loopend loopstart low lowsrc
  max maxlength media method min multiple name nohref noshade nowrap open optimum pattern point-size poster
  pqg preload prompt radiogroup readonly rel repeat-max repeat-min replace required rev rightspacing rows
  rowspan rules scope selected shape size span src start step style summary suppress tabindex template
  title toppadding type unselectable urn usemap valign value variable volume vrml vspace width wrap xml:lang
`);

// No `loading="lazy"` is added to images: that is a rendering choice for the page templates, and stored
// HTML stays comparable with other sanitizers' output (feedparser's cases).
const TAG_ATTRIBUTES: Record<string, string[]> = {
  ol: ['reversed'],
  img: ['srcset', 'sizes'],
  source: ['srcset', 'sizes'],
  audio: ['muted'],
  video: ['muted', 'playsinline'],
  track: ['kind', 'srclang'],
  iframe: ['allowfullscreen', 'frameborder'],
};

/**
 * Every URL-valued attribute allowed above and the rule it must pass, on whatever element it appears (on a
 * `<span>` it does nothing, and still cannot carry a script URL). Links (followed on a click) may be mailto:;
 * what a browser loads by itself must be http(s). Exceptions: `<img src>` may be a data: image, an iframe's
 * src must be a known video player (embeds.ts), and usemap is a name, not a URL (names.ts).
 */
const URL_RULES: Record<string, UrlRule> = {
  href: LINK,
  cite: LINK,
  longdesc: LINK,
  action: LINK,
  src: MEDIA,
  srcset: MEDIA,
  poster: MEDIA,
  background: MEDIA,
  data: MEDIA,
  dynsrc: MEDIA,
  lowsrc: MEDIA,
  icon: MEDIA,
  vrml: MEDIA,
};

/** A tabindex browsers read as positive ("rules for parsing integers": spaces, a sign, digits). */
const POSITIVE_INTEGER = /^[\t\n\f\r ]*\+?0*[1-9]/;

/** Cleans the value of an allowed attribute: the value to keep, or undefined to drop the attribute. */
type AttributeRule = (value: string, tagName: string, base: Base) => string | undefined;

/**
 * The rule of each allowed attribute, chosen once here, so that one lookup per attribute both allows it and
 * picks its policy: URL, name (names.ts), focus, style, or none.
 */
const attributeRules = (names: string[]) => new Map(names.map((name) => [name, attributeRule(name)]));
const GLOBAL_RULES = attributeRules(GLOBAL_ATTRIBUTES);
const TAG_RULES = new Map(
  Object.entries(TAG_ATTRIBUTES).map(([tagName, names]) => [tagName, attributeRules(names)]),
);

/**
 * `<br></br>`: one empty element as XML tools write it. Browsers (and htmlparser2) read a `</br>` as a
 * second `<br>`; the pair becomes one break here, as in feedparser. A lone `</br>` still counts as a break.
 */
const BR_PAIR = /<br[\t\n\f\r ]*\/?>[\t\n\f\r ]*<\/br[\t\n\f\r ]*>/gi;

/**
 * Elements dropped with their content, not unwrapped: what they hold is not text for the reader. They are
 * every element htmlparser2 reads as raw text but iframe (see verdict), and template (inert markup that
 * browsers do not show).
 */
const DROPPED_WHOLE = new Set(words('script style textarea xmp title noembed noframes plaintext template'));

/** Sanitizes an HTML fragment from a feed for display on our pages. Never throws on any string input. */
export function sanitizeHtml(html: string, options: SanitizeOptions = {}): string {
  const base = lazyBase(options.baseUrl);
  try {
    return writeAllowed(html.replace(BR_PAIR, '<br>'), (tagName, attribs) => verdict(tagName, attribs, base));
  } catch (error) {
    if (!(error instanceof NestingTooDeep)) throw error;
    // Too deep to keep its structure: keep its words, as escaped text (a fixed point of sanitizeHtml).
    return escapeText(flatText(html));
  }
}

/**
 * What becomes of an element: allowed ones keep their cleaned attributes, others are unwrapped or dropped
 * whole. An iframe whose src was refused is unwrapped: its content is the author's fallback for readers who
 * get no frame, as ours do, read back as HTML (sanitize-writer.ts), so that an XHTML-style `<iframe/>` (not
 * self-closing in HTML) does not take the rest of the post with it.
 */
function verdict(tagName: string, attribs: Attributes, base: Base): Verdict {
  if (!ALLOWED_TAG_SET.has(tagName)) return DROPPED_WHOLE.has(tagName) ? DROP : UNWRAP;
  const kept = cleanAttributes(tagName, attribs, base);
  return tagName === 'iframe' && kept.src === undefined ? UNWRAP : kept;
}

/** An allowed element's attributes that pass the allowlist, with the URL, name, focus and style policies applied. */
function cleanAttributes(tagName: string, attribs: Attributes, base: Base): Attributes {
  const kept: Attributes = {};
  for (const name in attribs) {
    const rule = GLOBAL_RULES.get(name) ?? TAG_RULES.get(tagName)?.get(name);
    if (rule === undefined) continue;
    const value = rule(attribs[name]!, tagName, base);
    if (value !== undefined) kept[name] = value;
  }
  return kept;
}

/** The rule for allowed attribute `name`. */
function attributeRule(name: string): AttributeRule {
  const urlRule = URL_RULES[name];
  if (urlRule) return (value, tagName, base) => cleanUrlAttribute(tagName, name, value, urlRule, base);
  switch (name) {
    case 'class': // an empty class names nothing (sanitize-html dropped it too)
      return (value) => namespaced(name, value) || undefined;
    case 'tabindex': // a positive one would put the post's elements ahead of our page's own in keyboard order
      return (value) => (POSITIVE_INTEGER.test(value) ? undefined : value);
    case 'open': // an open dialog is laid out `position: absolute` by browsers: an overlay, as css.ts refuses
      return (value, tagName) => (tagName === 'dialog' ? undefined : value);
    case 'style':
      return (value) => filterStyle(value) || undefined;
    default:
      return NAMING_ATTRIBUTES.has(name) ? (value) => namespaced(name, value) : keepValue;
  }
}

/** The rule of an attribute with no policy of its own: its value is kept as written. */
function keepValue(value: string): string {
  return value;
}

/** The value to keep for URL attribute `name` that must pass `rule`, or undefined to drop it. */
function cleanUrlAttribute(
  tagName: string,
  name: string,
  value: string,
  rule: UrlRule,
  base: Base,
): string | undefined {
  let clean: string | undefined;
  if (tagName === 'iframe' && name === 'src') clean = embedSrc(value, base());
  else if (name === 'srcset') clean = cleanSrcset(value, rule, base);
  else clean = cleanUrl(value, tagName === 'img' && name === 'src' ? IMAGE : rule, base);
  return clean === undefined ? undefined : schemeCheck(tagName, name, clean);
}

/**
 * A URL value that passed cleanUrl, checked again by sanitize-html's rules as a second line of defence
 * (scheme-check.ts): undefined if refused. usemap, which sanitize-html checked too, is always `#name` once
 * namespaced.
 */
function schemeCheck(tagName: string, name: string, value: string): string | undefined {
  if (schemeRefused(value, tagName === 'img' ? IMG_SCHEMES : LINK_SCHEMES)) return undefined;
  return name === 'srcset' ? recheckSrcset(value) : value;
}
