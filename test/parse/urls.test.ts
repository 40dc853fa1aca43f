import assert from 'node:assert/strict';
import { test } from 'node:test';
import { joinBase, resolveHtmlUrls, resolveUrl } from '../../src/parse/urls.js';

test('relative links resolve against the base; unsafe schemes are dropped', () => {
  assert.equal(resolveUrl('/a?b=1', 'https://ex.org/feed/'), 'https://ex.org/a?b=1');
  assert.equal(resolveUrl('javascript:alert(1)', 'https://ex.org/'), undefined);
  assert.equal(resolveUrl(' JaVaScRiPt:alert(1)'), undefined);
  assert.equal(resolveUrl('data:text/html,x'), undefined);
  assert.equal(resolveUrl('file:///etc/passwd'), undefined);
  assert.equal(resolveUrl('relative/only'), 'relative/only');
  assert.equal(resolveUrl(`https://ex.org/${'a'.repeat(9000)}`), undefined);
});

test('without a base, references read as a browser would: control characters never smuggle a scheme', () => {
  assert.equal(resolveUrl('//ex.org/x'), '//ex.org/x');
  assert.equal(resolveUrl('?q=1'), '?q=1');
  assert.equal(resolveUrl('\u0001http://ex.org/a'), 'http://ex.org/a');
  assert.equal(resolveUrl('ht\ttp://ex.org/'), 'http://ex.org/');
  assert.equal(resolveUrl('\u0001javascript:alert(1)'), undefined);
  assert.equal(resolveUrl('a\u0001b'), undefined);
});

test('xml:base chains, and a javascript: xml:base never becomes the base', () => {
  assert.equal(joinBase('https://ex.org/a/', 'b/'), 'https://ex.org/a/b/');
  assert.equal(joinBase('https://ex.org/a/', 'javascript:alert(1)//'), 'https://ex.org/a/');
});

test('relative URLs inside HTML content become absolute; absolute ones and fragments stay', () => {
  const html = '<a href="/p/1">x</a> <img src=img.png> <a href="#top">t</a> <a href="https://o.org/">o</a>';
  assert.equal(
    resolveHtmlUrls(html, 'https://ex.org/blog/'),
    '<a href="https://ex.org/p/1">x</a> <img src="https://ex.org/blog/img.png"> <a href="#top">t</a> <a href="https://o.org/">o</a>',
  );
  assert.equal(
    resolveHtmlUrls('<img srcset="a.png 1x, /b.png 2x">', 'https://ex.org/d/'),
    '<img srcset="https://ex.org/d/a.png 1x, https://ex.org/b.png 2x">',
  );
});
