import assert from 'node:assert/strict';
import { test } from 'node:test';
import { child, innerMarkup, parseXml, textOf } from '../../src/parse/xml.js';

test('elements get canonical names from their namespace, not the prefix written', () => {
  const doc = parseXml(
    '<rss xmlns:c="http://purl.org/rss/1.0/modules/content/" xmlns:a10="http://www.w3.org/2005/Atom"><channel>' +
      '<c:encoded>x</c:encoded><a10:link href="h"/></channel></rss>',
  );
  const channel = child(doc.root!, 'channel')!;
  assert.ok(child(channel, 'content:encoded'));
  assert.equal(child(channel, 'atom:link')?.attrs.href, 'h');
  assert.deepEqual(doc.problems, []);
});

test('entities: XML, numeric and HTML named are decoded; a bare & survives and is reported', () => {
  const doc = parseXml('<a><b>AT&amp;T &#8220;q&#x201D; caf&eacute; &nbsp;R&D</b></a>');
  assert.equal(textOf(child(doc.root!, 'b')), 'AT&T \u201cq\u201d caf\u00e9 \u00a0R&D');
  assert.ok(doc.problems.some((p) => p.includes('entity')));
});

test('CDATA is kept verbatim and joined with surrounding text', () => {
  const doc = parseXml('<a><b>x <![CDATA[<p>&amp;</p>]]> y</b></a>');
  assert.equal(textOf(child(doc.root!, 'b')), 'x <p>&amp;</p> y');
});

test('a DOCTYPE with an internal subset is skipped, never expanded', () => {
  const doc = parseXml(
    '<!DOCTYPE r [<!ENTITY e "boom"><!ENTITY x SYSTEM "file:///etc/passwd">]><r><t>&e;&x;</t></r>',
  );
  assert.equal(textOf(child(doc.root!, 't')), '&e;&x;');
});

test('unclosed tags are closed by an ancestor end tag and reported', () => {
  const doc = parseXml(
    '<rss><channel><item><description><p>one<br>two</description><title>T</title></item></channel></rss>',
  );
  const item = child(child(doc.root!, 'channel')!, 'item')!;
  assert.equal(textOf(child(item, 'title')), 'T');
  assert.equal(innerMarkup(doc, child(item, 'description')!), '<p>one<br>two');
  assert.ok(doc.problems.some((p) => p.includes('unclosed')));
});

test('stray end tags are ignored and a truncated document keeps what it had', () => {
  const doc = parseXml('<feed><title>A</title></oops><entry><title>B</title>');
  assert.equal(textOf(child(doc.root!, 'title')), 'A');
  assert.equal(textOf(child(child(doc.root!, 'entry')!, 'title')), 'B');
  assert.ok(doc.problems.some((p) => p.includes('stray')));
  assert.ok(doc.problems.some((p) => p.includes('truncated')));
});

test('deep nesting is bounded instead of exhausting memory or the stack', () => {
  const depth = 50_000;
  const doc = parseXml(`<r>${'<x>'.repeat(depth)}${'</x>'.repeat(depth)}<t>after</t></r>`);
  assert.equal(textOf(child(doc.root!, 't')), 'after');
  assert.ok(doc.problems.some((p) => p.includes('nesting')));
});

test('attributes: quoted, unquoted, entity-decoded; duplicates keep the first', () => {
  const doc = parseXml('<a x="1&amp;2" y=\'q\' z=bare x="dup"/>');
  assert.deepEqual(doc.root!.attrs, { x: '1&2', y: 'q', z: 'bare' });
  assert.ok(doc.problems.some((p) => p.includes('duplicate')));
});

test('inner markup strips an XHTML prefix and CDATA markers', () => {
  const doc = parseXml(
    '<content xmlns:h="http://www.w3.org/1999/xhtml"><h:div><h:p>Hi <h:b>there</h:b></h:p><![CDATA[<i>x</i>]]></h:div></content>',
  );
  assert.equal(innerMarkup(doc, doc.root!), '<div><p>Hi <b>there</b></p><i>x</i></div>');
});
