/**
 * The one model an entry keeps from parse to publish: JSON Feed 1.1 (https://jsonfeed.org/version/1.1),
 * plus a `_tributary` extension with facts about how the document was read.
 * Dates are RFC 3339 strings in UTC (`2024-05-01T12:00:00Z`); absent fields are left out, never `null`.
 */

export interface Author {
  name?: string;
  url?: string;
  avatar?: string;
  /** RSS/Atom carry an email; JSON Feed has no field for it, so it rides as an extension. */
  _email?: string;
}

export interface Attachment {
  url: string;
  mime_type?: string;
  title?: string;
  size_in_bytes?: number;
  duration_in_seconds?: number;
}

export interface FeedItem {
  id: string;
  url?: string;
  external_url?: string;
  title?: string;
  content_html?: string;
  content_text?: string;
  summary?: string;
  image?: string;
  banner_image?: string;
  date_published?: string;
  date_modified?: string;
  authors?: Author[];
  tags?: string[];
  language?: string;
  attachments?: Attachment[];
  /** Where an item came from when a feed republishes another (RSS `<source>`, Atom `<source>`). */
  _source?: { title?: string; url?: string; feed_url?: string };
  /** YouTube channel feeds: the video id (yt:videoId), so pages can embed the nocookie player. */
  _youtube_id?: string;
  /** Podcast episodes: what the iTunes elements say of them. */
  _itunes?: ItunesEpisode;
}

export interface ItunesEpisode {
  episode?: number;
  season?: number;
  /** `full`, `trailer` or `bonus`, lower-cased. */
  episode_type?: string;
  explicit?: boolean;
}

export type FeedFormat =
  | 'rss090'
  | 'rss091'
  | 'rss092'
  | 'rss093'
  | 'rss094'
  | 'rss20'
  | 'rss10'
  | 'atom03'
  | 'atom10'
  | 'json10'
  | 'json11'
  | 'cdf';

export interface ParseReport {
  format: FeedFormat;
  /** True when the document was not well-formed or lied about itself and had to be recovered. */
  bozo: boolean;
  /** What was wrong or guessed, in words a user can act on. */
  warnings: string[];
  /** The character encoding the bytes were read as. */
  encoding?: string;
}

export interface JsonFeed {
  version: string;
  title: string;
  home_page_url?: string;
  feed_url?: string;
  description?: string;
  user_comment?: string;
  next_url?: string;
  icon?: string;
  favicon?: string;
  authors?: Author[];
  language?: string;
  expired?: boolean;
  hubs?: { type: string; url: string }[];
  items: FeedItem[];
  /** RSS `<ttl>` in minutes: the publisher's minimum refresh interval. */
  _ttl_minutes?: number;
  _tributary: ParseReport;
}

export interface ParseOptions {
  /** The URL the document was fetched from: the base for relative links. */
  url?: string;
  /** The HTTP Content-Type header; its charset outranks the XML declaration. */
  contentType?: string;
  /** All HTTP response headers (lower-case names), when known. */
  headers?: Record<string, string>;
}
