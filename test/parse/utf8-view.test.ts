import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeFeedBytes } from '../../src/parse/encoding.js';
import { parseFeed } from '../../src/parse/index.js';
import { Utf8View } from '../../src/parse/utf8-view.js';

const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

test('a view slices to the same text a decoder gives, wherever the cut falls between characters', () => {
  const text =
    'plain ascii, then Grüße “quoted” 𝄞 and ascii again, more of it to stay mostly ascii; ünïcödé: é';
  const bytes = utf8(text);
  const view = Utf8View.of(bytes);
  assert.ok(view);
  assert.equal(view.ascii, false);
  assert.equal(view.text(), text);
  // Every cut at an ASCII byte (where the tokenizer cuts), against the decoder's text of the same bytes.
  const cuts = [...bytes.keys(), bytes.length].filter((k) => k === bytes.length || bytes[k]! < 0x80);
  for (const from of cuts)
    for (const to of cuts)
      if (from <= to)
        assert.equal(
          view.slice(from, to),
          Buffer.from(bytes.subarray(from, to)).toString('utf8'),
          `${from}–${to}`,
        );
});

test('no view when reading the bytes undecoded would differ from what decodeFeedBytes makes of them', () => {
  assert.ok(Utf8View.of(utf8('<a>ascii only</a>'))?.ascii);
  for (const [what, s] of [
    ['a control character XML forbids', '<a>x\u0001y</a>'],
    ['a C1 control (rewritten as windows-1252)', '<a>x\u0092y</a>'],
    ['U+FFFF', '<a>x\uffffy</a>'],
    ['a byte order mark (dropped by a decoder)', '\ufeff<a>x</a>'],
    ['mostly non-ASCII text', `<a>${'日本語のテキスト、'.repeat(200)}</a>`],
  ])
    assert.equal(Utf8View.of(utf8(s!)), undefined, what);
});

test('decodeFeedBytes gives a view for mostly-ASCII UTF-8, and its text is the decoded document', () => {
  const doc = '<?xml version="1.0" encoding="utf-8"?><rss><channel><title>Café 𝄞</title></channel></rss>';
  const r = decodeFeedBytes(utf8(doc), 'application/rss+xml');
  assert.ok(r.view);
  assert.equal(r.text, doc);
  assert.equal(r.encoding, 'utf-8');
  // A control character takes the decoding path, which removes it and says so.
  const dirty = decodeFeedBytes(utf8(doc.replace('Café', 'Caf\u0001é')));
  assert.equal(dirty.view, undefined);
  assert.equal(dirty.text, doc);
  assert.equal(dirty.bozo, true);
});

test('a feed read from bytes (through a view) equals the same feed read from its text', () => {
  // Non-ASCII in element and attribute names, attribute values, text, CDATA, entities and markup kept as written.
  const feed = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:ü="http://example.org/ü" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Grüße aus Köln</title><link>https://example.org/köln</link>
<description>Ça &amp; là — “quotes”</description>
<item><title>Naïve <b>café</b></title><link>https://example.org/p?q=é&amp;copy=2</link>
<ü:straße ü:attr="wert ä">inner</ü:straße>
<category>Ünïcode</category><author>jürgen@example.org (Jürgen Ä)</author>
<description><![CDATA[<p>Crème brûlée 🍮</p>]]></description>
<content:encoded><p title="ä">Smörgåsbord <em>ß</em></p></content:encoded>
<enclosure url="https://example.org/ä.mp3" type="audio/mpeg" length="12"/>
</item></channel></rss>`;
  const bytes = utf8(feed);
  assert.ok(decodeFeedBytes(bytes).view, 'the bytes take the view path');
  const fromBytes = parseFeed(bytes, { url: 'https://example.org/feed' });
  const fromText = parseFeed(feed, { url: 'https://example.org/feed' });
  delete fromBytes._tributary.encoding;
  assert.deepEqual(fromBytes, fromText);
  assert.equal(fromBytes.title, 'Grüße aus Köln');
  assert.equal(fromBytes.items[0]?.title, 'Naïve café');
  assert.deepEqual(fromBytes.items[0]?.tags, ['Ünïcode']);
  assert.match(fromBytes.items[0]?.content_html ?? '', /Smörgåsbord <em>ß<\/em>/);
});
