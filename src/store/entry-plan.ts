/**
 * What one fetch writes, decided for every backend alike: item by item, in feed order, against the stored
 * copies that batch lookups found (this source's by dedupe key, other sources' by canonical URL), so that
 * both backends store the same rows and count the same changes with two lookups per fetch, not per item.
 */
import { isArticleUrl } from './canonical-url.js';
import type { EntryRow } from './entry-row.js';
import { movesToOriginal } from './sql-rows.js';
import type { CommitResult, FetchCheckpoint, Source } from './store.js';

/** A stored copy of one of this source's items. */
export interface OwnCopy {
  id: number;
  contentHash: string;
  /** The feed's `updated` date of the stored version, when it gave one. */
  claimedModifiedMs?: number;
  /** Hashes of the versions the stored one replaced, oldest first (at most MAX_SUPERSEDED). */
  superseded: string[];
}

/** Stored copies of this source's items, by dedupe key. */
export type OwnCopies = Map<string, OwnCopy>;

/** Earlier versions remembered per entry, to tell a replay of one of them from an edit. */
export const MAX_SUPERSEDED = 20;

/** The columns both backends read for an `OwnCopy`. */
export const OWN_COPY_COLUMNS = 'id, dedupe_key, content_hash, claimed_modified, superseded_hashes';

export interface OwnCopyColumns {
  id: number;
  dedupe_key: string;
  content_hash: string;
  claimed_modified: number | null;
  superseded_hashes: string | null;
}

/** The lookup's rows (OWN_COPY_COLUMNS) by dedupe key. */
export function ownCopies(found: OwnCopyColumns[]): OwnCopies {
  const own: OwnCopies = new Map();
  for (const r of found) {
    own.set(r.dedupe_key, {
      id: r.id,
      contentHash: r.content_hash,
      ...(r.claimed_modified !== null && { claimedModifiedMs: r.claimed_modified }),
      superseded: r.superseded_hashes ? (JSON.parse(r.superseded_hashes) as string[]) : [],
    });
  }
  return own;
}

/** Entries of other sources by canonical URL, oldest first, with their source, the site it publishes and
 * when the entry was first seen. */
export type OtherCopies = Map<string, OtherCopy[]>;

export interface OtherCopy {
  id: number;
  sourceId: number;
  site: string;
  firstSeenMs: number;
}

/** The columns both backends read for an `OtherCopy`, from `entries e JOIN sources s`. */
export const OTHER_COPY_COLUMNS =
  'e.id, e.canonical_url, e.source_id, e.first_seen_at, coalesce(s.home_page_url, s.url) AS site';

export interface OtherCopyColumns {
  id: number;
  canonical_url: string;
  source_id: number;
  first_seen_at: number;
  site: string;
}

/** The lookup's rows (OTHER_COPY_COLUMNS, oldest entry first) by canonical URL. */
export function otherCopies(found: OtherCopyColumns[]): OtherCopies {
  const others: OtherCopies = new Map();
  for (const r of found) {
    const list = others.get(r.canonical_url) ?? [];
    list.push({ id: r.id, sourceId: r.source_id, site: r.site, firstSeenMs: r.first_seen_at });
    others.set(r.canonical_url, list);
  }
  return others;
}

/** A source that carried an entry stored under another (an `entry_sources` row), and since when. */
export interface Carrier {
  entryId: number;
  sourceId: number;
  seenMs: number;
}

export interface EntryInsert {
  row: EntryRow;
  publishedMs: number;
  modifiedMs: number | null;
  /** Part of a new source's backlog: kept out of the river (see `FetchCheckpoint.backlogBefore`). */
  backlog: boolean;
}

export interface EntryUpdate {
  id: number;
  row: EntryRow;
  /** Null keeps the stored date (the entry's place in the river). */
  publishedMs: number | null;
  modifiedMs: number;
  /** The versions the entry has now replaced, as JSON; null keeps the stored list (an entry that moves to
   * its original source brings another source's history). */
  supersededJson: string | null;
  /** Whether the entry is now backlog (an entry that moves to its original source is that source's news or
   * backlog, whatever it was for the source that brought it first); null keeps it as it is. */
  backlog: boolean | null;
}

export interface EntryWrites {
  inserts: EntryInsert[];
  updates: EntryUpdate[];
  /** Other sources' entries this fetch carried too, and the aggregators whose entries moved to it. */
  carriers: Carrier[];
  counts: CommitResult;
}

/** What the fetch being planned is: where its source's site is, when it ran, where its backlog ends. */
export interface PlannedFetch {
  sourceId: number;
  site: string;
  fetchedMs: number;
  /** Set for a source's first successful fetch only: posts dated before it (or undated) are backlog. */
  backlogBeforeMs?: number;
}

/** The PlannedFetch of `cp` for `source` as stored before the fetch (a backlog only on its first success). */
export function plannedFetch(source: Source, cp: FetchCheckpoint): PlannedFetch {
  return {
    sourceId: source.id,
    site: cp.feed?.homePageUrl ?? source.homePageUrl ?? source.url,
    fetchedMs: cp.fetchedAt.getTime(),
    ...(source.lastSuccessAt === undefined &&
      cp.backlogBefore && { backlogBeforeMs: cp.backlogBefore.getTime() }),
  };
}

/** The article URL an item may share with other sources (never a bare site root). */
export function articleUrl(row: EntryRow): string | undefined {
  return row.canonicalUrl && isArticleUrl(row.canonicalUrl) ? row.canonicalUrl : undefined;
}

/**
 * Decides, item by item, what the fetch writes: an item whose own copy is stored is updated when its
 * content hash differs and it is no older version (see `isOlder`); else the same article from another
 * source keeps it (dropped here), or moves to this source when this source's site hosts it (see
 * `movesToOriginal`) — either way the source that does not keep it is recorded as a carrier; else it is new. Of items sharing a dedupe key (one post listed twice) the first is
 * written and the others are not: were each written in turn, an unchanged feed would rewrite the entry on
 * every fetch. A moved entry counts as stored for the items after it.
 */
export function planEntryWrites(
  rows: EntryRow[],
  { sourceId, site, fetchedMs, backlogBeforeMs }: PlannedFetch,
  own: OwnCopies,
  others: OtherCopies,
): EntryWrites {
  const inserts: EntryInsert[] = [];
  const updates: EntryUpdate[] = [];
  const carriers: Carrier[] = [];
  const counts: CommitResult = { newCount: 0, updatedCount: 0 };
  const planned = new Set<string>();
  const isBacklog = (row: EntryRow) =>
    backlogBeforeMs !== undefined && (row.publishedMs === undefined || row.publishedMs < backlogBeforeMs);

  for (const row of rows) {
    if (planned.has(row.dedupeKey)) continue;
    planned.add(row.dedupeKey);
    const copy = own.get(row.dedupeKey);
    if (copy) {
      if (copy.contentHash === row.contentHash || isOlder(row, copy)) continue;
      counts.updatedCount++;
      const superseded = [...copy.superseded.filter((h) => h !== row.contentHash), copy.contentHash];
      updates.push({
        id: copy.id,
        row,
        publishedMs: null,
        modifiedMs: row.modifiedMs ?? fetchedMs,
        supersededJson: JSON.stringify(superseded.slice(-MAX_SUPERSEDED)),
        backlog: null,
      });
      continue;
    }
    const url = articleUrl(row);
    const holders = url ? others.get(url) : undefined;
    const holder = holders?.[0];
    if (url && holder) {
      if (!movesToOriginal(url, site, holder.site)) {
        carriers.push({ entryId: holder.id, sourceId, seenMs: fetchedMs });
        continue;
      }
      carriers.push({ entryId: holder.id, sourceId: holder.sourceId, seenMs: holder.firstSeenMs });
      holders.shift(); // now this source's: no longer "another source's" for the items after it
      updates.push({
        id: holder.id,
        row,
        publishedMs: row.publishedMs ?? null,
        modifiedMs: row.modifiedMs ?? fetchedMs,
        supersededJson: null,
        backlog: isBacklog(row),
      });
      counts.updatedCount++;
      continue;
    }
    inserts.push({
      row,
      publishedMs: row.publishedMs ?? fetchedMs,
      modifiedMs: row.modifiedMs ?? null,
      backlog: isBacklog(row),
    });
    counts.newCount++;
  }
  return { inserts, updates, carriers, counts };
}

/**
 * Whether `row` is an older version of the stored copy, which it must not overwrite (a replayed push, a
 * stale cache): older by the feed's `updated` dates when both have one; else, unless its date is newer, a
 * text the entry already had and replaced. An earlier text under a newer date is an edit back, and wins.
 */
function isOlder(row: EntryRow, copy: OwnCopy): boolean {
  const [pushed, stored] = [row.claimedModifiedMs, copy.claimedModifiedMs];
  if (pushed !== undefined && stored !== undefined && pushed !== stored) return pushed < stored;
  return copy.superseded.includes(row.contentHash);
}
