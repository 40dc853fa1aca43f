/**
 * sanitizeHtml's output is a fixed point, as a browser reads it: parse5 (the HTML5 tree builder, standing in
 * for the browser) builds from it a tree that serializes and re-parses to itself, and that sanitizeHtml keeps
 * as it is. Generated nestings of the elements that change how HTML is parsed (foreign content, select, raw
 * text, template, table), with attributes whose values look like markup, are where mutation XSS lives.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type DefaultTreeAdapterMap, parseFragment, serialize } from 'parse5';
import { sanitizeHtml } from '../../src/index.js';
import { seededRandom } from '../../src/schedule/index.js';

type Node = DefaultTreeAdapterMap['childNode'];
type Parent = DefaultTreeAdapterMap['parentNode'];

const TAGS = ['math', 'svg', 'mtext', 'mglyph', 'option', 'select', 'style', 'template', 'table', 'noscript'];
const PAYLOAD = '<img src=x onerror=alert(1)>';

/** One generated input: a random nesting of TAGS, some of them carrying a title that hides markup. */
function generate(random: () => number): string {
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]!;
  const hiding = () => ` title="</${pick(TAGS)}>${PAYLOAD}"`;
  const open: string[] = [];
  let html = '';
  for (let depth = 1 + Math.floor(random() * 6); depth > 0; depth--) {
    const tag = pick(TAGS);
    html += `<${tag}${random() < 0.3 ? hiding() : ''}>`;
    open.push(tag);
    if (random() < 0.2) html += `</${pick(TAGS)}>`; // a stray or early end tag
  }
  html += pick(['', 'text', `<img${hiding()}>`, `<a${hiding()}>link</a>`, `<b>bold</b>`]);
  while (open.length > 0 && random() < 0.7) html += `</${open.pop()}>`;
  return html;
}

/** A tree as a string that tells every difference apart: namespace, name, attributes, text, nesting. */
function dump(nodes: Node[] | undefined): string {
  let out = '';
  for (const node of nodes ?? []) {
    if (node.nodeName === '#text') out += JSON.stringify((node as DefaultTreeAdapterMap['textNode']).value);
    else if (node.nodeName === '#comment') out += '<!---->';
    else {
      const el = node as DefaultTreeAdapterMap['element'];
      const attrs = el.attrs.map(
        (a) => ` ${a.prefix ? `${a.prefix}:` : ''}${a.name}=${JSON.stringify(a.value)}`,
      );
      const content = el.nodeName === 'template' ? (el as DefaultTreeAdapterMap['template']).content : el;
      out += `<${el.namespaceURI}|${el.tagName}${attrs.join('')}>${dump((content as Parent).childNodes)}</>`;
    }
  }
  return out;
}

const browserTree = (html: string) => dump(parseFragment(html).childNodes);
/** What a browser's DOM of `html` is when written back out (innerHTML). */
const browserHtml = (html: string) => serialize(parseFragment(html));

/** The elements and attributes a browser would run or hide markup in, found in its tree of `html`. */
function active(nodes: Node[], found: string[] = []): string[] {
  for (const node of nodes) {
    if (!('tagName' in node)) continue;
    if (/^(script|style|noscript|template|svg|math|iframe)$/.test(node.tagName))
      found.push(`<${node.tagName}>`);
    for (const a of node.attrs) if (a.name.startsWith('on')) found.push(`${a.name}= on <${node.tagName}>`);
    active(node.childNodes, found);
  }
  return found;
}

/** Every property the output must have, as the failure to report (or undefined). */
function fault(input: string): string | undefined {
  const out = sanitizeHtml(input);
  const again = sanitizeHtml(out);
  if (again !== out) return `not idempotent: ${JSON.stringify(out)} → ${JSON.stringify(again)}`;
  const tree = browserTree(out);
  const written = browserHtml(out);
  if (browserTree(written) !== tree)
    return `the browser's tree of ${JSON.stringify(out)} re-parses differently from its serialization ${JSON.stringify(written)}`;
  const kept = sanitizeHtml(written);
  if (browserTree(kept) !== tree)
    return `the browser reads ${JSON.stringify(out)} as ${JSON.stringify(written)}, which sanitizes to ${JSON.stringify(kept)}`;
  const found = active(parseFragment(out).childNodes);
  if (found.length > 0) return `the browser's tree of ${JSON.stringify(out)} holds ${found.join(', ')}`;
  return undefined;
}

describe('sanitizeHtml output is a fixed point as a browser parses it', () => {
  test('foreign content holding option and style, markup hidden in a title, blocks in an unwrapped noscript', () => {
    for (const input of [
      `<math><mtext><option><style></style><select><a title="</style>${PAYLOAD}">x</a></select>`,
      `<svg><mglyph><option><svg><option title="</option>${PAYLOAD}"></option></svg>`,
      `<math><mtext><table><mglyph><style><img title="</style>${PAYLOAD}">`,
      `<option><table><option><a title="</noscript>${PAYLOAD}">t</a></option></table>`,
      `<p><noscript><div>block</div></noscript>after</p>`,
      `<ul><li>one<noscript><li>two</noscript></li></ul>`,
      `<select><script>alert(1)</script><b>x</b><option>o<img src=x onerror=alert(1)></option></select>`,
    ])
      assert.equal(fault(input), undefined, input);
  });

  test('on 3,000 generated nestings of math, svg, mtext, mglyph, option, select, style, template, table, noscript', () => {
    const random = seededRandom(20_240_501);
    const faults: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const input = generate(random);
      const problem = fault(input);
      if (problem) faults.push(`${JSON.stringify(input)}: ${problem}`);
    }
    assert.deepEqual(faults.slice(0, 5), [], `${faults.length} of 3000 inputs fail`);
  });
});
