import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FeedItem } from '../../src/model.js';
import { attributionLine, publishedAuthors, sourceName } from '../../src/publish/index.js';
import type { Source } from '../../src/store/index.js';

const source = (more: Partial<Source>): Source => ({
  id: 1,
  url: 'https://blog.example.org/feed.xml',
  options: {},
  status: 'active',
  errorCount: 0,
  redirectSeenCount: 0,
  createdAt: new Date('2024-01-01T00:00:00Z'),
  ...more,
});
const item = (more: Partial<FeedItem>): FeedItem => ({
  id: 'x',
  url: 'https://blog.example.org/p/1',
  ...more,
});

test('attribution names the entry’s first author when it has one', () => {
  const line = attributionLine(
    item({ authors: [{ url: 'https://no.name/' }, { name: ' Ada Lovelace ' }, { name: 'Charles' }] }),
    source({ name: 'Blog', author: 'Configured' }),
  );
  assert.equal(line, 'Post Syndicated from Ada Lovelace original https://blog.example.org/p/1');
});

test('attribution falls back to the source’s configured author', () => {
  const line = attributionLine(
    item({ authors: [{ name: '  ' }] }),
    source({ name: 'Blog', author: 'Grace Hopper' }),
  );
  assert.equal(line, 'Post Syndicated from Grace Hopper original https://blog.example.org/p/1');
});

test('attribution falls back to the source’s name, then its feed title, then its host', () => {
  assert.equal(
    attributionLine(item({}), source({ name: 'Configured Name', title: 'Feed Title' })),
    'Post Syndicated from Configured Name original https://blog.example.org/p/1',
  );
  assert.equal(
    attributionLine(item({}), source({ title: 'Feed Title' })),
    'Post Syndicated from Feed Title original https://blog.example.org/p/1',
  );
  assert.equal(sourceName(source({})), 'blog.example.org');
});

test('attribution links only to http(s) originals and drops "original" when there is none', () => {
  assert.equal(
    attributionLine(item({ url: 'javascript:alert(1)', id: 'urn:uuid:1' }), source({ name: 'Blog' })),
    'Post Syndicated from Blog',
  );
  assert.equal(
    attributionLine(item({ url: undefined, id: 'https://blog.example.org/p/2' }), source({ name: 'Blog' })),
    'Post Syndicated from Blog original https://blog.example.org/p/2',
  );
});

test('published authors: the entry’s named authors, else the attribution name', () => {
  assert.deepEqual(
    publishedAuthors(
      item({ authors: [{ name: 'Ada', url: 'javascript:x' }, { url: 'https://x/' }] }),
      source({}),
    ),
    [{ name: 'Ada' }],
  );
  assert.deepEqual(publishedAuthors(item({}), source({ author: 'Grace' })), [{ name: 'Grace' }]);
});
