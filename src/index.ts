/** Tributary's library API: the pure pipeline stages, plus the fetcher and store for embedding. */
export type * from './model.js';
export { FeedError, type FeedErrorCode, type FeedLink } from './parse/errors.js';
export { parseFeed } from './parse/index.js';
export { parseDate, formatRfc3339 } from './parse/dates.js';
export { sanitizeHtml, type SanitizeOptions } from './content/sanitize.js';
export { htmlToText } from './content/html-to-text.js';
export { discover, fetchFeed, type FetchOutcome, type FetchPolicy } from './fetch/index.js';
export { openStore, type Store } from './store/index.js';
