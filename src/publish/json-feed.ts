/** `/feed.json`: the river as JSON Feed 1.1, each item with a `_source` extension naming its origin feed. */
import type { FeedItem } from '../model.js';
import { type FeedEntry, type FeedInput, feedChannel, feedEntry, guessProofTitle } from './feed-entry.js';

/** JSON Feed 1.1 as published: the model's feed without our parse report. */
interface PublishedJsonFeed {
  version: string;
  title: string;
  home_page_url?: string;
  feed_url?: string;
  description?: string;
  hubs?: { type: string; url: string }[];
  items: FeedItem[];
}

export function renderJsonFeed(input: FeedInput): string {
  const { title, description, home, self, hub } = feedChannel(input, 'feed.json');
  const feed: PublishedJsonFeed = { version: 'https://jsonfeed.org/version/1.1', title, items: [] };
  if (home) feed.home_page_url = home;
  if (self) feed.feed_url = self;
  if (description) feed.description = description;
  if (hub) feed.hubs = [{ type: 'WebSub', url: hub }];
  feed.items = input.entries.map((entry) => jsonItem(feedEntry(entry, input.sources)));
  return `${JSON.stringify(feed, null, 1)}\n`;
}

function jsonItem(e: FeedEntry): FeedItem {
  const { item } = e;
  // Field by field, not a spread: stored items carry extensions of ours that are not for publication.
  const out: FeedItem = { id: item.id };
  if (e.url) out.url = e.url;
  if (item.external_url) out.external_url = item.external_url;
  if (item.title) out.title = guessProofTitle(item.title)!;
  // JSON Feed requires content_html or content_text.
  if (e.contentHtml) out.content_html = e.contentHtml;
  else out.content_text = '';
  if (item.summary) out.summary = item.summary;
  if (item.image) out.image = item.image;
  out.date_published = e.published;
  if (item.date_modified) out.date_modified = item.date_modified;
  out.authors = e.authors;
  if (item.tags?.length) out.tags = item.tags;
  if (item.language) out.language = item.language;
  if (item.attachments?.length) out.attachments = item.attachments;
  out._source = {
    title: e.origin.title,
    feed_url: e.origin.feedUrl,
    ...(e.origin.homePageUrl && { url: e.origin.homePageUrl }),
  };
  if (item._youtube_id) out._youtube_id = item._youtube_id;
  return out;
}
