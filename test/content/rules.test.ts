import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ConfigError, loadSettings } from '../../src/config/config.js';
import { applyRules, compileRules, RuleError } from '../../src/content/rules.js';
import { prepareItems } from '../../src/ingest/prepare-items.js';
import type { FeedItem } from '../../src/model.js';

const dir = mkdtempSync(join(tmpdir(), 'tributary-rules-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const ITEMS: FeedItem[] = [
  {
    id: '1',
    title: 'Kernel 6.9 released',
    tags: ['kernel'],
    authors: [{ name: 'jdoe' }],
    content_html: '<p>New scheduler.</p>',
  },
  { id: '2', title: 'SPONSORED: buy our VPN', tags: ['ads'], content_html: '<p>Great deal.</p>' },
  { id: '3', title: 'Weekly news', tags: ['security', 'news'], content_text: 'A CVE in openssl.' },
];

const ids = (items: FeedItem[]) => items.map((i) => i.id);
const run = (rules: unknown, items = ITEMS) => applyRules(items, [compileRules(rules)]);

test('exclude drops items whose field matches, case-insensitively by default', () => {
  assert.deepEqual(ids(run([{ exclude: { title: 'sponsored' } }])), ['1', '3']);
});

test('include keeps items matching any include; tags and authors are matched one by one', () => {
  assert.deepEqual(ids(run([{ include: { tags: '^kernel$' } }, { include: { tags: '^security$' } }])), [
    '1',
    '3',
  ]);
  assert.deepEqual(ids(run([{ include: { tags: '^news' } }])), ['3']);
  assert.deepEqual(ids(run([{ include: { author: 'jdoe' } }])), ['1']);
});

test('content matches the text of content_html, content_text and summary, not the markup', () => {
  assert.deepEqual(ids(run([{ include: { content: 'openssl|scheduler' } }])), ['1', '3']);
  assert.deepEqual(ids(run([{ include: { content: '<p>' } }])), []);
  const withSummary: FeedItem[] = [{ id: 's', summary: 'Rust in the kernel' }];
  assert.deepEqual(ids(run([{ include: { content: 'rust in the' } }], withSummary)), ['s']);
});

test('a summary is plain text: matched and rewritten as written, never read or escaped as HTML', () => {
  const items: FeedItem[] = [{ id: 't', summary: 'Use <b> for bold & <i> for italics, sponsored' }];
  assert.deepEqual(ids(run([{ include: { content: 'use <b> for bold' } }], items)), ['t']);
  const [item] = run([{ rewrite: { pattern: ', sponsored', replace: '', field: 'summary' } }], items);
  assert.equal(item!.summary, 'Use <b> for bold & <i> for italics');
});

test('fields in one rule must all match; include and exclude combine', () => {
  assert.deepEqual(ids(run([{ include: { title: 'kernel', tags: 'security' } }])), []);
  assert.deepEqual(ids(run([{ include: { title: 'e' } }, { exclude: { tags: 'ads' } }])), ['1', '3']);
});

test('/pattern/flags keeps exactly its flags: /Kernel/ is case-sensitive', () => {
  assert.deepEqual(ids(run([{ include: { title: '/kernel/' } }])), []);
  assert.deepEqual(ids(run([{ include: { title: '/Kernel/' } }])), ['1']);
});

test('strip-wordpress-footer removes "The post X appeared first on Y." from HTML and plain-text bodies and the summary', () => {
  const footer =
    '<p>The post <a href="https://blog.example/a">A <em>title</em></a> appeared first on <a href="https://blog.example/">Blog</a>.</p>';
  const textFooter = 'The post A title appeared first on Blog.';
  const [html, text] = run(
    [{ rewrite: 'strip-wordpress-footer' }],
    [
      { id: 'w', content_html: `<p>Body.</p>${footer}`, summary: `Excerpt. ${textFooter}` },
      { id: 't', content_text: `Body.\n\n${textFooter}\n`, summary: `Excerpt […]\n\n${textFooter}` },
    ],
  );
  assert.equal(html!.content_html, '<p>Body.</p>');
  assert.equal(html!.summary, 'Excerpt.');
  assert.equal(text!.content_text, 'Body.');
  assert.equal(text!.summary, 'Excerpt […]');
});

test('strip-wordpress-footer leaves the words alone where they are not the closing footer', () => {
  const summary = 'The post office appeared first on the map in 1850. It still stands.';
  const [item] = run([{ rewrite: 'strip-wordpress-footer' }], [{ id: 'm', summary }]);
  assert.equal(item!.summary, summary);
});

test('a user rewrite replaces in the field given, with $1 references', () => {
  const [item] = run(
    [{ rewrite: { pattern: 'Read more at (\\w+)', replace: 'Via $1', field: 'content_html' } }],
    [{ id: 'r', content_html: '<p>Read more at LWN</p>', summary: 'Read more at LWN' }],
  );
  assert.equal(item!.content_html, '<p>Via LWN</p>');
  assert.equal(item!.summary, 'Read more at LWN');
});

test('a rewrite result is sanitized again: a rule cannot bring in script', () => {
  const [item] = run(
    [{ rewrite: { pattern: 'Body', replace: '<script>alert(1)</script><img src="x" onerror="alert(2)">' } }],
    [{ id: 'x', url: 'https://site.example/post', content_html: '<p>Body</p>' }],
  );
  assert.doesNotMatch(item!.content_html!, /<script|onerror|alert\(1\)/i);
  assert.match(item!.content_html!, /<img src="https:\/\/site\.example\/x"/);
});

test('author renames matching names and sets one only when the item names none', () => {
  const items: FeedItem[] = [
    { id: 'a', authors: [{ name: 'admin' }, { name: 'Ann' }] },
    { id: 'b' },
    { id: 'c', authors: [{ url: 'https://x.example/' }] },
  ];
  const renamed = run([{ author: { from: '^admin$', to: 'Example Team' } }], items);
  assert.deepEqual(renamed[0]!.authors, [{ name: 'Example Team' }, { name: 'Ann' }]);
  assert.equal(renamed[1]!.authors, undefined);
  const set = run([{ author: { set: 'Example Team' } }], items);
  assert.deepEqual(set[0]!.authors, [{ name: 'admin' }, { name: 'Ann' }]);
  assert.deepEqual(set[1]!.authors, [{ name: 'Example Team' }]);
  assert.deepEqual(set[2]!.authors, [{ name: 'Example Team' }]);
});

test('rule sets apply in order: the global set first, then the source set sees its result', () => {
  const global = compileRules([{ author: { set: 'Staff' } }, { exclude: { title: 'sponsored' } }]);
  const source = compileRules([{ include: { author: '^staff$' } }]);
  assert.deepEqual(ids(applyRules(ITEMS, [global, source])), ['3']);
  // A global include and a source include both have to pass: sets are gates one after the other.
  const onlyKernel = compileRules([{ include: { tags: 'kernel' } }]);
  const onlySecurity = compileRules([{ include: { tags: 'security' } }]);
  assert.deepEqual(ids(applyRules(ITEMS, [onlyKernel, onlySecurity])), []);
});

test('invalid rules are errors naming the rule and the cause', () => {
  const cases: [unknown, RegExp][] = [
    [{ exclude: { title: '(' } }, /rules\[0\]\.exclude\.title: invalid regular expression/],
    [{ exclude: { body: 'x' } }, /rules\[0\]\.exclude: unknown field "body"/],
    [{ include: { title: 'x'.repeat(501) } }, /501 characters, over the 500 allowed/],
    [{ include: { title: '/x/g' } }, /flags "g"/],
    [{ rewrite: 'strip-everything' }, /no built-in rewrite "strip-everything"/],
    [{ rewrite: { pattern: 'x' } }, /rules\[0\]\.rewrite\.replace must be text/],
    [{ author: { from: 'x' } }, /rules\[0\]\.author\.to must be non-empty text/],
    [{ drop: {} }, /unknown rule "drop"/],
    [{ include: { title: 'a' }, exclude: { title: 'b' } }, /exactly one of/],
  ];
  for (const [rule, message] of cases)
    assert.throws(
      () => compileRules([rule]),
      (e: Error) => e instanceof RuleError && message.test(e.message),
    );
  assert.throws(() => compileRules({ exclude: {} }), /rules must be a list/);
});

test('the config file takes global and per-source rules; a bad one is a ConfigError naming file and rule', () => {
  const good = join(dir, 'good.yaml');
  writeFileSync(
    good,
    `rules:
  - exclude: { title: sponsored }
  - rewrite: strip-wordpress-footer
sources:
  - url: https://example.org/feed
    rules:
      - include: { tags: "kernel|security" }
      - author: { set: Example Team }
`,
  );
  const s = loadSettings(good, {});
  assert.equal(s.rules?.length, 2);
  assert.deepEqual(s.sources[0]!.rules, [
    { include: { tags: 'kernel|security' } },
    { author: { set: 'Example Team' } },
  ]);

  const bad = join(dir, 'bad.yaml');
  writeFileSync(
    bad,
    'sources:\n  - url: https://example.org/feed\n    rules:\n      - exclude: { title: "[a-" }\n',
  );
  assert.throws(
    () => loadSettings(bad, {}),
    (e: Error) =>
      e instanceof ConfigError &&
      e.message.includes(bad) &&
      e.message.includes('sources[0].rules[0].exclude.title'),
  );
});

test('prepareItems sanitizes, then applies the rule sets it is given', () => {
  const raw: FeedItem[] = [
    {
      id: 'p1',
      url: 'https://blog.example/p1',
      title: 'On kernels',
      content_html:
        '<p onclick="x()">Text</p><p>The post <a href="/p1">On kernels</a> appeared first on <a href="/">Blog</a>.</p>',
    },
    { id: 'p2', url: 'https://blog.example/p2', title: 'Sponsored post', content_html: '<p>Ad</p>' },
  ];
  const global = compileRules([{ exclude: { title: 'sponsored' } }, { rewrite: 'strip-wordpress-footer' }]);
  const source = compileRules([{ author: { set: 'Blog Team' } }]);
  const out = prepareItems(raw, 'https://blog.example/feed', { rules: [global, source] });
  assert.deepEqual(
    out.map((i) => [i.id, i.content_html, i.authors]),
    [['p1', '<p>Text</p>', [{ name: 'Blog Team' }]]],
  );
  assert.equal(prepareItems(raw, 'https://blog.example/feed').length, 2);
});
