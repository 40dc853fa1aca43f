/**
 * htmlToText: the plain-text rendering of a post used by Tributary's text digest.
 *
 * Hand-written on a streaming scanner's callbacks (no DOM, no selectors; see html-scan.ts): the `html-to-text`
 * package builds a DOM and matches selectors for every node, and this renderer must be at least 10× faster
 * than it (bench/content.mjs measures both). Rules: blocks on their own lines separated by one blank line,
 * `<br>` a line break, whitespace collapsed like a browser outside `<pre>`, lists as `- item` / `1. item`
 * (nested lists indented two spaces), tables as pipe tables, images dropped, links as their text, `<pre>`
 * verbatim, script/style/head and other unseen content dropped; output trimmed, no trailing spaces, at most
 * one blank line in a row.
 */
import { decodeHTML } from 'entities';
import { type ScanHandler, scanHtml } from './html-scan.js';
import { DepthCounter, flatText, NestingTooDeep } from './nesting.js';
import { TableBuilder } from './text-table.js';

/** Elements whose content a reader of the page never sees (or sees only without JavaScript or media). */
const HIDDEN = new Set([
  'script',
  'style',
  'head',
  'title',
  'template',
  'noscript',
  'svg',
  'audio',
  'video',
  'canvas',
  'iframe',
  'noembed',
  'noframes',
  'select',
  'datalist',
]);

const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'center',
  'details',
  'dialog',
  'div',
  'dl',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'legend',
  'main',
  'nav',
  'p',
  'pre',
  'section',
  'summary',
]);
const LISTS = new Set(['ul', 'ol', 'menu', 'dir']);
/** Items that start a line but are not paragraphs: definition terms and descriptions. */
const LINE_ITEMS = new Set(['dt', 'dd']);
/**
 * Whitespace runs to collapse (browsers collapse ASCII whitespace; U+00A0 and other spaces are text). A lone
 * space needs no change, and not matching it spares a new string for most text nodes.
 */
const COLLAPSIBLE_RUN = /[\t\n\r\f][ \t\n\r\f]*| [ \t\n\r\f]+/g;

interface List {
  ordered: boolean;
  next: number;
  /** Indentation of the current item's continuation lines. */
  indent: string;
}

/** A list item whose marker is written with its first content (a `value` attribute may still renumber it). */
interface Item {
  list: List;
  number: number;
  /** Nesting level of its list, 0 for a top-level list. */
  level: number;
}

/** Renders an HTML fragment as plain text (see the module comment for the rules). */
export function htmlToText(html: string): string {
  const renderer = new TextRenderer();
  // Entities are decoded only in text (with `entities`): attribute values are never needed. Attribute names
  // arrive as written: onattribute compares the two it needs case-insensitively.
  try {
    scanHtml(html, renderer);
  } catch (error) {
    if (!(error instanceof NestingTooDeep)) throw error;
    return flatText(html);
  }
  return renderer.text();
}

class TextRenderer implements ScanHandler {
  /** Finished lines, trailing whitespace removed, never two blank ones in a row. */
  private readonly lines: string[] = [];
  /** The line being written; `lineOpen` once its prefix (indent or list marker) is written. */
  private line = '';
  private readonly depth = new DepthCounter();
  /** Line breaks owed before the next content: 1 = new line, 2 = blank line. */
  private breaks = 0;
  /** A collapsed space is owed before the next word on the same line. */
  private space = false;
  private lineOpen = false;
  private hidden = 0;
  private pre = 0;
  private preStart = false;
  private readonly lists: List[] = [];
  private item: Item | undefined;
  /** The element whose attributes are arriving, when we need one of them (`<ol start>`, `<li value>`). */
  private numbered: 'ol' | 'li' | undefined;
  private table: TableBuilder | undefined;
  private tableDepth = 0;

  onopentagname(name: string): void {
    this.depth.open();
    this.numbered = undefined;
    if (HIDDEN.has(name)) this.hidden++;
    if (this.hidden) return;
    if (name === 'table' && ++this.tableDepth === 1) {
      this.block();
      this.table = new TableBuilder();
      return;
    }
    if (this.table) {
      this.table.open(name, this.tableDepth > 1);
      return;
    }
    if (name === 'br') this.lineBreak();
    else if (name === 'li') this.listItem();
    else if (LISTS.has(name)) {
      this.block();
      this.lists.push({ ordered: name === 'ol', next: 1, indent: '  '.repeat(this.lists.length) });
      if (name === 'ol') this.numbered = 'ol';
    } else if (BLOCKS.has(name)) {
      this.block();
      if (name === 'pre') {
        this.pre++;
        this.preStart = true;
      }
    } else if (LINE_ITEMS.has(name)) this.newLine();
  }

  onattribute(name: string, value: string): void {
    if (!this.numbered) return;
    const number = Number.parseInt(value, 10);
    if (!Number.isFinite(number)) return;
    const attribute = name.toLowerCase();
    if (this.numbered === 'ol' && attribute === 'start') this.lists.at(-1)!.next = number;
    else if (this.numbered === 'li' && attribute === 'value' && this.item) {
      this.item.number = number;
      this.item.list.next = number + 1;
    }
  }

  onclosetag(name: string): void {
    this.depth.close();
    if (HIDDEN.has(name)) {
      this.hidden--;
      return;
    }
    if (this.hidden) return;
    if (name === 'table' && --this.tableDepth === 0) {
      const lines = this.table!.render();
      this.table = undefined;
      for (const line of lines) {
        this.write(line);
        this.newLine();
      }
      this.block();
      return;
    }
    if (this.table) {
      this.table.close(name, this.tableDepth > 1);
      return;
    }
    if (name === 'li' || LINE_ITEMS.has(name)) this.newLine();
    else if (LISTS.has(name)) {
      this.lists.pop();
      this.block();
    } else if (BLOCKS.has(name)) {
      if (name === 'pre') this.pre--;
      this.block();
    }
  }

  ontext(raw: string): void {
    if (this.hidden) return;
    const text = raw.includes('&') ? decodeHTML(raw) : raw;
    if (this.table) this.table.text(text);
    else if (this.pre) this.preText(text);
    else this.inlineText(text);
  }

  /** Text outside <pre>: whitespace runs collapse to one space, dropped at line starts and ends. */
  private inlineText(text: string): void {
    if (isCollapsibleSpace(text)) {
      this.space = true;
      return;
    }
    const words = text.replace(COLLAPSIBLE_RUN, ' ');
    const start = words.startsWith(' ') ? 1 : 0;
    const end = words.length > start && words.endsWith(' ') ? words.length - 1 : words.length;
    if (start) this.space = true;
    if (end > start) this.write(words.slice(start, end));
    if (end < words.length) this.space = true;
  }

  /** The rendering: trimmed, lines joined. */
  text(): string {
    this.endLine();
    return this.lines.join('\n').trim();
  }

  /** Writes inline content, first paying any owed line breaks, list marker or space. */
  private write(s: string): void {
    if (this.breaks) {
      this.endLine();
      if (this.breaks === 2) this.endLine();
    }
    if (!this.lineOpen) {
      this.line += this.item ? this.itemMarker(this.item) : (this.lists.at(-1)?.indent ?? '');
      this.lineOpen = true;
    } else if (this.space) this.line += ' ';
    this.line += s;
    this.breaks = 0;
    this.space = false;
  }

  private endLine(): void {
    const line = this.line.trimEnd();
    if (line || (this.lines.length && this.lines[this.lines.length - 1] !== '')) this.lines.push(line);
    this.line = '';
    this.lineOpen = false;
  }

  private preText(text: string): void {
    if (this.preStart) {
      // As in a browser, a newline right after <pre> is not content.
      text = text.replace(/^\r?\n/, '');
      this.preStart = false;
    }
    if (!text) return;
    const lines = text.split('\n');
    this.write(lines[0]!);
    for (let i = 1; i < lines.length; i++) {
      this.endLine();
      this.line = lines[i]!;
      this.lineOpen = true;
    }
  }

  /** A paragraph boundary: a blank line, or just a new line inside a list item. */
  private block(): void {
    this.owe(this.lists.length ? 1 : 2);
  }

  private newLine(): void {
    this.owe(1);
  }

  private lineBreak(): void {
    this.breaks = Math.min(this.breaks + 1, 2);
    this.space = false;
  }

  private owe(breaks: number): void {
    this.breaks = Math.max(this.breaks, breaks);
    this.space = false;
  }

  private listItem(): void {
    // A stray <li> outside any list still gets a bullet.
    const list = this.lists.at(-1) ?? { ordered: false, next: 1, indent: '' };
    this.newLine();
    this.item = { list, number: list.next++, level: Math.max(this.lists.length - 1, 0) };
    this.numbered = 'li';
  }

  /** The marker prefix of an item's first line; sets the indentation of its continuation lines. */
  private itemMarker(item: Item): string {
    const bullet = item.list.ordered ? `${item.number}. ` : '- ';
    const base = '  '.repeat(item.level);
    item.list.indent = base + ' '.repeat(bullet.length);
    this.item = undefined;
    return base + bullet;
  }
}

/** True for text made only of collapsible whitespace (common between tags); cheaper than a regex. */
function isCollapsibleSpace(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 9 && c !== 13 && c !== 12) return false;
  }
  return true;
}
