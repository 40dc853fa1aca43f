/**
 * Full-article fetch, for sources whose feed carries only an excerpt (`full_article: true` in the source's
 * config entry): each new item's page is fetched through the same polite, address-checked fetcher as feeds,
 * its main content extracted (content/extract-article.ts) and sanitized, and that becomes the item's body,
 * the feed's excerpt kept as its summary. Any failure keeps the excerpt: a feed is never worse for it.
 */
import { htmlToText } from '../content/html-to-text.js';
import { sanitizeHtml } from '../content/sanitize.js';
import { fetchFeed } from '../fetch/index.js';
import type { FeedItem } from '../model.js';
import { decodeFeedBytes } from '../parse/encoding.js';
import { summaryText } from '../parse/fields.js';
import type { Source } from '../store/index.js';
import type { IngestDeps } from './refresh-source.js';

/** Article pages fetched per source per refresh, so one busy excerpt feed cannot flood its site. */
export const MAX_ARTICLES_PER_REFRESH = 10;
/** Below this many characters of text, an item's body is taken for an excerpt. */
export const EXCERPT_MAX_CHARS = 500;
/** An article page is a few hundred KB at most; the feed cap (16 MB) is far more than one needs. */
export const ARTICLE_MAX_BYTES = 4 * 1024 * 1024;
/**
 * No new article fetch starts after this long, so a slow site cannot hold its source's refresh (and its
 * lease, 300 s by default) for 10 × the fetch timeout. Items left over keep their excerpt this time and are
 * tried on the next refresh that brings the feed anew (they are not stored as articles).
 */
export const ARTICLE_TIME_BUDGET_MS = 60_000;
/** Stored entries of the source looked at to recognise items already expanded (feeds hold fewer). */
const STORED_LOOKBACK = 200;

export function wantsFullArticle(source: Source): boolean {
  return source.options.full_article === true;
}

/**
 * `items` (parsed, not yet sanitized) with excerpts replaced by their articles. Items already stored keep
 * the article stored for them (no refetch, and a re-served excerpt does not overwrite it); new excerpt
 * items are fetched one at a time (the limiter bounds the host anyway), at most MAX_ARTICLES_PER_REFRESH
 * within ARTICLE_TIME_BUDGET_MS. Stored articles pass the rules again with the rest of the item.
 */
export async function expandArticles(
  deps: IngestDeps,
  source: Source,
  items: FeedItem[],
  signal?: AbortSignal,
): Promise<FeedItem[]> {
  const stored = await storedArticles(deps, source);
  let budget = MAX_ARTICLES_PER_REFRESH;
  const stopAt = performance.now() + ARTICLE_TIME_BUDGET_MS;
  const out: FeedItem[] = [];
  for (const item of items) {
    const excerpt = item.content_html ?? item.summary;
    if (!item.url || !isExcerpt(item)) {
      out.push(item);
      continue;
    }
    const known = stored.get(itemKey(item));
    if (known !== undefined) {
      out.push(withArticle(item, known, excerpt));
      continue;
    }
    if (budget <= 0 || performance.now() > stopAt || signal?.aborted) {
      out.push(item);
      continue;
    }
    budget--;
    const article = await fetchArticle(deps, source, item.url, signal);
    out.push(article === undefined ? item : withArticle(item, article, excerpt));
  }
  return out;
}

/** Short bodies, and bodies that merely repeat the summary, are excerpts. */
function isExcerpt(item: FeedItem): boolean {
  const html = item.content_html ?? item.summary ?? item.content_text ?? '';
  if (item.content_html && item.summary && htmlToText(item.content_html).trim() === item.summary.trim())
    return true;
  return htmlToText(html).length < EXCERPT_MAX_CHARS;
}

function withArticle(item: FeedItem, articleHtml: string, excerpt: string | undefined): FeedItem {
  // The excerpt stays as the summary, which the model keeps as text.
  return {
    ...item,
    content_html: articleHtml,
    ...(excerpt && { summary: item.summary ?? summaryText(excerpt) }),
  };
}

/** An item's guid and link: a guid alone would mix up items of a feed that gives several one guid. */
const itemKey = (item: FeedItem): string => `${item.id?.trim() ?? ''} ${item.url ?? ''}`;

/**
 * Articles already stored for this source's items, by item key. An entry holds an expanded article when
 * its body is no excerpt; those are reused as stored (already sanitized and ruled at their first ingest).
 */
async function storedArticles(deps: IngestDeps, source: Source): Promise<Map<string, string>> {
  const { entries } = await deps.store.river({ limit: STORED_LOOKBACK, sourceId: source.id });
  const found = new Map<string, string>();
  for (const { item } of entries) {
    if (item.content_html && item.summary && !isExcerpt(item)) found.set(itemKey(item), item.content_html);
  }
  return found;
}

/** The article at `url`, sanitized, or undefined (logged at debug) when it cannot be had. */
async function fetchArticle(
  deps: IngestDeps,
  source: Source,
  url: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const maxBodyBytes = Math.min(deps.fetchPolicy.maxBodyBytes ?? ARTICLE_MAX_BYTES, ARTICLE_MAX_BYTES);
  const outcome = await fetchFeed(url, {
    policy: { ...deps.fetchPolicy, maxBodyBytes },
    limiter: deps.limiter,
    signal,
  });
  const skip = (reason: string) => {
    deps.log.debug({ source: source.id, url, reason }, 'full article not fetched; keeping the excerpt');
    return undefined;
  };
  if (outcome.kind !== 'ok') return skip('reason' in outcome ? outcome.reason : outcome.kind);
  if (outcome.contentType && !/html/i.test(outcome.contentType))
    return skip(`served as ${outcome.contentType}, not HTML`);
  const page = decodeFeedBytes(outcome.body, outcome.contentType).text;
  // Imported on first use: linkedom and Readability add 25 MiB and 0.3 s to a process, and only sources with
  // `full_article` need them.
  const { extractArticle } = await import('../content/extract-article.js');
  const article = extractArticle(page, outcome.finalUrl);
  if (article === undefined) return skip('no article found on the page');
  const clean = sanitizeHtml(article, { baseUrl: outcome.finalUrl });
  return clean.trim() ? clean : skip('the article was empty once sanitized');
}
