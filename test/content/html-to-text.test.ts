import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { htmlToText } from '../../src/index.js';

describe('htmlToText blocks and whitespace', () => {
  test('block elements are paragraphs separated by one blank line', () => {
    assert.equal(
      htmlToText(
        '<h1>Title</h1><p>One</p><div>Two<section>Three</section></div><blockquote>Four</blockquote>',
      ),
      'Title\n\nOne\n\nTwo\n\nThree\n\nFour',
    );
  });

  test('<br> is a line break, and repeated ones give at most one blank line', () => {
    assert.equal(htmlToText('<p>a<br>b<br/><br>c<br><br><br><br>d</p>'), 'a\nb\n\nc\n\nd');
  });

  test('whitespace collapses like a browser, across inline elements', () => {
    assert.equal(
      htmlToText('<p>\n  Some   <b> bold </b>\ttext\n and <i>more</i>.  </p>'),
      'Some bold text and more.',
    );
  });

  test('a non-breaking space is text, not collapsible whitespace', () => {
    assert.equal(htmlToText('<p>a&nbsp;&nbsp;b</p>'), 'a\u00a0\u00a0b');
  });

  test('the output is trimmed, has no trailing spaces and no runs of blank lines', () => {
    const out = htmlToText('<div>\n\n<p>a&nbsp;</p>\n\n\n<div></div><p></p>\n<p>b </p></div>\n');
    assert.equal(out, 'a\n\nb');
  });
});

describe('htmlToText lists', () => {
  test('unordered items are "- item", ordered ones "1. item"', () => {
    assert.equal(htmlToText('<ul><li>apple</li><li>pear</li></ul>'), '- apple\n- pear');
    assert.equal(htmlToText('<ol><li>first<li>second</ol>'), '1. first\n2. second');
  });

  test('start and value attributes renumber ordered lists', () => {
    assert.equal(
      htmlToText('<ol start="4"><li>d</li><li value="9">i</li><li>j</li></ol>'),
      '4. d\n9. i\n10. j',
    );
  });

  test('nested lists are indented by two spaces per level', () => {
    const html = '<ul><li>a<ul><li>a1<ol><li>deep</li></ol></li></ul></li><li>b</li></ul>';
    assert.equal(htmlToText(html), '- a\n  - a1\n    1. deep\n- b');
  });

  test('paragraphs inside an item stay in the item, aligned under its text', () => {
    assert.equal(
      htmlToText('<ol><li><p>one</p><p>more</p></li><li>two</li></ol>'),
      '1. one\n   more\n2. two',
    );
  });

  test('a list is a block between paragraphs', () => {
    assert.equal(htmlToText('<p>Before</p><ul><li>x</li></ul><p>After</p>'), 'Before\n\n- x\n\nAfter');
  });
});

describe('htmlToText tables', () => {
  test('a table is a pipe table with a rule under the first row', () => {
    const html = '<table><tr><td>a</td><td>b</td></tr><tr><td>1</td><td>2</td></tr></table>';
    assert.equal(htmlToText(html), '| a | b |\n|---|---|\n| 1 | 2 |');
  });

  test('the <th> row is the header, even when it is not first', () => {
    const html = '<table><tr><td>x</td><td>y</td></tr><tr><th>H1</th><th>H2</th></tr></table>';
    assert.equal(htmlToText(html), '| H1 | H2 |\n|---|---|\n| x | y |');
  });

  test('cells are one line, pipes escaped, short rows padded', () => {
    const html =
      '<table><thead><tr><th>name</th><th>note</th></tr></thead><tbody>' +
      '<tr><td><p>multi</p><p>line</p></td><td>a|b<br>c</td></tr><tr><td>only</td></tr></tbody></table>';
    assert.equal(htmlToText(html), '| name | note |\n|---|---|\n| multi line | a\\|b c |\n| only |  |');
  });

  test('a caption precedes the table and the table is its own block', () => {
    const html =
      '<p>See:</p><table><caption>Prices</caption><tr><td>tea</td><td>2</td></tr></table><p>End</p>';
    assert.equal(htmlToText(html), 'See:\n\nPrices\n| tea | 2 |\n|---|---|\n\nEnd');
  });
});

describe('htmlToText inline content', () => {
  test('images are dropped and links are their text', () => {
    assert.equal(
      htmlToText('<p>See <a href="https://e.org/">this page</a><img src="x.png" alt="a picture">.</p>'),
      'See this page.',
    );
  });

  test('entities are decoded', () => {
    assert.equal(htmlToText('<p>Tom &amp; Jerry &lt;3 &copy; &#x263A; &#8364;</p>'), 'Tom & Jerry <3 © ☺ €');
  });

  test('script, style and head contents are dropped', () => {
    const html =
      '<head><title>Page</title><style>p{color:red}</style></head><p>Text</p><script>alert("x")</script>' +
      '<noscript>enable JS</noscript>';
    assert.equal(htmlToText(html), 'Text');
  });
});

describe('htmlToText <pre>', () => {
  test('keeps its text verbatim, with entities decoded', () => {
    const html = '<p>Code:</p><pre>\nif (a &lt; b) {\n    return  "x";\n}\n</pre><p>Done</p>';
    assert.equal(htmlToText(html), 'Code:\n\nif (a < b) {\n    return  "x";\n}\n\nDone');
  });
});

describe('htmlToText robustness', () => {
  test('deeply nested input completes and keeps its text', () => {
    const depth = 50_000;
    assert.equal(htmlToText(`${'<div>'.repeat(depth)}deep${'</div>'.repeat(depth)}`), 'deep');
  });

  test('unclosed and misnested markup still renders its text', () => {
    assert.equal(htmlToText('<p>one<p>two<ul><li>three<li>four'), 'one\n\ntwo\n\n- three\n- four');
  });
});

test('htmlToText renders a realistic post', () => {
  const post = `
<div class="entry-content">
  <p>We shipped <strong>version 2.0</strong> today &mdash; thanks to
     <a href="https://example.org/people">everyone</a> who helped!</p>
  <img src="https://example.org/hero.jpg" alt="Hero image">
  <h2>What&rsquo;s new</h2>
  <ul>
    <li>Faster sync
      <ul><li>up to 3&times; on large feeds</li></ul>
    </li>
    <li>Dark mode</li>
  </ul>
  <h2>Benchmarks</h2>
  <table>
    <tr><th>Feeds</th><th>1.0</th><th>2.0</th></tr>
    <tr><td>100</td><td>4 s</td><td>1 s</td></tr>
  </table>
  <p>Upgrade with:</p>
  <pre><code>npm install tributary@2
</code></pre>
  <script>trackPageView()</script>
  <p>Questions?<br>Write to us.</p>
</div>`;
  assert.equal(
    htmlToText(post),
    [
      'We shipped version 2.0 today — thanks to everyone who helped!',
      '',
      'What’s new',
      '',
      '- Faster sync',
      '  - up to 3× on large feeds',
      '- Dark mode',
      '',
      'Benchmarks',
      '',
      '| Feeds | 1.0 | 2.0 |',
      '|---|---|---|',
      '| 100 | 4 s | 1 s |',
      '',
      'Upgrade with:',
      '',
      'npm install tributary@2',
      '',
      'Questions?',
      'Write to us.',
    ].join('\n'),
  );
});
