/**
 * A forgiving, non-validating XML reader that builds a small element tree for the feed mappers.
 *
 * Hand-written on purpose: general XML libraries are either strict (a single bare `&` or an unclosed
 * `<br>` in a description loses the whole feed) or slow (DOM builders, per-event callbacks), and the
 * parser must run at several times the speed of the fastest JS feed parser. This reader:
 *  - scans with `indexOf` and never backtracks, so hostile inputs stay linear;
 *  - never processes a DTD: no entity expansion, no external entity, DTD, XInclude or stylesheet fetch;
 *  - recovers from mismatched and unclosed tags the way loose parsers do, and reports what it recovered;
 *  - keeps source offsets, so an element holding unescaped HTML can be returned exactly as written.
 */
import { decodeHTML, decodeHTMLAttribute } from 'entities';
import { withoutXmlForbidden } from '../xml-chars.js';
import type { Utf8View } from './utf8-view.js';

export interface XmlElement {
  /** Canonical lower-case name: a known namespace gets its usual prefix (`atom:link`, `content:encoded`),
   * RSS's own namespaces and no namespace give the bare local name (`item`). */
  name: string;
  /** Attributes by lower-case qualified name as written (`href`, `xml:base`, `rdf:resource`). */
  attrs: Record<string, string>;
  children: XmlNode[];
  /** Offsets in the source of the content between the start and end tags. */
  innerStart: number;
  innerEnd: number;
}
export type XmlNode = XmlElement | string;

export interface XmlDocument {
  root: XmlElement | undefined;
  /** The source, for slicing an element's inner markup (by its offsets, which are byte offsets in a view). */
  source: string | Utf8View;
  /** Namespace prefixes bound to XHTML anywhere (stripped when inner markup is returned as HTML). */
  xhtmlPrefixes: string[];
  /** True when a DOCTYPE declared HTML (`<!DOCTYPE html>`). */
  htmlDoctype: boolean;
  problems: string[];
}

/** Namespace URIs feeds use, to the prefix the mappers look for. '' = the feed's own vocabulary. */
const KNOWN_NAMESPACES: Record<string, string> = {
  'http://www.w3.org/2005/atom': 'atom',
  'http://purl.org/atom/ns#': 'atom',
  'http://purl.org/rss/1.0/': '',
  'http://my.netscape.com/rdf/simple/0.9/': '',
  'http://backend.userland.com/rss2': '',
  'http://backend.userland.com/rss': '',
  'http://blogs.law.harvard.edu/tech/rss': '',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#': 'rdf',
  'http://purl.org/rss/1.0/modules/content/': 'content',
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://purl.org/dc/terms/': 'dcterms',
  'http://search.yahoo.com/mrss/': 'media',
  'http://search.yahoo.com/mrss': 'media',
  'http://www.itunes.com/dtds/podcast-1.0.dtd': 'itunes',
  'http://www.itunes.com/dtd/podcast-1.0.dtd': 'itunes',
  'https://www.itunes.com/dtds/podcast-1.0.dtd': 'itunes',
  'http://www.youtube.com/xml/schemas/2015': 'yt',
  'http://www.w3.org/1999/xhtml': 'xhtml',
  'http://wellformedweb.org/commentapi/': 'wfw',
  'http://purl.org/syndication/thread/1.0': 'thr',
  'http://purl.org/rss/1.0/modules/slash/': 'slash',
  'http://purl.org/rss/1.0/modules/syndication/': 'sy',
  'https://podcastindex.org/namespace/1.0': 'podcast',
  'http://podlove.org/simple-chapters': 'psc',
  'http://www.georss.org/georss': 'georss',
  'http://rssnamespace.org/feedburner/ext/1.0': 'feedburner',
  'http://www.google.com/schemas/play-podcasts/1.0': 'googleplay',
  'http://purl.org/rss/1.0/modules/image/': 'image',
  'http://webns.net/mvcb/': 'admin',
  'http://purl.org/rss/1.0/modules/taxonomy/': 'taxo',
  'http://www.w3.org/xml/1998/namespace': 'xml',
};

/** Deeper than any real feed; past it elements are dropped (structure bombs stay cheap). */
const MAX_DEPTH = 256;
const MAX_PROBLEMS = 20;
/** Names of one length and first character remembered by parseXml (more are lower-cased each time). */
const MAX_NAMES_PER_BUCKET = 8;

interface OpenElement {
  el: XmlElement;
  /** The tag name lower-cased, to match its end tag. */
  rawName: string;
  /** Where the tag name starts in the source, and its length: an end tag written the same way closes it. */
  nameAt: number;
  nameLength: number;
  /** Namespace bindings this element introduced, to undo when it closes: [prefix, previous URI]. */
  undo: [string, string | undefined][] | null;
}

const NO_ATTRS: Record<string, string> = Object.freeze({}) as Record<string, string>;

const WS = (c: number) => c === 32 || c === 10 || c === 9 || c === 13;

/** Decodes character references in text. HTML named entities are accepted (feeds use `&nbsp;` with no
 * DTD all the time); `parseXml` reports texts that needed them. */
export function decodeText(text: string): string {
  if (text.indexOf('&') === -1) return text;
  const decoded = decodeHTML(text);
  // A character reference can name what XML forbids as text (&#27;); drop those like the raw bytes are dropped.
  return text.indexOf('&#') !== -1 ? withoutXmlForbidden(decoded) : decoded;
}

/** Decodes character references in an attribute value, or in text that is a URL: by HTML's rule for
 * attributes, `&name` followed by `=` or an alphanumeric is not a reference, so a query string written
 * with bare `&` (`?a=1&copy=2`) keeps its parameters. */
export function decodeAttribute(text: string): string {
  if (text.indexOf('&') === -1) return text;
  const decoded = decodeHTMLAttribute(text);
  return text.indexOf('&#') !== -1 ? withoutXmlForbidden(decoded) : decoded;
}

/** True when `text` has an `&` that is not one of XML's five entities or a character reference. */
function hasNonXmlReference(text: string): boolean {
  for (let k = text.indexOf('&'); k !== -1; k = text.indexOf('&', k + 1)) {
    const c = text.charCodeAt(k + 1);
    if (c === 35 /* # */) continue;
    if (
      !(
        text.startsWith('amp;', k + 1) ||
        text.startsWith('lt;', k + 1) ||
        text.startsWith('gt;', k + 1) ||
        text.startsWith('quot;', k + 1) ||
        text.startsWith('apos;', k + 1)
      )
    )
      return true;
  }
  return false;
}

/** Reads a document from its text, or from a view of its UTF-8 bytes: the tokenizer scans the view's latin1
 * string (markup is ASCII) and every string it keeps is cut with the view's `slice`, which decodes. */
export function parseXml(input: string | Utf8View): XmlDocument {
  return new XmlReader(input).read();
}

/**
 * One parse's state, with the steps as methods. A class, not closures inside parseXml: V8 optimizes a hot
 * function together with the closures it calls, ties that code to the closures of the call it saw, and threw
 * it away when they died (8 recompiles of parseXml, 0.5 s of compiling, in a cold refresh of 300 feeds).
 */
class XmlReader {
  readonly #input: string | Utf8View;
  /** A view's latin1 string, or the text itself. */
  readonly #source: string;
  /** The view, when there is one: strings are cut from it (decoding), else from the text. */
  readonly #view: Utf8View | undefined;
  readonly #problems: string[] = [];
  readonly #ns = new Map<string, string>();
  readonly #xhtmlPrefixes: string[] = [];
  readonly #stack: OpenElement[] = [];
  #root: XmlElement | undefined;
  #htmlDoctype = false;
  /** Elements opened past MAX_DEPTH and not yet closed. */
  #droppedDepth = 0;
  /** Tag and attribute names as written → lower case, by length and first character (see #lower). */
  readonly #seenNames = new Map<number, { at: number; name: string }[]>();
  /** Names resolve the same way until a namespace declaration changes the bindings (rarely past the root). */
  readonly #nameCache = new Map<string, string>();

  constructor(input: string | Utf8View) {
    this.#input = input;
    this.#view = typeof input === 'string' ? undefined : input;
    this.#source = typeof input === 'string' ? input : input.latin1;
  }

  read(): XmlDocument {
    const source = this.#source;
    const stack = this.#stack;
    const len = source.length;
    let i = 0;
    while (i < len) {
      const lt = source.indexOf('<', i);
      if (lt === -1) {
        if (stack.length > 0) this.#addTextIfContent(i, len);
        break;
      }
      if (lt > i && stack.length > 0) this.#addTextIfContent(i, lt);
      else if (lt > i && !this.#root && this.#hasContent(i, lt))
        this.#problem('text before the document element');
      const c = source.charCodeAt(lt + 1);
      if (c === 47 /* / */) i = this.#endTag(lt);
      else if (c === 33 /* ! */) i = this.#declaration(lt);
      else if (c === 63 /* ? */) {
        const e = source.indexOf('?>', lt + 2);
        i = e === -1 ? len : e + 2;
      } else if (!isNameStart(c)) {
        // A bare '<' in text (e.g. "a < b"): keep it as text.
        if (stack.length > 0) {
          this.#problem('bare "<" in text');
          this.#addText('<');
        }
        i = lt + 1;
      } else i = this.#startTag(lt);
    }
    if (stack.length > 0) {
      this.#problem(`document ended with <${stack[stack.length - 1]!.rawName}> still open (truncated?)`);
      while (stack.length > 0) this.#popElement(len);
    }
    return {
      root: this.#root,
      source: this.#input,
      xhtmlPrefixes: this.#xhtmlPrefixes,
      htmlDoctype: this.#htmlDoctype,
      problems: this.#problems,
    };
  }

  #slice(from: number, to: number): string {
    return this.#view ? this.#view.slice(from, to) : this.#source.slice(from, to);
  }

  #problem(p: string): void {
    if (this.#problems.length < MAX_PROBLEMS && !this.#problems.includes(p)) this.#problems.push(p);
  }

  /** `</name>` at `lt`; returns where reading goes on. */
  #endTag(lt: number): number {
    const source = this.#source;
    const gt = source.indexOf('>', lt + 2);
    const end = gt === -1 ? source.length : gt;
    const top = this.#stack[this.#stack.length - 1];
    // Fast path: the end tag matches the open element exactly as written.
    if (
      top &&
      this.#droppedDepth === 0 &&
      end - lt - 2 === top.nameLength &&
      sameRun(source, top.nameAt, lt + 2, top.nameLength)
    ) {
      this.#popElement(lt);
    } else {
      this.#closeElement(
        this.#slice(lt + 2, end)
          .trim()
          .toLowerCase(),
        lt,
      );
    }
    return end + 1;
  }

  /** `<!…>` at `lt`: a comment, a CDATA section or a declaration; returns where reading goes on. */
  #declaration(lt: number): number {
    const source = this.#source;
    const len = source.length;
    if (source.startsWith('<!--', lt)) {
      const e = source.indexOf('-->', lt + 4);
      if (e === -1) this.#problem('unterminated comment');
      return e === -1 ? len : e + 3;
    }
    if (source.startsWith('<![CDATA[', lt)) {
      const e = source.indexOf(']]>', lt + 9);
      if (e === -1) this.#problem('unterminated CDATA section');
      const end = e === -1 ? len : e;
      const top = this.#stack[this.#stack.length - 1];
      if (top && end > lt + 9) top.el.children.push(this.#slice(lt + 9, end));
      return e === -1 ? len : e + 3;
    }
    // <!DOCTYPE …> possibly with an internal subset in [ ]: skipped whole, never processed.
    const declEnd = skipDeclaration(source, lt);
    if (/^<!doctype\s+html/i.test(this.#slice(lt, Math.min(lt + 20, len)))) this.#htmlDoctype = true;
    return declEnd;
  }

  /** A start tag at `lt` (its name starts at lt + 1); returns where reading goes on. */
  #startTag(lt: number): number {
    const source = this.#source;
    const len = source.length;
    const stack = this.#stack;
    let p = lt + 1;
    while (p < len) {
      const ch = source.charCodeAt(p);
      if (WS(ch) || ch === 62 /* > */ || ch === 47 /* / */) break;
      p++;
    }
    const rawName = this.#lower(lt + 1, p);
    // Most feed elements have no attributes: they share one frozen empty object instead of allocating.
    let attrs: Record<string, string> = NO_ATTRS;
    let undo: [string, string | undefined][] | null = null;
    let selfClosing = false;
    for (;;) {
      while (p < len && WS(source.charCodeAt(p))) p++;
      if (p >= len) break;
      const ch = source.charCodeAt(p);
      if (ch === 62) {
        p++;
        break;
      }
      if (ch === 47) {
        if (source.charCodeAt(p + 1) === 62) {
          selfClosing = true;
          p += 2;
          break;
        }
        p++;
        continue;
      }
      if (ch === 60 /* < */) {
        this.#problem(`unterminated start tag <${rawName}>`);
        break;
      }
      const nameStart = p;
      while (p < len) {
        const a = source.charCodeAt(p);
        if (WS(a) || a === 61 /* = */ || a === 62 || a === 47 || a === 60) break;
        p++;
      }
      const attrName = this.#lower(nameStart, p);
      while (p < len && WS(source.charCodeAt(p))) p++;
      let value = '';
      if (source.charCodeAt(p) === 61) {
        p++;
        while (p < len && WS(source.charCodeAt(p))) p++;
        const q = source.charCodeAt(p);
        if (q === 34 || q === 39) {
          const close = source.indexOf(q === 34 ? '"' : "'", p + 1);
          const vEnd = close === -1 ? len : close;
          value = this.#slice(p + 1, vEnd);
          p = vEnd + 1;
        } else {
          const vStart = p;
          while (p < len) {
            const a = source.charCodeAt(p);
            if (WS(a) || a === 62) break;
            p++;
          }
          value = this.#slice(vStart, p);
          this.#problem('unquoted attribute value');
        }
        value = decodeAttribute(value);
      }
      if (attrs === NO_ATTRS) attrs = {};
      if (attrName in attrs) {
        this.#problem(`duplicate attribute "${attrName}"`);
        continue;
      }
      attrs[attrName] = value;
      if (attrName.startsWith('xmlns')) undo = this.#declare(attrName, value, undo);
    }

    if (this.#droppedDepth > 0 || stack.length >= MAX_DEPTH) {
      if (this.#droppedDepth === 0) this.#problem(`nesting deeper than ${MAX_DEPTH} elements ignored`);
      if (!selfClosing) this.#droppedDepth++;
      if (undo) this.#restoreBindings(undo);
      return p;
    }

    const el: XmlElement = {
      name: this.#resolveName(rawName),
      attrs,
      children: [],
      innerStart: p,
      innerEnd: p,
    };
    const parent = stack[stack.length - 1];
    if (parent) parent.el.children.push(el);
    else if (!this.#root) this.#root = el;
    else {
      this.#problem('content after the document element');
      return p;
    }
    if (selfClosing) {
      if (undo) this.#restoreBindings(undo);
    } else {
      stack.push({ el, rawName, nameAt: lt + 1, nameLength: p - lt - 1, undo });
    }
    return p;
  }

  /** An `xmlns` or `xmlns:prefix` attribute: binds the prefix, noting in `undo` what to restore. */
  #declare(
    attrName: string,
    value: string,
    undo: [string, string | undefined][] | null,
  ): [string, string | undefined][] | null {
    const prefix = attrName === 'xmlns' ? '' : attrName.startsWith('xmlns:') ? attrName.slice(6) : null;
    // Feeds often repeat their root's declarations on every element (`<itunes:author xmlns:itunes=…>`):
    // one that changes nothing costs nothing, and keeps the name cache.
    if (prefix === null || this.#ns.get(prefix) === value) return undo;
    this.#nameCache.clear();
    const changes = undo ?? [];
    changes.push([prefix, this.#ns.get(prefix)]);
    this.#ns.set(prefix, value);
    if (prefix !== '' && value.toLowerCase() === 'http://www.w3.org/1999/xhtml')
      this.#xhtmlPrefixes.push(prefix);
    return changes;
  }

  #addText(text: string): void {
    const top = this.#stack[this.#stack.length - 1];
    if (!top) return;
    if (text.indexOf('&') !== -1) {
      if (hasNonXmlReference(text)) this.#problem('undefined entity or bare "&" in text');
      text = decodeText(text);
    }
    top.el.children.push(text);
  }

  /** Whitespace between elements carries nothing the mappers use; mixed content is read from the source. */
  #addTextIfContent(from: number, to: number): void {
    if (this.#hasContent(from, to)) this.#addText(this.#slice(from, to));
  }

  #hasContent(from: number, to: number): boolean {
    for (let k = from; k < to; k++) if (!WS(this.#source.charCodeAt(k))) return true;
    return false;
  }

  /**
   * A tag or attribute name as written (source[from, to)) → lower case. A feed writes the same few names
   * thousands of times: each is looked up by length and first character and compared where it stands, which
   * spares slicing and hashing a string per name (a Map keyed by the written name was parseXml's hottest line).
   */
  #lower(from: number, to: number): string {
    const source = this.#source;
    const n = to - from;
    const key = n * 128 + (source.charCodeAt(from) & 127);
    let bucket = this.#seenNames.get(key);
    if (bucket) {
      for (const seen of bucket) if (sameRun(source, seen.at, from, n)) return seen.name;
    } else {
      bucket = [];
      this.#seenNames.set(key, bucket);
    }
    const name = this.#slice(from, to).toLowerCase();
    if (bucket.length < MAX_NAMES_PER_BUCKET) bucket.push({ at: from, name });
    return name;
  }

  #resolveName(raw: string): string {
    let name = this.#nameCache.get(raw);
    if (name === undefined) {
      name = this.#resolveUncached(raw);
      this.#nameCache.set(raw, name);
    }
    return name;
  }

  #resolveUncached(raw: string): string {
    const colon = raw.indexOf(':');
    if (colon === -1) {
      const uri = this.#ns.get('');
      if (uri === undefined) return raw;
      const known = KNOWN_NAMESPACES[uri.toLowerCase()];
      return known ? `${known}:${raw}` : raw;
    }
    const prefix = raw.slice(0, colon);
    const local = raw.slice(colon + 1);
    const uri = this.#ns.get(prefix);
    if (uri === undefined) {
      if (prefix !== 'xml') this.#problem(`undeclared namespace prefix "${prefix}"`);
      return raw;
    }
    const known = KNOWN_NAMESPACES[uri.toLowerCase()];
    if (known === undefined) return raw;
    return known === '' ? local : `${known}:${local}`;
  }

  /** Closes the open element whose raw name is `name`, implicitly closing any left open inside it. */
  #closeElement(name: string, at: number): void {
    if (this.#droppedDepth > 0) {
      this.#droppedDepth--;
      return;
    }
    const stack = this.#stack;
    let k = stack.length - 1;
    while (k >= 0 && stack[k]!.rawName !== name) k--;
    if (k < 0) {
      this.#problem(`stray end tag </${name}>`);
      return;
    }
    if (k < stack.length - 1)
      this.#problem(`unclosed <${stack[stack.length - 1]!.rawName}> closed by </${name}>`);
    while (stack.length > k) this.#popElement(at);
  }

  #popElement(at: number): void {
    const open = this.#stack.pop()!;
    open.el.innerEnd = at;
    if (open.undo) this.#restoreBindings(open.undo);
  }

  #restoreBindings(undo: [string, string | undefined][]): void {
    this.#nameCache.clear();
    for (const [prefix, prev] of undo) {
      if (prev === undefined) this.#ns.delete(prefix);
      else this.#ns.set(prefix, prev);
    }
  }
}

/** Whether source[a, a + n) and source[b, b + n) are the same: compared in place, where startsWith would
 * need the name as a string of its own (and is slower than this loop for names this short). */
function sameRun(source: string, a: number, b: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (source.charCodeAt(a + k) !== source.charCodeAt(b + k)) return false;
  return true;
}

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58 || c > 127;
}

/** End of a `<!…>` declaration, stepping over a bracketed internal subset and quoted strings. */
function skipDeclaration(source: string, from: number): number {
  let depth = 0;
  let quote = 0;
  for (let k = from + 2; k < source.length; k++) {
    const c = source.charCodeAt(k);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 91) depth++;
    else if (c === 93) depth--;
    else if (c === 62 && depth <= 0) return k + 1;
  }
  return source.length;
}

// ---- Reading the tree ----

export function child(el: XmlElement, name: string): XmlElement | undefined {
  for (const c of el.children) if (typeof c !== 'string' && c.name === name) return c;
  return undefined;
}

/** Children named `name`, in document order. */
export function childrenNamed(el: XmlElement, name: string): readonly XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) if (typeof c !== 'string' && c.name === name) out.push(c);
  return out;
}

/** The element's own text (child text and CDATA joined), trimmed. */
export function textOf(el: XmlElement | undefined): string {
  if (!el) return '';
  const ch = el.children;
  if (ch.length === 1 && typeof ch[0] === 'string') return ch[0].trim();
  let s = '';
  for (const c of ch) if (typeof c === 'string') s += c;
  return s.trim();
}

export function hasElementChildren(el: XmlElement): boolean {
  for (const c of el.children) if (typeof c !== 'string') return true;
  return false;
}

/** Every element below `el` (depth-first, iterative so deep documents cannot overflow the stack). */
export function* descendants(el: XmlElement): Generator<XmlElement> {
  const todo: XmlElement[] = [el];
  while (todo.length > 0) {
    const e = todo.pop()!;
    for (let k = e.children.length - 1; k >= 0; k--) {
      const c = e.children[k]!;
      if (typeof c !== 'string') {
        yield c;
        todo.push(c);
      }
    }
  }
}

const CDATA_MARKERS = /<!\[CDATA\[|\]\]>/g;

/** What an element holds, as markup: its decoded text when it has only text (escaped HTML, CDATA), or its
 * inner source exactly as written when it holds elements (unescaped HTML in a description) or when
 * `asWritten` (Atom xhtml, where escaped text must stay escaped). */
export function innerMarkup(doc: XmlDocument, el: XmlElement, asWritten = false): string {
  if (!asWritten && !hasElementChildren(el)) return textOf(el);
  let s = doc.source.slice(el.innerStart, el.innerEnd);
  if (s.indexOf('<![CDATA[') !== -1) s = s.replace(CDATA_MARKERS, '');
  for (const prefix of doc.xhtmlPrefixes) s = s.replace(new RegExp(`(</?)${prefix}:`, 'gi'), '$1');
  return s.trim();
}
