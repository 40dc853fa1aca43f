/**
 * Inline `style` filtering for sanitized feed HTML.
 *
 * sanitize-html's own style filter parses every attribute with postcss (slow, and its output format differs
 * from feedparser's). This is feedparser's well-tested policy instead: a character gauntlet that admits no
 * escapes, comments, `url(…)` or function calls other than colour functions, then a property allowlist, and
 * for the `background`/`border`/`margin`/`padding` families only keyword and length values. Output is
 * `prop: value;` joined by spaces, exactly as feedparser writes it, and a fixed point of this function.
 */

/** Longer style attributes come from office software or attacks; dropping them bounds the work per attribute. */
const MAX_STYLE_LENGTH = 2048;

const PROPERTIES = new Set([
  'azimuth',
  'background-color',
  'border-bottom-color',
  'border-collapse',
  'border-color',
  'border-left-color',
  'border-right-color',
  'border-top-color',
  'clear',
  'color',
  'cursor',
  'direction',
  'display',
  'elevation',
  'float',
  'font',
  'font-family',
  'font-size',
  'font-style',
  'font-variant',
  'font-weight',
  'height',
  'letter-spacing',
  'line-height',
  'overflow',
  'pause',
  'pause-after',
  'pause-before',
  'pitch',
  'pitch-range',
  'richness',
  'speak',
  'speak-header',
  'speak-numeral',
  'speak-punctuation',
  'speech-rate',
  'stress',
  'text-align',
  'text-decoration',
  'text-indent',
  'unicode-bidi',
  'vertical-align',
  'voice-family',
  'volume',
  'white-space',
  'width',
]);

/** Shorthand families whose values must be keywords or plain lengths/colours (no positioning tricks). */
const SHORTHAND_FAMILIES = new Set(['background', 'border', 'margin', 'padding']);

const KEYWORDS = new Set([
  '!important',
  'aqua',
  'auto',
  'black',
  'block',
  'blue',
  'bold',
  'both',
  'bottom',
  'brown',
  'center',
  'collapse',
  'dashed',
  'dotted',
  'fuchsia',
  'gray',
  'green',
  'italic',
  'left',
  'lime',
  'maroon',
  'medium',
  'navy',
  'none',
  'normal',
  'nowrap',
  'olive',
  'pointer',
  'purple',
  'red',
  'right',
  'silver',
  'solid',
  'teal',
  'top',
  'transparent',
  'underline',
  'white',
  'yellow',
]);

/** A colour or a small length (two digits at most: `margin: 99999em` is an overlay, not a margin). */
const SHORTHAND_VALUE =
  /^(?:#[0-9a-fA-F]+|rgb\(\d+%?,\d*%?,?\d*%?\)?|\d{0,2}\.?\d{0,2}(?:cm|em|ex|in|mm|pc|pt|px|%|,|\))?)$/;
const URL_FUNCTION = /url\s*\(\s*[^\s)]*\s*\)\s*/gi;
/** Every character class feedparser admits; alternatives start with distinct characters, so no backtracking. */
const GAUNTLET = /^(?:[-:,;#%.\sa-zA-Z0-9!]|'[\s\w]*'|"[\s\w]*"|\([\d,\s]*\))*$/;
const COLOUR_FUNCTION = /\b(?:rgba?|hsla?)\(/gi;
const PROPERTY_NAME = /^[-\w]+$/;

/**
 * Recent results of filterStyle: posts repeat the same few styles (5 in 6 style attributes in the real-world
 * corpus's items repeat one seen before), and looking one up costs a fraction of filtering it again. Emptied
 * when full, which bounds its size.
 */
const recentStyles = new Map<string, string>();
const MAX_RECENT_STYLES = 256;

/** The safe part of a style attribute, or '' when nothing (or nothing parseable) is left. */
export function filterStyle(style: string): string {
  if (style.length > MAX_STYLE_LENGTH) return '';
  let kept = recentStyles.get(style);
  if (kept === undefined) {
    if (recentStyles.size >= MAX_RECENT_STYLES) recentStyles.clear();
    kept = filterDeclarations(style);
    recentStyles.set(style, kept);
  }
  return kept;
}

/** filterStyle without its memory of recent results. */
function filterDeclarations(style: string): string {
  // Every match of URL_FUNCTION and COLOUR_FUNCTION holds a `(`: most styles have none, so nothing to replace.
  const parens = style.includes('(');
  const css = parens ? style.replace(URL_FUNCTION, ' ') : style;
  if (!GAUNTLET.test(css)) return '';
  // `(` may only open a colour function: `expression(1)` passes the gauntlet but is not a value.
  if (parens && css.replace(COLOUR_FUNCTION, '').includes('(')) return '';
  const kept: string[] = [];
  for (const part of css.split(';')) {
    if (part.trim() === '') continue;
    // `name: value`, one colon only (split by hand: a regex with two whitespace runs would backtrack).
    const colon = part.indexOf(':');
    const prop = part.slice(0, colon).trim();
    const value = part.slice(colon + 1).trimStart();
    if (colon < 0 || value.includes(':') || !PROPERTY_NAME.test(prop)) return '';
    if (value.trim() === '') continue;
    const name = prop.toLowerCase();
    if (PROPERTIES.has(name) || (isShorthandFamily(name) && value.split(/\s+/).every(isShorthandKeyword))) {
      kept.push(`${prop}: ${value};`);
    }
  }
  return kept.join(' ');
}

function isShorthandFamily(name: string): boolean {
  return SHORTHAND_FAMILIES.has(name.split('-')[0]!);
}

function isShorthandKeyword(word: string): boolean {
  return KEYWORDS.has(word.toLowerCase()) || SHORTHAND_VALUE.test(word);
}
