/** The store stage's public face: open a store, and the backend-neutral helpers other stages use. */
export { canonicalHost, canonicalUrl, sourceUrl } from './canonical-url.js';
export { entryKey } from './entry-row.js';
export { decodeRiverCursor, encodeRiverCursor } from './river-cursor.js';
export {
  DEFAULT_SEARCH_LIMITS,
  SearchBusyError,
  type SearchLimits,
  SearchTimeoutError,
} from './search-gate.js';
export {
  MAX_SEARCH_LENGTH,
  type ParsedSearch,
  parseSearch,
  SearchSyntaxError,
  type SearchTerm,
  type SearchTerms,
} from './search-query.js';
export type { TextPart } from './search-snippet.js';
export { movedNote, pollHost, pollUrl, REDIRECT_CONFIRMATIONS } from './source-update.js';
export { sourceUrlOrRaw } from './sql-rows.js';
export * from './store.js';
export { tagKey } from './tags.js';
