/**
 * Source categories: `/`-paths such as `Tech/Linux`, written in the config (`categories:`), read from OPML
 * folders and `category` attributes, and shown as `/categories/<path>` pages. A source in `Tech/Linux` is in
 * `Tech` too; names match case-insensitively.
 */

/** The path tidied: segments trimmed, empty ones dropped (`/ Tech / Linux/` → `Tech/Linux`); '' when none. */
export function categoryPath(raw: string): string {
  return raw
    .split('/')
    .map((segment) => segment.trim().replace(/\s+/g, ' '))
    .filter(Boolean)
    .join('/');
}

/** What category names are compared by. */
export function categoryKey(path: string): string {
  return categoryPath(path).normalize('NFC').toLowerCase();
}

/** Whether a source with these categories is in the category `key` (a categoryKey), or below it. */
export function inCategory(categories: readonly string[] | undefined, key: string): boolean {
  return (categories ?? []).some((c) => {
    const own = categoryKey(c);
    return own === key || own.startsWith(`${key}/`);
  });
}
