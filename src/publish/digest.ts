/**
 * `/digest.txt`: the river as plain text, for mail and terminals. Each post is its title, the attribution
 * line, then its body as text (content stage's htmlToText); the next post's title follows after two blank
 * lines (a body never has two in a row). No rule lines: they read as part of a post.
 */
import { htmlToText } from '../content/html-to-text.js';
import type { FeedItem, JsonFeed } from '../model.js';
import { type AttributedSource, attributionLine } from './attribution.js';
import type { FeedInput } from './feed-entry.js';

export function renderDigest(input: FeedInput): string {
  const { site } = input;
  const header = [site.title, ...(site.description ? [site.description] : [])].join('\n');
  const posts = input.entries.map((entry) => renderDigestPost(entry.item, input.sources.get(entry.sourceId)));
  return joinDigest(header, posts);
}

/** One post: title line, attribution line, then the body as text. */
export function renderDigestPost(item: FeedItem, source: AttributedSource | undefined): string {
  const title = item.title?.trim() || '(untitled)';
  const body = item.content_html?.trim()
    ? htmlToText(item.content_html)
    : // At most one blank line in a row, as htmlToText writes: two would read as the next post.
      (item.content_text?.trim() || item.summary?.trim() || '').replace(/\n\s*\n(?:\s*\n)+/g, '\n\n');
  const lines = [title, attributionLine(item, source)];
  return body ? `${lines.join('\n')}\n\n${body}` : lines.join('\n');
}

/** A parsed (not stored) feed in the digest format, for `tributary parse --text`. */
export function renderFeedAsText(feed: JsonFeed, feedUrl = ''): string {
  // Items without authors already carry the feed's (parseFeed): the source here only names the feed.
  const source: AttributedSource = { url: feed.feed_url ?? feedUrl, title: feed.title };
  return joinDigest(
    feed.title,
    feed.items.map((item) => renderDigestPost(item, source)),
  );
}

function joinDigest(header: string, posts: string[]): string {
  return `${[header, ...posts].join('\n\n\n')}\n`;
}
