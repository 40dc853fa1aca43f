/** `tributary purge`: the one way posts leave the store. A source that left the config is only retired (its
 * posts stay in the river, at their permalinks); deleting them is this explicit step, which says what went. */

import type { Settings } from '../../config/config.js';
import { type Source, type Store, sourceUrlOrRaw } from '../../store/index.js';
import { redactUrl } from '../../url-display.js';
import { type GlobalOptions, openDatabase, settingsFrom } from '../app.js';
import { listedName } from './list.js';

export async function purgeCommand(
  targets: string[],
  opts: GlobalOptions & { retired?: boolean },
): Promise<number> {
  if (targets.length === 0 && !opts.retired) {
    throw new Error('name the sources to purge (URL, name or id), or --retired for every retired source');
  }
  const settings = settingsFrom(opts);
  const declared = new Set(settings.sources.map((s) => sourceUrlOrRaw(s.url)));
  const store = await openDatabase(settings, 'read');
  try {
    const sources = await store.listSources();
    const chosen = new Map<number, Source>();
    if (opts.retired) for (const s of sources) if (s.retiredAt) chosen.set(s.id, s);
    for (const target of targets) {
      const source = findSource(sources, target);
      if (!source)
        throw new Error(`no source ${redactUrl(target)} in the database (\`tributary list\` shows them)`);
      if (declared.has(source.url)) {
        throw new Error(
          `${redactUrl(source.url)} is still in the config; \`tributary remove --purge ${redactUrl(target)}\` removes it and its posts`,
        );
      }
      chosen.set(source.id, source);
    }
    if (chosen.size === 0) console.log('no retired sources to purge');
    for (const source of chosen.values()) await purgeOne(store, source);
    return 0;
  } finally {
    await store.close();
  }
}

/** `remove --purge`: deletes the sources just removed from the config, with their posts. */
export async function purgeRemoved(settings: Settings, urls: readonly string[]): Promise<void> {
  const store = await openDatabase(settings, 'read');
  try {
    const sources = await store.listSources();
    for (const url of urls) {
      const source = findSource(sources, url);
      if (source) await purgeOne(store, source);
    }
  } finally {
    await store.close();
  }
}

/** Deletes one source and its posts, and says how many posts went. */
async function purgeOne(store: Store, source: Source): Promise<void> {
  const purged = await store.purgeSource(source.id);
  if (purged) console.log(`purged ${redactUrl(source.url)}: deleted ${purged.entries} post(s)`);
}

/** A source by declared URL, id, or the name `list` shows (the config's name, else the feed's title). */
export function findSource(sources: readonly Source[], target: string): Source | undefined {
  const url = sourceUrlOrRaw(target);
  return (
    sources.find((s) => s.url === url) ??
    sources.find((s) => String(s.id) === target) ??
    sources.find((s) => listedName(s) === target)
  );
}
