/**
 * What one fetch writes, decided for every backend alike: item by item, in feed order, against the stored
 * copies that batch lookups found (this source's by dedupe key, other sources' by canonical URL), so that
 * both backends store the same rows and count the same changes with two lookups per fetch, not per item.
 */
import { isArticleUrl } from './canonical-url.js';
import type { EntryRow } from './entry-row.js';
import { movesToOriginal } from './sql-rows.js';
import type { CommitResult } from './store.js';

/** Stored copies of this source's items, by dedupe key. */
export type OwnCopies = Map<string, { id: number; contentHash: string }>;

/** Entries of other sources by canonical URL, oldest first, with the site their source publishes. */
export type OtherCopies = Map<string, { id: number; site: string }[]>;

export interface EntryInsert {
  row: EntryRow;
  publishedMs: number;
  modifiedMs: number | null;
}

export interface EntryUpdate {
  id: number;
  row: EntryRow;
  /** Null keeps the stored date (the entry's place in the river). */
  publishedMs: number | null;
  modifiedMs: number;
}

export interface EntryWrites {
  inserts: EntryInsert[];
  updates: EntryUpdate[];
  counts: CommitResult;
}

/** The article URL an item may share with other sources (never a bare site root). */
export function articleUrl(row: EntryRow): string | undefined {
  return row.canonicalUrl && isArticleUrl(row.canonicalUrl) ? row.canonicalUrl : undefined;
}

/**
 * Decides, item by item, what the fetch writes: an item whose own copy is stored is updated when its
 * content hash differs; else the same article from another source keeps it (dropped here), or moves to
 * this source when this source's site hosts it (see `movesToOriginal`); else it is new. Of items sharing a
 * dedupe key (one post listed twice) the first is written and the others are not: were each written in
 * turn, an unchanged feed would rewrite the entry on every fetch. A moved entry counts as stored for the
 * items after it.
 */
export function planEntryWrites(
  rows: EntryRow[],
  site: string,
  fetchedMs: number,
  own: OwnCopies,
  others: OtherCopies,
): EntryWrites {
  const inserts: EntryInsert[] = [];
  const updates: EntryUpdate[] = [];
  const counts: CommitResult = { newCount: 0, updatedCount: 0 };
  const planned = new Set<string>();

  for (const row of rows) {
    if (planned.has(row.dedupeKey)) continue;
    planned.add(row.dedupeKey);
    const copy = own.get(row.dedupeKey);
    if (copy) {
      if (copy.contentHash === row.contentHash) continue;
      counts.updatedCount++;
      updates.push({ id: copy.id, row, publishedMs: null, modifiedMs: row.modifiedMs ?? fetchedMs });
      continue;
    }
    const url = articleUrl(row);
    const holders = url ? others.get(url) : undefined;
    const holder = holders?.[0];
    if (url && holder) {
      if (!movesToOriginal(url, site, holder.site)) continue;
      holders.shift(); // now this source's: no longer "another source's" for the items after it
      updates.push({
        id: holder.id,
        row,
        publishedMs: row.publishedMs ?? null,
        modifiedMs: row.modifiedMs ?? fetchedMs,
      });
      counts.updatedCount++;
      continue;
    }
    inserts.push({ row, publishedMs: row.publishedMs ?? fetchedMs, modifiedMs: row.modifiedMs ?? null });
    counts.newCount++;
  }
  return { inserts, updates, counts };
}
