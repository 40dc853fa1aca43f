/** The config file lists the sources; the database follows it. Sources added to the file are added (or
 * brought back), ones that left it are retired: no longer polled, their posts kept until someone purges them.
 * Names, authors and options follow edits. A source is matched on the URL the operator declared, which a
 * feed's move never rewrites.
 *
 * Every process (each worker, the web server, each CLI command) syncs at start, so the work is done in bulk
 * by the store (`Store.syncSources`: a few set-based statements) and only once per change of the list: a
 * hash of the declared list is kept in the database, and a process that finds it unchanged is done after one
 * query. */
import { createHash } from 'node:crypto';
import type { SourceConfig } from '../config/config.js';
import {
  type ConfigOptions,
  type DeclaredSource,
  LEARNED_OPTION_KEYS,
  type Store,
  type SyncResult,
  sourceUrl,
} from '../store/index.js';

/** Bumped when what a declared source holds changes shape, so every database syncs once under the new form. */
const SYNC_FORMAT = 1;

export async function syncSources(
  store: Store,
  configured: readonly SourceConfig[],
  now = new Date(),
): Promise<SyncResult> {
  // The list as written names it: the same file gives the same hash, and nothing else is computed for it.
  const listHash = digest('sha256', `tributary-sources/${SYNC_FORMAT}\n${JSON.stringify(configured)}`);
  return store.syncSources(listHash, () => declaredSources(configured), now);
}

/** The config's sources as the store keeps them (URL canonical; the last entry wins when two name one URL),
 * each with a hash of what the config says of it. */
export function declaredSources(configured: readonly SourceConfig[]): DeclaredSource[] {
  const byUrl = new Map<string, DeclaredSource>();
  for (const entry of configured) {
    const options: ConfigOptions = {};
    for (const key of Object.keys(entry).sort()) {
      if (!NOT_OPTIONS.has(key) && entry[key] !== undefined) options[key] = entry[key];
    }
    const said = JSON.stringify([entry.name ?? null, entry.author ?? null, options]);
    const declared: DeclaredSource = {
      url: sourceUrl(entry.url),
      options,
      configHash: digest('sha1', said),
    };
    if (entry.name !== undefined) declared.name = entry.name;
    if (entry.author !== undefined) declared.author = entry.author;
    byUrl.set(declared.url, declared);
  }
  return [...byUrl.values()];
}

/** Keys of a config entry that are not options: the source's own columns, and what only Tributary learns. */
const NOT_OPTIONS = new Set<string>(['url', 'name', 'author', ...LEARNED_OPTION_KEYS]);

/** node:crypto's one-shot `hash()` would do, but Node 20 has it only from 20.12. */
function digest(algorithm: 'sha1' | 'sha256', text: string): string {
  return createHash(algorithm).update(text).digest('base64url');
}
