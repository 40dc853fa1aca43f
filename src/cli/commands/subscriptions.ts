/** Editing the source list: `init`, `add`, `remove`, `import`, `export`. The config file is the list; the
 * database follows it on the next `refresh`/`run` (`remove` and `export` read what it knows of the sources). */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  builtInSettings,
  DEFAULT_CONFIG_FILE,
  type Settings,
  type SourceConfig,
  saveSources,
  starterConfig,
} from '../../config/config.js';
import { readOpml } from '../../config/opml.js';
import { discover } from '../../fetch/index.js';
import { renderOpmlOutlines, sourceOutline } from '../../publish/opml.js';
import { MissingStoreError, pollUrl, type Store, sourceUrl } from '../../store/index.js';
import { publicUrl, redactUrl } from '../../url-display.js';
import { fetchPolicyFrom, type GlobalOptions, openDatabase, settingsFrom } from '../app.js';
import { listedName } from './list.js';
import { purgeRemoved } from './purge.js';

function configPath(opts: GlobalOptions): string {
  return resolve(opts.config ?? process.env.TRIBUTARY_CONFIG ?? DEFAULT_CONFIG_FILE);
}

/** The config file to edit and its settings. Without the file, `add` and `import` start a new one holding
 * only what they add (`init` writes the bundled sources); `remove` has nothing to edit. */
function editableSettings(opts: GlobalOptions, create: boolean): { settings: Settings; path: string } {
  const path = configPath(opts);
  if (existsSync(path)) return { settings: settingsFrom({ ...opts, config: path }), path };
  if (!create)
    throw new Error(
      `no config file ${path} to remove from (\`tributary init\` writes one holding the bundled sources)`,
    );
  return { settings: { ...builtInSettings(), sources: [] }, path };
}

export function initCommand(opts: GlobalOptions & { force?: boolean }): number {
  const path = configPath(opts);
  if (existsSync(path) && !opts.force) throw new Error(`${path} already exists (use --force to overwrite)`);
  writeFileSync(path, starterConfig());
  console.log(`wrote ${path}`);
  return 0;
}

export async function addCommand(
  url: string,
  opts: GlobalOptions & { name?: string; author?: string; discover?: boolean },
): Promise<number> {
  const { settings, path } = editableSettings(opts, true);
  let feedUrl = new URL(url).href;
  let title: string | undefined;
  if (opts.discover !== false) {
    // Resolve a page (a blog's home, a YouTube channel or handle) to the feed it advertises.
    const found = await discover(feedUrl, { policy: fetchPolicyFrom(settings) });
    const best = found.candidates[0];
    if (!best) {
      const why = found.page && 'reason' in found.page ? `: ${found.page.reason}` : '';
      throw new Error(`no feed found at ${redactUrl(url)}${why} (use --no-discover to add it as it is)`);
    }
    feedUrl = best.url;
    title = best.title;
    if (feedUrl !== url) console.log(`found feed ${redactUrl(feedUrl)}${title ? ` (${title})` : ''}`);
  }
  if (settings.sources.some((s) => s.url === feedUrl)) {
    console.log(`already subscribed: ${redactUrl(feedUrl)}`);
    return 0;
  }
  const entry: SourceConfig = { url: feedUrl };
  if (opts.name) entry.name = opts.name;
  if (opts.author) entry.author = opts.author;
  saveSources(path, [...settings.sources, entry]);
  console.log(`added ${redactUrl(feedUrl)} to ${path}`);
  return 0;
}

export async function removeCommand(
  nameOrUrl: string,
  opts: GlobalOptions & { purge?: boolean },
): Promise<number> {
  const { settings, path } = editableSettings(opts, false);
  const href = safeHref(nameOrUrl);
  let kept = settings.sources.filter((s) => s.url !== href && s.name !== nameOrUrl);
  if (kept.length === settings.sources.length) {
    // Perhaps the name `list` shows for a source the config leaves unnamed: its feed's title.
    const listed = await urlsListedAs(nameOrUrl, settings);
    kept = settings.sources.filter((s) => !listed.has(sourceUrl(s.url)));
  }
  if (kept.length === settings.sources.length) throw new Error(`no source ${nameOrUrl} in ${path}`);
  saveSources(path, kept);
  console.log(`removed ${settings.sources.length - kept.length} source(s) from ${path}`);
  // Without --purge the source is retired at the next sync: its posts stay.
  if (opts.purge)
    await purgeRemoved(
      settings,
      settings.sources.filter((s) => !kept.includes(s)).map((s) => s.url),
    );
  return 0;
}

/** The URLs of the sources `list` shows as `name`; none when there is no database yet. */
async function urlsListedAs(name: string, settings: Settings): Promise<Set<string>> {
  let store: Store;
  try {
    store = await openDatabase(settings, 'read');
  } catch (e) {
    if (e instanceof MissingStoreError) return new Set();
    throw e;
  }
  try {
    return new Set((await store.listSources()).filter((s) => listedName(s) === name).map((s) => s.url));
  } finally {
    await store.close();
  }
}

export function importCommand(file: string, opts: GlobalOptions): number {
  const { settings, path } = editableSettings(opts, true);
  const { sources: incoming, notes } = readOpml(readFileSync(file, 'utf8'));
  for (const note of notes) console.error(`import: ${note}`);
  const known = new Set(settings.sources.map((s) => s.url));
  const fresh = incoming.filter((s) => !known.has(s.url));
  saveSources(path, [...settings.sources, ...fresh]);
  console.log(`imported ${fresh.length} new source(s) of ${incoming.length} from ${file} into ${path}`);
  return 0;
}

/** The config's sources as OPML, with what the database knows of them: the name the site shows (the feed's
 * title when the config gives none), the site, and the feed found behind a page URL (a YouTube channel's page
 * is no feed for another reader). */
export async function exportCommand(opts: GlobalOptions): Promise<number> {
  const settings = settingsFrom(opts);
  const store = await openDatabase(settings, 'read');
  try {
    const known = new Map((await store.listSources()).map((s) => [s.url, s]));
    // OPML is for sharing: private feeds go out without their user:password, and the operator is told so.
    let stripped = 0;
    const outlines = settings.sources.map(({ url, name, categories, face, person, homepage }) => {
      const stored = known.get(sourceUrl(url));
      const feed = stored ? pollUrl(stored) : url;
      if (publicUrl(feed) !== feed) stripped++;
      return sourceOutline(
        { ...stored, url: publicUrl(url), name, options: { categories, face, person, homepage } },
        publicUrl(feed),
      );
    });
    process.stdout.write(renderOpmlOutlines(settings.site.title, outlines, new Date()));
    if (stripped > 0)
      console.error(
        `export: ${stripped} feed URL(s) written without their credentials; add them again after importing`,
      );
    return 0;
  } finally {
    await store.close();
  }
}

function safeHref(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}
