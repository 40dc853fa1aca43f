/**
 * "Is this body a feed?" for autodiscovery, decided by the parser itself: `tributary add` then finds exactly
 * what `tributary parse` and a refresh read (a feed wrapped in an XHTML page, a JSON Feed with a bare
 * version…), and a head-of-file guess can never disagree with them. Bodies come capped by the fetcher, and
 * the parser is linear on hostile input.
 */
import { FeedError } from '../parse/errors.js';
import { parseFeed } from '../parse/index.js';

/** True when parseFeed reads `body` as a feed; `contentType` helps as it helps the parser (JSON Feed). */
export function looksLikeFeed(body: Uint8Array, contentType?: string): boolean {
  try {
    parseFeed(body, contentType ? { contentType } : {});
    return true;
  } catch (e) {
    if (e instanceof FeedError) return false;
    throw e;
  }
}
