import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalHost, canonicalUrl, isArticleUrl, sourceUrl } from '../../src/store/canonical-url.js';

test('canonicalUrl folds the spellings of one article into one string', () => {
  const spellings = [
    'https://example.org/2024/05/post',
    'http://example.org/2024/05/post',
    'HTTPS://Example.ORG/2024/05/post/',
    'https://www.example.org/2024/05/post#comments',
    'http://example.org:80/2024/05/post',
    'https://example.org:443/2024/05/post',
    'https://example.org/2024/05/post?utm_source=rss&utm_medium=feed',
    'https://example.org/2024/05/post?fbclid=abc&gclid=def',
    '  https://example.org/2024/05/post  ',
  ];
  for (const url of spellings) assert.equal(canonicalUrl(url), 'https://example.org/2024/05/post', url);
});

test('canonicalUrl keeps what tells articles apart', () => {
  assert.equal(canonicalUrl('https://example.org/post?id=7&utm_campaign=x'), 'https://example.org/post?id=7');
  assert.equal(canonicalUrl('https://example.org:8443/post'), 'https://example.org:8443/post');
  assert.equal(canonicalUrl('https://blog.example.org/Post'), 'https://blog.example.org/Post');
  assert.notEqual(
    canonicalUrl('https://example.org/post?id=7'),
    canonicalUrl('https://example.org/post?id=8'),
  );
  assert.equal(canonicalUrl('https://example.org/'), 'https://example.org');
});

test('canonicalUrl is undefined for ids that are not web URLs', () => {
  assert.equal(canonicalUrl('tag:example.org,2024:post-7'), undefined);
  assert.equal(canonicalUrl('urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a'), undefined);
  assert.equal(canonicalUrl('post-7'), undefined);
  assert.equal(canonicalUrl(''), undefined);
});

test('canonicalHost names the site, isArticleUrl tells a page from a bare site root', () => {
  assert.equal(canonicalHost('http://WWW.Example.org/feed'), 'example.org');
  assert.equal(canonicalHost('not a url'), undefined);
  assert.equal(isArticleUrl('https://example.org'), false);
  assert.equal(isArticleUrl('https://example.org/post'), true);
  assert.equal(isArticleUrl('https://example.org?p=7'), true);
  for (const root of ['https://example.org/', 'http://example.org:8080/#top', 'https://[::1]:8443/'])
    assert.equal(isArticleUrl(canonicalUrl(root)!), false, root);
  for (const page of ['https://example.org:8080/a', 'https://[::1]/a/', 'https://example.org/?p=1#c'])
    assert.equal(isArticleUrl(canonicalUrl(page)!), true, page);
});

test('sourceUrl serialises a feed URL without folding it, and names what is wrong', () => {
  assert.equal(sourceUrl(' HTTP://Example.org/feed#x '), 'http://example.org/feed');
  assert.throws(() => sourceUrl('example.org/feed'), /source URL "example.org\/feed" is not a valid URL/);
  assert.throws(() => sourceUrl('ftp://example.org/feed'), /must be http or https, not ftp:/);
});
