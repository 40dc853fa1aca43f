/** Search fixtures shared by the store and server tests. */
import Database from 'better-sqlite3';
import type { FeedItem } from '../../src/model.js';
import {
  type NewSource,
  parseSearch,
  type SearchPage,
  type Source,
  type Store,
} from '../../src/store/index.js';

/** What a reader's search asks of a store: the typed words parsed as the site parses them. */
export function find(store: Store, query: string, { limit = 10, offset = 0 } = {}): Promise<SearchPage> {
  const { sources: _, ...request } = parseSearch(query);
  return store.search({ ...request, limit, offset });
}

/** The titles of the results, best first. */
export async function titles(store: Store, query: string, options?: { limit?: number; offset?: number }) {
  return (await find(store, query, options)).hits.map((hit) => hit.entry.item.title);
}

export function post(id: string, title: string, more: Partial<FeedItem> = {}): FeedItem {
  return {
    id,
    url: `https://blog.example.org/${id}`,
    title,
    date_published: '2024-05-01T10:00:00Z',
    ...more,
  };
}

/** A source (by default https://blog.example.org/feed) and one fetch of these items. */
export async function withPosts(
  store: Store,
  items: FeedItem[],
  source: NewSource = { url: 'https://blog.example.org/feed' },
): Promise<Source> {
  const added = await store.addSource(source);
  await store.commitFetch(added.id, { outcome: 'ok', fetchedAt: new Date('2024-05-10T12:00:00Z'), items });
  return added;
}

/** Words every bulk post holds (bulkPosts), and a search that ranks every bulk post by all of them. */
const BULK_WORDS = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu';
export const SLOW_QUERY = `bulk ${BULK_WORDS}`;

/**
 * `count` posts of source `sourceId` matching SLOW_QUERY, written straight into the SQLite file in one
 * statement (a quick fixture): searching them takes a while (about a second for 100,000 on the dev VM).
 */
export function bulkPosts(path: string, sourceId: number, count: number): void {
  const db = new Database(path);
  db.transaction(() => {
    const first = db.prepare('SELECT coalesce(max(id), 0) + 1 FROM entries').pluck().get() as number;
    db.prepare(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
      INSERT INTO entries (source_id, dedupe_key, guid, title, content_text, date_published, first_seen_at,
        updated_at, content_hash)
      SELECT ?, 'bulk:' || i, 'bulk:' || i, 'Bulk ' || i, ? || ' ' || i, i, i, i, '' FROM n`).run(
      count,
      sourceId,
      BULK_WORDS,
    );
    db.prepare(
      'INSERT INTO entries_fts (rowid, title, body) SELECT id, title, content_text FROM entries WHERE id >= ?',
    ).run(first);
  })();
  db.close();
}
