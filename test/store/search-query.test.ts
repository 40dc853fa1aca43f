import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSearch, SearchSyntaxError } from '../../src/store/index.js';
import { tsquery } from '../../src/store/postgres/search.js';
import { ftsMatch } from '../../src/store/sqlite/search.js';

const word = (w: string) => ({ words: [w], prefix: false });

test('words, phrases, OR, -word and prefixes become the AST', () => {
  assert.deepEqual(parseSearch('Memory  safety'), {
    all: [[word('memory')], [word('safety')]],
    none: [],
    sources: [],
    tags: [],
  });
  assert.deepEqual(parseSearch('"memory safety" rust OR go -java kern*').all, [
    [{ words: ['memory', 'safety'], prefix: false }],
    [word('rust'), word('go')],
    [{ words: ['kern'], prefix: true }],
  ]);
  assert.deepEqual(parseSearch('rust OR go OR zig').all, [[word('rust'), word('go'), word('zig')]]);
  assert.deepEqual(parseSearch('kernel -"memory safety" -java').none, [
    { words: ['memory', 'safety'], prefix: false },
    word('java'),
  ]);
  // Words are split as the indexes split them: "e-mail" is the phrase "e mail".
  assert.deepEqual(parseSearch('e-mail').all, [[{ words: ['e', 'mail'], prefix: false }]]);
  assert.deepEqual(parseSearch('or and').all, [[word('or')], [word('and')]], 'lower-case or is a word');
  assert.deepEqual(parseSearch('a - b').all, [[word('a')], [word('b')]], 'a lone dash is punctuation');
});

test('source: and tag: filters, quoted values included; filters are not words', () => {
  const parsed = parseSearch(
    'kernel source:lwn SOURCE:"Cloudflare Blog" tag:Security tag:"machine learning"',
  );
  assert.deepEqual(parsed.all, [[word('kernel')]]);
  assert.deepEqual(parsed.sources, ['lwn', 'Cloudflare Blog']);
  assert.deepEqual(parsed.tags, ['security', 'machine learning']);
  assert.deepEqual(parseSearch('title:rust').all, [[{ words: ['title', 'rust'], prefix: false }]]);
});

test('mistakes are a SearchSyntaxError that says what to change', () => {
  const cases: [string, RegExp][] = [
    ['"memory safety', /quote that opens “"memory safety” is not closed: add the closing "/],
    ['rust OR', /OR needs a word to look for on each side, as in “rust OR go”/],
    ['OR rust', /OR needs a word to look for on each side/],
    ['rust OR OR go', /OR needs a word/],
    ['rust OR -go', /OR needs a word/],
    ['-java', /Add a word to look for: filters and -words only narrow a search/],
    ['source:lwn', /Add a word to look for/],
    ['kernel source:', /“source:” needs a source name or number after it, as in source:lwn/],
    ['kernel tag:', /“tag:” needs a tag after it, as in tag:kernel/],
    ['kernel -source:lwn', /a filter cannot be negated/],
    ['k*', /needs at least 2 letters before the \*, as in kern\*/],
    ['?! …', /has no word to look for/],
    ['x'.repeat(201), /201 characters long; a search takes at most 200/],
    [Array.from({ length: 33 }, (_, i) => `w${i}`).join(' '), /33 words; a search takes at most 32/],
  ];
  for (const [input, message] of cases) {
    assert.throws(
      () => parseSearch(input),
      (e: unknown) => e instanceof SearchSyntaxError,
      input,
    );
    assert.throws(() => parseSearch(input), message, input);
  }
});

test('both renderings quote every word: query syntax in the input stays words', () => {
  const parsed = parseSearch(`"memory safety" rust OR go -java kern* NEAR/2 col:x ^a' b\\c`);
  assert.equal(
    ftsMatch(parsed),
    '("memory safety" AND ("rust" OR "go") AND "kern"* AND "near 2" AND "col x" AND "a" AND "b c") NOT ("java")',
  );
  assert.equal(
    tsquery(parsed),
    "('memory' <-> 'safety') & ('rust' | 'go') & 'kern':* & ('near' <-> '2') & ('col' <-> 'x') & 'a' & ('b' <-> 'c') & !'java'",
  );
  assert.equal(tsquery(parseSearch('Café')), "'cafe'", 'accents folded as the index folds them');
});
