/**
 * sanitizeHtml: the allowlist every third-party HTML fragment passes before a Tributary page shows it.
 *
 * Built on sanitize-html (maintained, streaming, no DOM) with a strict configuration; what it does not do
 * the way we need is done in its `transformTags` hook: URL resolution and the URL policy (url-policy.ts),
 * the YouTube/Vimeo iframe rewrite (embeds.ts), namespacing ids and classes (names.ts) and feedparser's style
 * filter (css.ts).
 * The output is a fixed point: sanitizeHtml(sanitizeHtml(x)) === sanitizeHtml(x).
 */
import sanitize from 'sanitize-html';
import { filterStyle } from './css.js';
import { embedSrc } from './embeds.js';
import { namespaceNames } from './names.js';
import { DepthCounter, flatText, NestingTooDeep } from './nesting.js';
import { cleanSrcset, cleanUrl, IMAGE, LINK, MEDIA, parseBase, type UrlRule } from './url-policy.js';

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
 * - textarea: sanitize-html copies a textarea's text out unescaped, and its htmlparser2 does not end one at
 *   `</textarea/`, as browsers do: `<textarea></textarea/><img onerror=…>` would come out live;
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
 * filtered in cleanAttributes. contenteditable, draggable, accesskey and hidden are kept: at worst a
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
const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  '*': GLOBAL_ATTRIBUTES,
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
/**
 * `<br></br>`: one empty element as XML tools write it. Browsers (and htmlparser2) read a `</br>` as a
 * second `<br>`; the pair becomes one break here, as in feedparser. A lone `</br>` still counts as a break.
 */
const BR_PAIR = /<br[\t\n\f\r ]*\/?>[\t\n\f\r ]*<\/br[\t\n\f\r ]*>/gi;

/** The per-call part of the configuration (the base URL, the depth guard) is added in sanitizeHtml. */
const CONFIG: sanitize.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: ALLOWED_ATTRIBUTES,
  // Checked again by sanitize-html after our transform, as a second line of defence.
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https', 'data'] },
  allowedSchemesAppliedToAttributes: [
    ...new Set([...(sanitize.defaults.allowedSchemesAppliedToAttributes ?? []), ...Object.keys(URL_RULES)]),
  ],
  allowProtocolRelative: true,
  // Elements whose text is not content: dropped whole when the element is dropped.
  nonTextTags: ['script', 'style', 'textarea', 'xmp', 'title', 'noembed', 'noframes', 'template'],
  // An iframe whose src was refused (see cleanAttributes) is unwrapped: its content is the author's fallback
  // for readers who get no frame, as ours do, and an XHTML-style `<iframe/>` (not self-closing in HTML) would
  // otherwise take the rest of the post with it. (Renaming it in transformTags instead would leave a stale
  // entry in sanitize-html's rename map that renames a later closing tag.)
  exclusiveFilter: (frame) =>
    frame.tag === 'iframe' && frame.attribs.src === undefined ? 'excludeTag' : false,
  // The void elements (htmlparser2 still counts command and keygen among them).
  selfClosing: ['img', 'br', 'hr', 'wbr', 'col', 'source', 'track', 'area', 'input', 'keygen', 'command'],
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
    return sanitize(html.replace(BR_PAIR, '<br>'), {
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

/** Applies the URL, embed, name, focus and style policies to an element's attributes, in place. */
function cleanAttributes(
  tagName: string,
  attribs: sanitize.Attributes,
  base: URL | undefined,
): sanitize.Attributes {
  if (!ALLOWED_TAG_SET.has(tagName)) return attribs; // dropped anyway
  for (const [name, value] of Object.entries(attribs)) {
    const rule = URL_RULES[name];
    if (!rule) continue;
    let clean: string | undefined;
    if (tagName === 'iframe' && name === 'src') clean = embedSrc(value, base);
    else if (name === 'srcset') clean = cleanSrcset(value, rule, base);
    else clean = cleanUrl(value, tagName === 'img' && name === 'src' ? IMAGE : rule, base);
    if (clean === undefined) delete attribs[name];
    else attribs[name] = clean;
  }
  namespaceNames(attribs);
  // A positive tabindex would put the post's elements ahead of our page's own in keyboard order.
  if (attribs.tabindex !== undefined && POSITIVE_INTEGER.test(attribs.tabindex)) delete attribs.tabindex;
  // An open dialog is laid out `position: absolute` by browsers: an overlay, which css.ts refuses too.
  if (tagName === 'dialog') delete attribs.open;
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
