/** The config file lists the sources; the database follows it. Sources added to the file are added, ones
 * removed from it are removed (with their entries), names and authors follow edits. */
import type { SourceConfig } from '../config/config.js';
import type { Store } from '../store/index.js';

export async function syncSources(
  store: Store,
  configured: SourceConfig[],
): Promise<{ added: number; removed: number }> {
  const existing = new Map((await store.listSources()).map((s) => [s.url, s]));
  let added = 0;
  const keep = new Set<string>();
  for (const { url, name, author, ...options } of configured) {
    const known = existing.get(url) ?? existing.get(new URL(url).href);
    if (!known) added++;
    const source = await store.addSource({
      url,
      name,
      author,
      // Keep what Tributary learned about the source (e.g. the feed behind a page URL).
      options: { ...(known?.options ?? {}), ...options },
    });
    keep.add(source.url);
  }
  let removed = 0;
  for (const s of existing.values()) {
    if (!keep.has(s.url) && (await store.removeSource(s.id))) removed++;
  }
  return { added, removed };
}
