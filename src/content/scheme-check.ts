/**
 * The second line of defence behind url-policy.ts: the scheme check sanitize-html applied after our policy,
 * kept when sanitizeHtml stopped using it. It reads a URL the way a lax browser might (controls and spaces
 * removed, `<!-- -->` comments cut out) and refuses any scheme not listed; url-policy.ts is stricter, so
 * this should never change a value, only catch a mistake there.
 */

/** Schemes a URL attribute may have, without their colon: links may be mailto:, img src a data: image. */
export const LINK_SCHEMES: ReadonlySet<string> = new Set(['http', 'https', 'mailto']);
export const IMG_SCHEMES: ReadonlySet<string> = new Set(['http', 'https', 'data']);

const CONTROLS_AND_SPACES = /[\u0000-\u0020]+/g;
const SCHEME = /^([a-zA-Z][a-zA-Z0-9.+-]*):/;
const HTTP_SCHEME = /^https?:/i;

/** Whether `url` has a scheme outside `schemes` (a relative or protocol-relative URL has none). */
export function schemeRefused(url: string, schemes: ReadonlySet<string>): boolean {
  // The usual case, an http(s) URL, without laxRead's copies and the regex capture: a scheme at the very start
  // is the one laxRead finds too, as it removes none of its characters nor its colon, and cuts comments only
  // after them (a comment starts with `<`, which no scheme holds).
  if (HTTP_SCHEME.test(url)) return !schemes.has(url.charCodeAt(4) === 0x3a ? 'http' : 'https');
  const scheme = SCHEME.exec(laxRead(url))?.[1];
  return scheme !== undefined && !schemes.has(scheme.toLowerCase());
}

/** `url` as a lax browser might read it, to find its scheme: controls and spaces removed, comments cut out. */
function laxRead(url: string): string {
  let href = url.replace(CONTROLS_AND_SPACES, '');
  for (let start = href.indexOf('<!--'); start !== -1; start = href.indexOf('<!--')) {
    const end = href.indexOf('-->', start + 4);
    if (end === -1) break;
    href = href.slice(0, start) + href.slice(end + 3);
  }
  return href;
}

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\f' || c === '\r';
const NON_NEGATIVE_INTEGER = /^\d+$/;
const FLOATING_POINT = /^-?(?:[0-9]+|[0-9]*\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

/**
 * A srcset checked again candidate by candidate, undefined when no candidate is left: parsed as the HTML
 * spec does (the parse-srcset algorithm sanitize-html used), candidates with invalid descriptors or a
 * refused scheme dropped, the rest written `url[ Nw][ Nh][ Nx]` with the numbers in canonical form.
 */
export function recheckSrcset(input: string): string | undefined {
  const kept: string[] = [];
  let pos = 0;
  for (;;) {
    while (pos < input.length && (input[pos] === ',' || isSpace(input[pos]!))) pos++;
    if (pos >= input.length) break;
    const urlStart = pos;
    while (pos < input.length && !isSpace(input[pos]!)) pos++;
    let url = input.slice(urlStart, pos);
    let descriptors: string[] = [];
    if (url.endsWith(',')) url = url.replace(/,+$/, '');
    else [descriptors, pos] = readDescriptors(input, pos);
    const candidate = describe(url, descriptors);
    if (candidate !== undefined && !schemeRefused(url, LINK_SCHEMES)) kept.push(candidate);
  }
  return kept.length ? kept.join(', ') : undefined;
}

/** The descriptors after a candidate's URL, up to the comma that ends it (not one inside parentheses). */
function readDescriptors(input: string, from: number): [string[], number] {
  const descriptors: string[] = [];
  let pos = from;
  while (pos < input.length && isSpace(input[pos]!)) pos++;
  let current = '';
  let inParens = false;
  for (; pos < input.length; pos++) {
    const c = input[pos]!;
    if (inParens) {
      current += c;
      if (c === ')') inParens = false;
    } else if (c === ',') {
      if (current) descriptors.push(current);
      return [descriptors, pos + 1];
    } else if (isSpace(c)) {
      if (current) descriptors.push(current);
      current = '';
    } else {
      current += c;
      if (c === '(') inParens = true;
    }
  }
  if (current || inParens) descriptors.push(current);
  return [descriptors, pos];
}

/** The candidate written canonically, or undefined when its descriptors are invalid (as in a browser). */
function describe(url: string, descriptors: string[]): string | undefined {
  let w = 0;
  let h = 0;
  let d = 0;
  for (const descriptor of descriptors) {
    const kind = descriptor[descriptor.length - 1];
    const value = descriptor.slice(0, -1);
    if (kind === 'w' && NON_NEGATIVE_INTEGER.test(value)) {
      if (w || d) return undefined;
      w = Number.parseInt(value, 10);
      if (w === 0) return undefined;
    } else if (kind === 'x' && FLOATING_POINT.test(value)) {
      if (w || d || h) return undefined;
      d = Number.parseFloat(value);
      if (d < 0) return undefined;
    } else if (kind === 'h' && NON_NEGATIVE_INTEGER.test(value)) {
      if (h || d) return undefined;
      h = Number.parseInt(value, 10);
      if (h === 0) return undefined;
    } else {
      return undefined;
    }
  }
  return url + (w ? ` ${w}w` : '') + (h ? ` ${h}h` : '') + (d ? ` ${d}x` : '');
}
