/** Why a document could not be read as a feed. Failure here is normal (the web is messy), so it is typed. */
export type FeedErrorCode =
  | 'empty' // no bytes, or only whitespace
  | 'not-a-feed' // a well-formed document of another kind (an HTML page, an XML sitemap…)
  | 'html-page' // an HTML page; `feedLinks` holds the feeds it advertises
  | 'malformed' // could not recover a feed from the bytes
  | 'too-deep' // nesting beyond what any feed needs (a structure bomb)
  | 'binary'; // compressed or binary bytes (e.g. a gzip body that was not inflated)

export interface FeedLink {
  url: string;
  /** The advertised media type (application/rss+xml, …). */
  type: string;
  title?: string;
}

export class FeedError extends Error {
  readonly code: FeedErrorCode;
  /** For `html-page`: the feeds the page advertises with `<link rel="alternate">`, resolved. */
  readonly feedLinks: FeedLink[];

  constructor(code: FeedErrorCode, message: string, feedLinks: FeedLink[] = []) {
    super(message);
    this.name = 'FeedError';
    this.code = code;
    this.feedLinks = feedLinks;
  }
}
