/**
 * Bytes in, rows out. Every body goes this one way, whatever brought it (a poll, the feed that discovery
 * found behind a page, a hub's push): parse → prepare rows (sanitize, rules) → full article → rows for the
 * checkpoint. A second way would store the same feed differently, and the body would flip between them.
 */
import { compileRules, type Rule } from '../content/rules.js';
import type { JsonFeed } from '../model.js';
import type { EntryRow } from '../store/entry-row.js';
import type { Source } from '../store/index.js';
import { expandArticles, wantsFullArticle } from './full-article.js';
import { inlineReader } from './parse-pool.js';
import { prepareRows, type RowOptions } from './read-feed.js';
import type { IngestDeps } from './refresh-source.js';

export interface Body {
  bytes: Uint8Array;
  /** Where the body came from: the base for its relative URLs. */
  url: string;
  contentType?: string;
  /** Response headers (lower-case names), when it was fetched. */
  headers?: Record<string, string>;
}

export interface Ingested {
  feed: JsonFeed;
  rows: EntryRow[];
}

/** Reads `body` as a feed of `source` and makes its rows; throws what parseFeed throws. */
export async function ingestBody(
  deps: IngestDeps,
  source: Source,
  body: Body,
  fetchedAtMs: number,
  signal?: AbortSignal,
): Promise<Ingested> {
  const options: RowOptions = {
    rules: [deps.rules ?? [], sourceRules(source)],
    sourceId: source.id,
    fetchedAtMs,
  };
  // Items are prepared on the reader's thread, except for opted-in sources (`full_article: true`): those
  // are prepared here once their excerpts have become articles.
  const full = wantsFullArticle(source);
  const read = await (deps.reader ?? inlineReader).read({
    body: body.bytes,
    options: { url: body.url, contentType: body.contentType, headers: body.headers },
    ...(!full && { prepare: options }),
  });
  const rows =
    read.rows ?? prepareRows(await expandArticles(deps, source, read.feed.items, signal), body.url, options);
  return { feed: read.feed, rows };
}

/** A source's own rules, from its config entry (validated when the config was loaded). */
export function sourceRules(source: Source): readonly Rule[] {
  return source.options.rules === undefined
    ? []
    : compileRules(source.options.rules, `rules of ${source.url}`);
}
