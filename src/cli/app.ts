/** What every command needs: settings, a logger, the store, the ingest dependencies. Opened lazily so that
 * `parse` or `init` never touch a database. */
import { type DestinationStream, type Logger, pino } from 'pino';
import { loadSettings, type Settings } from '../config/config.js';
import { compileRules } from '../content/rules.js';
import { type FetchPolicy, Limiter } from '../fetch/index.js';
import { defaultParseThreads, inlineReader, ParsePool } from '../ingest/parse-pool.js';
import type { IngestDeps } from '../ingest/refresh-source.js';
import type { Random } from '../schedule/index.js';
import { MissingStoreError, openStore, type Store } from '../store/index.js';
import { redactUrl } from '../url-display.js';
import { publishedTopics } from '../websub/index.js';

export interface GlobalOptions {
  config?: string;
  database?: string;
}

export function logger(
  level = process.env.TRIBUTARY_LOG_LEVEL ?? 'info',
  destination: DestinationStream = pino.destination(2),
): Logger {
  // Structured JSON lines on stderr; stdout stays for what the command prints. Every line is redacted as a
  // whole, so a private feed's password cannot slip out through any field or message that names its URL.
  return pino({ level, base: undefined, hooks: { streamWrite: redactUrl } }, destination);
}

export function settingsFrom(opts: GlobalOptions): Settings {
  const settings = loadSettings(opts.config);
  if (opts.database) settings.database = opts.database;
  return settings;
}

/**
 * `write`: the commands that fill the database (run, refresh, worker, migrate) create it when it is missing,
 * and refuse one they cannot write. `read`: the others refuse a missing one, so that a mistyped path never
 * becomes a new, empty database.
 */
export async function openDatabase(
  settings: Settings,
  access: 'read' | 'write',
  log?: Logger,
): Promise<Store> {
  let store: Store;
  try {
    store = await openStore(settings.database, { create: access === 'write', log });
  } catch (e) {
    if (e instanceof MissingStoreError)
      throw new MissingStoreError(`${e.message}; run \`tributary refresh\` first`);
    throw e;
  }
  await store.migrate();
  if (access === 'write') {
    // Else every source of a pass fails alone with "could not store", and `run` looks healthy.
    await store.checkWritable().catch(async (e) => {
      await store.close();
      throw e;
    });
  }
  return store;
}

export function fetchPolicyFrom(settings: Settings): Partial<FetchPolicy> {
  return {
    timeoutMs: settings.fetch.timeoutSeconds * 1000,
    maxBodyBytes: Math.round(settings.fetch.maxBodyMb * 1024 * 1024),
    allowPrivateNetworks: settings.fetch.allowPrivateNetworks,
    ...(settings.fetch.userAgent && { userAgent: settings.fetch.userAgent }),
  };
}

/** `oneShot`: a command that refreshes once and exits, not a daemon (see defaultParseThreads). */
export function ingestDeps(
  settings: Settings,
  store: Store,
  log: Logger,
  { oneShot }: { oneShot: boolean },
): IngestDeps {
  const random: Random = Math.random;
  const limiter = new Limiter(settings.fetch.concurrency, settings.fetch.perHostConcurrency);
  const rules = compileRules(settings.rules ?? [], 'rules');
  const threads = settings.fetch.parseThreads ?? defaultParseThreads(oneShot);
  return {
    store,
    fetchPolicy: fetchPolicyFrom(settings),
    rules,
    backlogDays: settings.site.backlogDays,
    limiter,
    // Threads start on demand, and idle ones never keep the process alive: commands need not close the pool.
    reader: threads > 0 ? new ParsePool(threads) : inlineReader,
    random,
    now: () => new Date(),
    log,
    websub: settings.websub && { ...settings.websub, topics: publishedTopics(settings.site.url) },
  };
}

/** Exit codes: 0 all good, 1 the command could not run, 3 it ran but some sources failed. */
export const EXIT_SOURCES_FAILED = 3;
