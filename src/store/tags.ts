/**
 * Tags as the store indexes them: one key per tag, folded by JavaScript (Unicode case folding that SQLite's
 * `lower()` lacks and PostgreSQL's depends on the server's locale), so both backends match `Linux`, `linux`
 * and `LINUX` alike. Keys are written by the store and looked up with the same function.
 */

/** Longer "tags" are sentences a feed put in the wrong field; they are kept on the post, not indexed. */
const MAX_TAG_CHARS = 100;

/** The key a tag is matched by, or undefined for one that is empty or too long to be a tag. */
export function tagKey(tag: string): string | undefined {
  const key = tag.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
  return key && key.length <= MAX_TAG_CHARS ? key : undefined;
}

/** The distinct keys of an entry's tags (its `tags` column, JSON), in the order the feed gave them. */
export function entryTagKeys(tagsJson: string | null | undefined): string[] {
  if (!tagsJson) return [];
  const tags = JSON.parse(tagsJson) as unknown[];
  const keys = new Set<string>();
  for (const tag of tags) {
    const key = typeof tag === 'string' ? tagKey(tag) : undefined;
    if (key) keys.add(key);
  }
  return [...keys];
}
