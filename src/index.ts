/** Tributary's library API. */
export type * from './model.js';
export { FeedError, type FeedErrorCode, type FeedLink } from './parse/errors.js';
export { parseFeed } from './parse/index.js';
