/** The config file lists the sources; the database follows it. Sources added to the file are added, ones
 * removed from it are removed (with their entries); names, authors and options follow edits. */
import type { SourceConfig } from '../config/config.js';
import { type Source, type Store, sourceUrl } from '../store/index.js';

/** Options Tributary learns about a source itself (never written in the config): the feed found behind a
 * page URL, the WebSub subscription. Every other option comes from the config entry, so removing one from
 * the file (say `full_article`) turns it off. */
const LEARNED_OPTIONS = ['feedUrl', 'websub'];

export async function syncSources(
  store: Store,
  configured: SourceConfig[],
): Promise<{ added: number; removed: number }> {
  const existing = new Map((await store.listSources()).map((s) => [s.url, s]));
  let added = 0;
  const keep = new Set<string>();
  for (const { url, name, author, ...configOptions } of configured) {
    const known = existing.get(sourceUrl(url));
    const options = { ...learnedOptions(known), ...configOptions };
    // Unchanged sources are not written: with many workers starting at once, each syncing thousands of
    // sources one round trip at a time was most of their start-up.
    if (known && known.name === name && known.author === author && sameJson(known.options, options)) {
      keep.add(known.url);
      continue;
    }
    if (!known) added++;
    const source = await store.addSource({ url, name, author, options });
    keep.add(source.url);
  }
  let removed = 0;
  for (const s of existing.values()) {
    if (!keep.has(s.url) && (await store.removeSource(s.id))) removed++;
  }
  return { added, removed };
}

function learnedOptions(source: Source | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of LEARNED_OPTIONS) if (source?.options[key] !== undefined) out[key] = source.options[key];
  return out;
}

function sameJson(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1)))
      : v,
  );
}
