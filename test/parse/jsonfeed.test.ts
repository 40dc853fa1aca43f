import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFeed } from '../../src/parse/index.js';

test('JSON Feed 1.1 maps field for field, dates normalised to RFC 3339 UTC', () => {
  const f = parseFeed(
    JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'J',
      home_page_url: 'https://j.example/',
      feed_url: 'https://j.example/feed.json',
      authors: [{ name: 'Jay', url: 'https://j.example/me' }],
      items: [
        {
          id: 1,
          url: '/one',
          title: 'One',
          content_html: '<p>1</p>',
          date_published: '2024-02-03T04:05:06+01:00',
          tags: ['a', 'a', 'b'],
          attachments: [{ url: 'https://j.example/a.mp3', mime_type: 'audio/mpeg', size_in_bytes: 5 }],
        },
      ],
    }),
  );
  assert.equal(f._tributary.format, 'json11');
  assert.deepEqual(f.authors, [{ name: 'Jay', url: 'https://j.example/me' }]);
  const item = f.items[0]!;
  assert.equal(item.id, '1');
  assert.equal(item.url, 'https://j.example/one');
  assert.equal(item.date_published, '2024-02-03T03:05:06Z');
  assert.deepEqual(item.tags, ['a', 'b']);
});

test('JSON Feed 1.0: single author becomes authors[]; hostile values are dropped', () => {
  const f = parseFeed(
    JSON.stringify({
      version: 'https://jsonfeed.org/version/1',
      title: 'Old',
      author: { name: 'Solo' },
      items: [
        {
          id: 'x',
          url: 'javascript:alert(1)',
          title: 42,
          image: 'data:image/png;base64,AAAA',
          content_text: 'hi',
        },
        'junk',
      ],
    }),
  );
  assert.equal(f._tributary.format, 'json10');
  assert.deepEqual(f.authors, [{ name: 'Solo' }]);
  assert.equal(f.items.length, 1);
  assert.equal(f.items[0]!.url, undefined);
  assert.equal(f.items[0]!.title, undefined);
  assert.equal(f.items[0]!.image, undefined);
  assert.ok(f._tributary.warnings.some((w) => w.includes('not an object')));
});

test('JSON Feed with a bare version number ("1.0", "1.1") is read as that version, flagged bozo', () => {
  for (const [version, format] of [
    ['1.0', 'json10'],
    ['1.1', 'json11'],
  ] as const) {
    const f = parseFeed(JSON.stringify({ version, title: 'Bare', items: [{ id: 'a', content_text: 'hi' }] }));
    assert.equal(f._tributary.format, format, version);
    assert.equal(f.title, 'Bare');
    assert.equal(f.items[0]!.content_text, 'hi');
    assert.equal(f._tributary.bozo, true);
    assert.ok(
      f._tributary.warnings.some((w) => w.includes(`"${version}"`)),
      f._tributary.warnings.join(),
    );
  }
});

test('JSON Feed without a version is read when its content type or its shape says JSON Feed', () => {
  const byType = parseFeed(JSON.stringify({ title: 'T', items: [] }), {
    contentType: 'application/feed+json; charset=utf-8',
  });
  assert.equal(byType.title, 'T');
  assert.equal(byType._tributary.bozo, true);
  const byShape = parseFeed(
    JSON.stringify({ title: 'S', home_page_url: 'https://s.example/', items: [{ id: '1', url: '/1' }] }),
    { url: 'https://s.example/feed', contentType: 'application/json' },
  );
  assert.equal(byShape.items[0]!.url, 'https://s.example/1');
  assert.equal(byShape._tributary.bozo, true);
});

test('other JSON is still not a JSON Feed, and the error says what a JSON Feed needs', () => {
  for (const doc of [{ version: 2, items: [] }, { items: [1, 2] }, { title: 'x' }, [{ id: 1 }]]) {
    assert.throws(
      () => parseFeed(JSON.stringify(doc)),
      (e: Error) => e.name === 'FeedError' && /not a JSON Feed/.test(e.message) && /version/.test(e.message),
      JSON.stringify(doc),
    );
  }
});
