/**
 * The guard against pathologically deep HTML, shared by sanitizeHtml and htmlToText.
 *
 * htmlparser2's Parser keeps its open-element stack in an array it grows with `unshift` and searches with
 * `indexOf`, so each tag costs O(depth): 40,000 unclosed `<div>`s take seconds. Both stages count open
 * elements in their callbacks and abort past MAX_NESTING_DEPTH (no real post comes near it; browsers stop
 * nesting at 512 too), which keeps the work linear in the input; they then fall back to `flatText`, whose
 * tokenizer keeps no stack at all.
 */
import { Tokenizer } from 'htmlparser2';

export const MAX_NESTING_DEPTH = 512;

/** Thrown from parser callbacks to stop parsing an input nested deeper than MAX_NESTING_DEPTH. */
export class NestingTooDeep extends Error {
  constructor() {
    super(`HTML nested deeper than ${MAX_NESTING_DEPTH} elements`);
    this.name = 'NestingTooDeep';
  }
}

/** Counts open elements from a parser's open/close events; throws NestingTooDeep past the limit. */
export class DepthCounter {
  private depth = 0;
  open(): void {
    if (++this.depth > MAX_NESTING_DEPTH) throw new NestingTooDeep();
  }
  close(): void {
    this.depth--;
  }
}

/** Elements whose content is not text a reader sees. */
const HIDDEN_CONTENT = new Set([
  'script',
  'style',
  'title',
  'textarea',
  'iframe',
  'noembed',
  'noframes',
  'xmp',
]);
/** Elements that separate lines of text, so their words do not run together. */
const LINE_BREAKING = new Set([
  'address',
  'article',
  'blockquote',
  'br',
  'dd',
  'div',
  'dt',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'li',
  'p',
  'pre',
  'section',
  'td',
  'th',
  'tr',
]);

/**
 * The text of an HTML fragment, one line per block (entities decoded, hidden content dropped, whitespace
 * collapsed, no empty lines), in one linear pass of htmlparser2's Tokenizer, which tracks no element stack.
 * Used for inputs too deep to parse properly: keeps the words, not the structure.
 */
export function flatText(html: string): string {
  const parts: string[] = [];
  let tag = '';
  let hiddenUntil = '';
  const tagName = (start: number, end: number) => html.slice(start, end).toLowerCase();
  const tokenizer = new Tokenizer(
    { decodeEntities: true },
    {
      ontext(start, end) {
        if (!hiddenUntil) parts.push(html.slice(start, end));
      },
      ontextentity(codePoint) {
        if (!hiddenUntil) parts.push(String.fromCodePoint(codePoint));
      },
      onopentagname(start, end) {
        tag = tagName(start, end);
        if (!hiddenUntil && LINE_BREAKING.has(tag)) parts.push('\n');
      },
      onopentagend() {
        if (!hiddenUntil && HIDDEN_CONTENT.has(tag)) hiddenUntil = tag;
      },
      onclosetag(start, end) {
        const name = tagName(start, end);
        if (name === hiddenUntil) hiddenUntil = '';
        else if (!hiddenUntil && LINE_BREAKING.has(name)) parts.push('\n');
      },
      onselfclosingtag() {},
      onattribname() {},
      onattribdata() {},
      onattribentity() {},
      onattribend() {},
      oncdata() {},
      oncomment() {},
      ondeclaration() {},
      onprocessinginstruction() {},
      onend() {},
    },
  );
  tokenizer.write(html);
  tokenizer.end();
  return parts
    .join('')
    .split('\n')
    .map((line) => line.replace(/[ \t\r\f]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}
