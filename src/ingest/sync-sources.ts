/** The config file lists the sources; the database follows it. Sources added to the file are added (or
 * brought back), ones that left it are retired: no longer polled, their posts kept until someone purges them.
 * Names, authors and options follow edits. A source is matched on the URL the operator declared, which a
 * feed's move never rewrites. */
import type { SourceConfig } from '../config/config.js';
import { type Source, type Store, sourceUrl } from '../store/index.js';

/** Options Tributary learns about a source itself (never written in the config): the feed found behind a
 * page URL, the WebSub subscription. Every other option comes from the config entry, so removing one from
 * the file (say `full_article`) turns it off. */
const LEARNED_OPTIONS = ['feedUrl', 'websub'];

export async function syncSources(
  store: Store,
  configured: SourceConfig[],
  now = new Date(),
): Promise<{ added: number; retired: number }> {
  const existing = new Map((await store.listSources()).map((s) => [s.url, s]));
  let added = 0;
  const keep = new Set<string>();
  for (const { url, name, author, ...configOptions } of configured) {
    const known = existing.get(sourceUrl(url));
    const options = { ...learnedOptions(known), ...configOptions };
    // Unchanged sources are not written: with many workers starting at once, each syncing thousands of
    // sources one round trip at a time was most of their start-up.
    if (
      known &&
      known.retiredAt === undefined &&
      known.name === name &&
      known.author === author &&
      sameJson(known.options, options)
    ) {
      keep.add(known.url);
      continue;
    }
    if (!known) added++;
    const source = await store.addSource({ url, name, author, options });
    keep.add(source.url);
  }
  const leaving = [...existing.values()].filter((s) => !keep.has(s.url) && s.retiredAt === undefined);
  const retired =
    leaving.length > 0
      ? await store.retireSources(
          leaving.map((s) => s.id),
          now,
        )
      : 0;
  return { added, retired };
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
