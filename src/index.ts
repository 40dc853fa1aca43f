/** Tributary's library API: the pure pipeline stages, plus the fetcher and store for embedding. */

export { htmlToText } from './content/html-to-text.js';
export { type SanitizeOptions, sanitizeHtml } from './content/sanitize.js';
export { discover, type FetchOutcome, type FetchPolicy, fetchFeed } from './fetch/index.js';
export type * from './model.js';
export { parseDate } from './parse/dates.js';
export { FeedError, type FeedErrorCode, type FeedLink } from './parse/errors.js';
export { parseFeed } from './parse/index.js';
export { formatRfc3339 } from './rfc3339.js';
export { openStore, type Store } from './store/index.js';
