import assert from 'node:assert/strict';
import { test } from 'node:test';
import { joinBase, resolveHtmlUrls, resolveUrl } from '../../src/parse/urls.js';
import { seededRandom } from '../../src/schedule/index.js';

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

test('absolute links come back exactly as the URL parser writes them, whatever their spelling', () => {
  // Generated http(s) URLs from hosts and paths of characters the parser keeps, rewrites or rejects.
  const random = seededRandom(3986);
  const pick = <T>(items: ArrayLike<T>): T => items[Math.floor(random() * items.length)]!;
  const reference = (href: string, base?: string) => {
    try {
      const url = new URL(href.trim(), base);
      return /^https?:$/.test(url.protocol) ? url.href : undefined;
    } catch {
      return undefined;
    }
  };
  for (let i = 0; i < 20_000; i++) {
    let href = pick('hhH') === 'H' ? 'HTTP://' : pick('ab') === 'a' ? 'http://' : 'https://';
    for (let label = 1 + Math.floor(random() * 3); label > 0; label--) {
      for (let k = 1 + Math.floor(random() * 4); k > 0; k--) href += pick('abxn0189-A');
      if (label > 1) href += '.';
    }
    if (random() < 0.1) href += pick([':80', ':8080', '.', '@x']);
    href += '/';
    for (let k = Math.floor(random() * 10); k > 0; k--)
      href += pick('ab0/.%2eE?#&=:@!$\'()|^`{}\\ "<>\t\u00e9~_');
    const base = random() < 0.5 ? 'https://ex.org/feed/' : undefined;
    assert.equal(resolveUrl(href, base), reference(href, base), JSON.stringify(href));
  }
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
