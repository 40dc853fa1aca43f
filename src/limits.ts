/** Bounds shared by more than one stage. Imports nothing, so any layer may depend on it. */

/** Longest URL we request, follow (Location headers included) or keep from a feed: real feed URLs are far
 * shorter, so a longer one is an attack or garbage. */
export const MAX_URL_LENGTH = 8192;
