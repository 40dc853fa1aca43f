/**
 * The serializer behind sanitizeHtml: htmlparser2's parse events in, allowlisted HTML out, in one pass with a
 * stack of the open elements' names. Which elements and attributes survive is the caller's policy; this
 * module guarantees the output's shape: text and attribute values escaped, only valid attribute names, a
 * closing tag for exactly the elements whose opening tag was written, none for void elements.
 */
import { Parser } from 'htmlparser2';
import { DepthCounter } from './nesting.js';

export type Attributes = Record<string, string>;

/** The element is left out and its content kept in its place. */
export const UNWRAP = Symbol('unwrap');
/** The element is left out with everything in it. */
export const DROP = Symbol('drop');
/** What the policy makes of an element: the attributes to write it with, or UNWRAP or DROP. */
export type Verdict = Attributes | typeof UNWRAP | typeof DROP;
export type Policy = (name: string, attribs: Attributes) => Verdict;

/**
 * Written as `<name … />`, never closed: the void elements htmlparser2 knows (it closes them at once) that a
 * policy may allow.
 */
const VOID = new Set('img br hr wbr col source track area input keygen command'.split(' '));
/**
 * Elements whose content htmlparser2 reads as raw text (RCDATA for title and textarea) outside svg and math:
 * markup in them is text, and entities are kept as written.
 */
const RAW_TEXT = new Set('script style title textarea xmp iframe noembed noframes plaintext'.split(' '));
/**
 * What an element may hold where browsers keep less than htmlparser2 does: in a select, HTML's "in select"
 * insertion mode ignores every tag but option, optgroup and hr; an option holds text (markup in it would let a
 * table's foster parenting nest options, which no serialization reproduces). Other elements in them are
 * unwrapped, so that the tree a browser builds from the output is the one written.
 */
const CONTENT = new Map([
  ['select', new Set(['option', 'optgroup', 'hr'])],
  ['optgroup', new Set(['option'])],
  ['option', new Set<string>()],
]);
/** A valid attribute name: one that cannot end the name or the tag early (sanitize-html's definition). */
const VALID_HTML_ATTRIBUTE_NAME = /^[^\0\t\n\f\r /<=>]+$/;

/**
 * What an open element's closing event does: write its closing tag; nothing (a void element, or one left
 * out); or write its raw text, the fallback content of an element left out, sanitized as HTML.
 */
type Open = 'written' | 'silent' | 'fallback';

/**
 * `html` parsed by htmlparser2 and written back with `policy` applied to every element. Throws
 * NestingTooDeep (nesting.ts) past MAX_NESTING_DEPTH open elements.
 *
 * An element unwrapped from around others moves them into another parent, where HTML's implied end tags may
 * read them differently (inside an unwrapped `<svg>` or `<noscript>`, an `<option>` does not end the option
 * around it, nor a `<div>` the paragraph; in the output they do). The output is then read once more, so that
 * what is returned is what a reader of it gets: a fixed point. That second pass unwraps nothing (it reads only
 * allowed elements, each where CONTENT allows it), so its output is final.
 */
export function writeAllowed(html: string, policy: Policy): string {
  const first = write(html, policy, new DepthCounter(), false);
  return first.reparented ? write(first.out, policy, new DepthCounter(), false).out : first.out;
}

/**
 * `depth` is shared with the writers of fallbacks, so that their elements count towards the same limit; in a
 * fallback's own writer (`inFallback`) a fallback is dropped, so that no byte is parsed more than twice.
 */
function write(html: string, policy: Policy, depth: DepthCounter, inFallback: boolean): Writer {
  const writer = new Writer(policy, depth, inFallback);
  writer.parser.end(html);
  return writer;
}

class Writer {
  out = '';
  /** Set when an element was written inside one left out, or a fallback read out of its context. */
  reparented = false;
  readonly parser: Parser;
  /** The names of the open elements, innermost last, and what each one's closing event does. */
  private readonly names: string[] = [];
  private readonly opens: Open[] = [];
  /** The names of the open elements whose tags were written, innermost last. */
  private readonly written: string[] = [];
  /** While positive, the content of an element whose content is left out, counted in open elements. */
  private skipDepth = 0;
  /** While defined, the raw text of an element whose fallback content is kept. */
  private fallback: string | undefined;

  constructor(
    private readonly policy: Policy,
    private readonly depth: DepthCounter,
    private readonly inFallback: boolean,
  ) {
    this.parser = new Parser(this, { decodeEntities: true });
  }

  onopentag(name: string, attribs: Attributes): void {
    this.depth.open();
    if (this.skipDepth > 0) {
      this.skipDepth++;
      return;
    }
    if (this.opens.length > 0 && this.opens[this.opens.length - 1] !== 'written') this.reparented = true;
    let verdict = this.policy(name, attribs);
    // Allowed, but not where it stands (CONTENT): unwrapped. What the policy drops stays dropped.
    if (
      typeof verdict === 'object' &&
      CONTENT.get(this.written[this.written.length - 1]!)?.has(name) === false
    )
      verdict = UNWRAP;
    if (verdict === DROP) {
      this.push(name, 'silent');
      this.skipDepth = 1;
    } else if (verdict === UNWRAP) {
      if (RAW_TEXT.has(name) && !this.parser.isInForeignContext()) {
        // Its content is text to htmlparser2 but markup to the author (an iframe's fallback): read as HTML
        // once the element ends.
        this.push(name, this.inFallback ? 'silent' : 'fallback');
        this.skipDepth = 1;
        if (!this.inFallback) this.fallback = '';
      } else {
        this.push(name, 'silent');
      }
    } else {
      const isVoid = VOID.has(name);
      this.out += `<${name}${attributeList(verdict)}${isVoid ? ' />' : '>'}`;
      this.push(name, isVoid ? 'silent' : 'written');
      // A written raw-text element (an iframe) keeps only text that reads back the same (see ontext).
      if (RAW_TEXT.has(name)) this.skipDepth = 1;
    }
  }

  ontext(text: string): void {
    if (this.skipDepth === 0) this.out += escapeText(text);
    else if (this.fallback !== undefined) this.fallback += text;
    else if (this.skipDepth === 1 && this.opens[this.opens.length - 1] === 'written' && !/[&<]/.test(text))
      // The content of a written raw-text element (an iframe), which browsers never show: escaped, its
      // entities would not be decoded when read back, and markup in it is not markup, so only text free of
      // both is kept, as written (the `<iframe …>\n</iframe>` of embed codes stays as it is).
      this.out += text;
  }

  onclosetag(name: string): void {
    this.depth.close();
    if (this.skipDepth > 0 && --this.skipDepth > 0) return;
    const last = this.names.length - 1;
    // htmlparser2 closes elements innermost first; a closing event for another element would be a bug, and
    // is ignored rather than allowed to close what was not written.
    if (last < 0 || this.names[last] !== name) return;
    const open = this.opens[last];
    this.names.pop();
    this.opens.pop();
    if (open === 'written') {
      this.out += `</${name}>`;
      this.written.pop();
    } else if (open === 'fallback') {
      const fallback = this.fallback ?? '';
      this.fallback = undefined;
      if (fallback) {
        this.out += write(fallback, this.policy, this.depth, true).out;
        this.reparented = true;
      }
    }
  }

  private push(name: string, open: Open): void {
    this.names.push(name);
    this.opens.push(open);
    if (open === 'written') this.written.push(name);
  }
}

/** ` name="value"` for each attribute; an empty value is written as the bare name, except `alt=""`. */
function attributeList(attribs: Attributes): string {
  let list = '';
  for (const name in attribs) {
    if (!VALID_HTML_ATTRIBUTE_NAME.test(name)) continue;
    const value = attribs[name]!;
    if (value) list += ` ${name}="${escapeAttribute(value)}"`;
    else list += name === 'alt' ? ' alt=""' : ` ${name}`;
  }
  return list;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const toEntity = (c: string): string => ENTITIES[c]!;

export function escapeText(text: string): string {
  return /[&<>]/.test(text) ? text.replace(/[&<>]/g, toEntity) : text;
}

function escapeAttribute(value: string): string {
  return /[&<>"]/.test(value) ? value.replace(/[&<>"]/g, toEntity) : value;
}
