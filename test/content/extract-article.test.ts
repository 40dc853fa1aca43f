import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { extractArticle } from '../../src/content/extract-article.js';
import { sanitizeHtml } from '../../src/content/sanitize.js';

// Tests run from .build/test/content; the fixtures stay in the source tree.
const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../../test/content/fixtures/${name}`, import.meta.url)), 'utf8');
const PAGE_URL = 'https://notes.example/p/meander';

test('a blog page yields its article body, without the nav, sidebar, comments and footer around it', () => {
  const html = extractArticle(fixture('blog-article.html'), PAGE_URL);
  assert.ok(html, 'an article was found');
  for (const kept of ['A river never runs straight', 'point bar', 'oxbow lake', 'carve new curves'])
    assert.match(html, new RegExp(kept));
  for (const dropped of ['Sidebar link one', 'sponsor', 'First comment', 'privacy policy', 'Subscribe to'])
    assert.doesNotMatch(html, new RegExp(dropped));
});

test('relative links in the article resolve against the page URL, and sanitizing drops its scripts', () => {
  const html = sanitizeHtml(extractArticle(fixture('blog-article.html'), PAGE_URL) ?? '', {
    baseUrl: PAGE_URL,
  });
  assert.match(html, /href="https:\/\/notes\.example\/p\/oxbows"/);
  assert.match(html, /src="https:\/\/notes\.example\/p\/images\/meander\.png"/);
  assert.doesNotMatch(html, /<script|injected by the article page|tracker/);
});

test('a page with no article (a list of links, a form) gives undefined', () => {
  assert.equal(extractArticle(fixture('no-article.html'), 'https://notes.example/'), undefined);
});

test('empty and non-HTML input give undefined rather than throwing', () => {
  assert.equal(extractArticle('', PAGE_URL), undefined);
  assert.equal(extractArticle('just some words', PAGE_URL), undefined);
});
