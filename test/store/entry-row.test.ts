import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FeedItem } from '../../src/model.js';
import { entryFromColumns, entryKey, searchText, toEntryRow } from '../../src/store/entry-row.js';

const seen = Date.parse('2024-05-10T12:00:00Z');

test('a URL guid keeps its key through scheme, slash and fragment churn', () => {
  const key = entryKey({ id: 'http://example.org/post' }, 1);
  assert.equal(entryKey({ id: 'https://example.org/post/' }, 1), key);
  assert.equal(entryKey({ id: 'https://www.example.org/post#more' }, 1), key);
  assert.notEqual(entryKey({ id: 'https://example.org/other' }, 1), key);
});

test('keys are scoped by source, and fall back from guid to link to a content hash', () => {
  assert.notEqual(entryKey({ id: '7' }, 1), entryKey({ id: '7' }, 2));
  assert.equal(
    entryKey({ id: '', url: 'http://example.org/a/' }, 1),
    entryKey({ id: '', url: 'https://example.org/a' }, 1),
  );
  const undated = (content_html: string): FeedItem => ({ id: '', title: 'Weekly notes', content_html });
  assert.notEqual(entryKey(undated('<p>one</p>'), 1), entryKey(undated('<p>two</p>'), 1));
  const dated = (content_html: string): FeedItem => ({
    ...undated(content_html),
    date_published: '2024-05-01T00:00:00Z',
  });
  assert.equal(entryKey(dated('<p>one</p>'), 1), entryKey(dated('<p>one, edited</p>'), 1));
});

test('the content hash ignores dates and guid spelling but sees content changes', () => {
  const item: FeedItem = {
    id: 'http://example.org/p',
    title: 'T',
    content_html: '<p>a</p>',
    date_published: '2024-05-01T00:00:00Z',
  };
  const hash = toEntryRow(item, 1, seen).contentHash;
  assert.equal(
    toEntryRow({ ...item, id: 'https://example.org/p', date_published: '2024-05-09T00:00:00Z' }, 1, seen)
      .contentHash,
    hash,
  );
  assert.notEqual(toEntryRow({ ...item, content_html: '<p>b</p>' }, 1, seen).contentHash, hash);
  assert.notEqual(toEntryRow({ ...item, tags: ['x'] }, 1, seen).contentHash, hash);
});

test('dates: future clamped to first-seen, undated left to the store, modified used when published is absent', () => {
  assert.equal(toEntryRow({ id: 'a', date_published: '2030-01-01T00:00:00Z' }, 1, seen).publishedMs, seen);
  assert.equal(toEntryRow({ id: 'a' }, 1, seen).publishedMs, undefined);
  assert.equal(toEntryRow({ id: 'a', date_published: 'yesterday-ish' }, 1, seen).publishedMs, undefined);
  assert.equal(
    toEntryRow({ id: 'a', date_modified: '2024-05-01T00:00:00Z' }, 1, seen).publishedMs,
    Date.parse('2024-05-01T00:00:00Z'),
  );
});

test('search text comes from the HTML when the item has no plain text', () => {
  const row = toEntryRow({ id: 'a', content_html: '<p>Caf&eacute; <b>open</b></p><p>late</p>' }, 1, seen);
  assert.equal(searchText(row), 'Café open late');
  assert.equal(
    searchText(toEntryRow({ id: 'b', content_text: 'as given', content_html: '<p>x</p>' }, 1, seen)),
    'as given',
  );
});

test('a row read back is the item it was made from, with its date resolved', () => {
  const item: FeedItem = {
    id: 'tag:example.org,2024:1',
    url: 'https://example.org/1',
    external_url: 'https://elsewhere.example/x',
    title: 'One',
    content_html: '<p>one</p>',
    authors: [{ name: 'Ada' }],
    tags: ['a'],
    attachments: [{ url: 'https://example.org/1.mp3', mime_type: 'audio/mpeg' }],
    language: 'en',
    _youtube_id: 'abc',
    date_published: '2024-05-01T08:00:00Z',
  };
  const row = toEntryRow(item, 3, seen);
  const entry = entryFromColumns({
    id: 9,
    source_id: 3,
    guid: row.guid,
    url: row.url ?? null,
    canonical_url: row.canonicalUrl ?? null,
    title: row.title ?? null,
    content_html: row.contentHtml ?? null,
    content_text: null,
    summary: null,
    image: null,
    authors: row.authorsJson ?? null,
    tags: row.tagsJson ?? null,
    attachments: row.attachmentsJson ?? null,
    extra: row.extraJson ?? null,
    date_published: row.publishedMs!,
    date_modified: null,
    claimed_published: row.claimedPublishedMs ?? null,
    first_seen_at: seen,
    updated_at: seen,
  });
  assert.deepEqual(entry.item, item);
  assert.equal(entry.canonicalUrl, 'https://example.org/1');
});
