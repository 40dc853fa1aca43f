import assert from 'node:assert/strict';
import { test } from 'node:test';
import { publicUrl, redactUrl } from '../src/url-display.js';

test('redactUrl keeps the user name and hides the password', () => {
  assert.equal(redactUrl('http://alice:s3cret@example.org/feed'), 'http://alice:***@example.org/feed');
  assert.equal(
    redactUrl(new URL('https://alice:p%40ss@example.org:8443/')),
    'https://alice:***@example.org:8443/',
  );
  assert.equal(
    redactUrl('http://tok3n@example.org/feed'),
    'http://***@example.org/feed',
    'a lone name may be a token',
  );
  assert.equal(
    redactUrl('http://alice:pa@ss@example.org/'),
    'http://alice:***@example.org/',
    'to the last @',
  );
});

test('publicUrl drops the userinfo', () => {
  assert.equal(publicUrl('http://alice:s3cret@example.org/feed?a=b@c'), 'http://example.org/feed?a=b@c');
  assert.equal(publicUrl(new URL('http://tok3n@example.org')), 'http://example.org/');
});

test('URLs inside text are treated one by one, and nothing else changes', () => {
  const message = 'HTTP 500 from http://alice:s3cret@example.org/feed (was https://bob:pw@other.example/x)';
  assert.equal(
    redactUrl(message),
    'HTTP 500 from http://alice:***@example.org/feed (was https://bob:***@other.example/x)',
  );
  assert.equal(publicUrl(message), 'HTTP 500 from http://example.org/feed (was https://other.example/x)');
  const json =
    '{"url":"http://alice:s3cret@example.org","to":"mail@example.org","page":"https://a.example/@bob"}';
  assert.equal(
    redactUrl(json),
    '{"url":"http://alice:***@example.org","to":"mail@example.org","page":"https://a.example/@bob"}',
  );
  for (const plain of ['http://example.org/feed', 'mailto:alice@example.org', 'alice@example.org', ''])
    assert.equal(redactUrl(plain), plain);
});
