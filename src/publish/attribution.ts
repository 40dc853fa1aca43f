/**
 * Who a post is by and where it came from: `Post Syndicated from <author> original <url>`, the line every
 * page, feed and digest of the river carries.
 */
import type { Author, FeedItem } from '../model.js';
import type { Source } from '../store/index.js';
import { httpUrl } from './urls.js';

/** What attribution needs to know of a source (a parsed feed not yet stored can stand in for one). */
export type AttributedSource = Pick<Source, 'name' | 'title' | 'author' | 'url'>;

/** The name to show for a source: its configured name, else the feed's own title, else its host. */
export function sourceName(source: AttributedSource | undefined): string {
  if (!source) return 'an unknown source';
  const named = source.name?.trim() || source.title?.trim();
  if (named) return named;
  try {
    return new URL(source.url).host;
  } catch {
    return source.url;
  }
}

/** The entry's first author name, else the source's configured author, else the source's name. */
export function attributionAuthor(item: FeedItem, source: AttributedSource | undefined): string {
  const first = item.authors?.find((a) => a.name?.trim())?.name?.trim();
  return first || source?.author?.trim() || sourceName(source);
}

/** The link to the original post: the item's url, else its external url, else an http(s) id. */
export function originalUrl(item: FeedItem): string | undefined {
  return httpUrl(item.url) ?? httpUrl(item.external_url) ?? httpUrl(item.id);
}

/** `Post Syndicated from <author> original <url>` (without ` original …` for a post that has no link). */
export function attributionLine(item: FeedItem, source: AttributedSource | undefined): string {
  const url = originalUrl(item);
  const author = attributionAuthor(item, source);
  return url ? `Post Syndicated from ${author} original ${url}` : `Post Syndicated from ${author}`;
}

/**
 * The authors output feeds list for an item: its own named authors, else the one name the attribution
 * falls back to, so every post in our feeds says who it is by.
 */
export function publishedAuthors(item: FeedItem, source: Source | undefined): Author[] {
  const named = (item.authors ?? []).filter((a) => a.name?.trim());
  if (named.length > 0) {
    return named.map((a) => {
      const url = httpUrl(a.url);
      return url ? { name: a.name!.trim(), url } : { name: a.name!.trim() };
    });
  }
  return [{ name: attributionAuthor(item, source) }];
}
