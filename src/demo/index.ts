/**
 * `tributary demo`: the whole pipeline on this machine alone. Sample feeds written for the demo are served
 * on loopback, then fetched, parsed, sanitized and stored (a temporary SQLite database unless one is given)
 * by the same code `tributary refresh` runs, and served as a river by the same server `tributary serve`
 * starts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { ingestDeps, logger, openDatabase } from '../cli/app.js';
import { closeServer, parseListen, startWebServer } from '../cli/commands/serve.js';
import { loadSettings, type Settings } from '../config/config.js';
import { closeDispatchers } from '../fetch/index.js';
import { type RefreshOptions, type RefreshSummary, refreshAll } from '../ingest/refresh-all.js';
import { syncSources } from '../ingest/sync-sources.js';
import type { Store } from '../store/index.js';
import { type FeedServer, startFeedServer } from './feed-server.js';
import { DEMO_FEEDS } from './feeds/index.js';

export { DEMO_FEEDS, YOUTUBE_VIDEO_IDS } from './feeds/index.js';
export type { DemoFeed, DemoPost } from './sample-feed.js';

export const DEFAULT_DEMO_LISTEN = '127.0.0.1:8080';

export interface DemoOptions {
  /** Where to serve the river (default 127.0.0.1:8080; port 0 picks a free one). */
  listen?: string;
  /** The database to fill; default a temporary SQLite file, removed on close. It must hold no sources but
   * the demo's: syncing the demo's sources removes every other one. */
  database?: string;
  /** A config file whose fetch settings apply (sources, site and database are the demo's). */
  config?: string;
  /** Default: warnings and errors on stderr (TRIBUTARY_LOG_LEVEL overrides). */
  log?: Logger;
  onProgress?: RefreshOptions['onProgress'];
}

export interface RefreshedDemo {
  /** The sample feeds' index page on the loopback server. */
  feedsUrl: string;
  database: string;
  /** True when the database is a temporary one that `close()` removes. */
  temporary: boolean;
  settings: Settings;
  store: Store;
  summary: RefreshSummary;
  /** How long the refresh took. */
  seconds: number;
  /** Stops the sample feeds' server, closes the store and removes a temporary database. */
  close(): Promise<void>;
}

export interface RunningDemo extends RefreshedDemo {
  /** The river's home page. */
  url: string;
}

const defaultLog = () => logger(process.env.TRIBUTARY_LOG_LEVEL ?? 'warn');

/** Marks the demo's sources in their options, so a database holding anyone else's is refused. */
const DEMO_MARK = 'demo';

function demoSettings(config: Settings, feeds: FeedServer, database: string, listen: string): Settings {
  return {
    site: {
      title: 'Tributary demo',
      description: 'Invented sample feeds, served from this machine and aggregated by Tributary.',
      listen,
      backlogDays: config.site.backlogDays,
      imageProxy: config.site.imageProxy,
    },
    database,
    // The sample feeds are on 127.0.0.1, which the address guard refuses by default.
    fetch: { ...config.fetch, allowPrivateNetworks: true },
    sources: DEMO_FEEDS.map((f) => ({
      url: feeds.feedUrl(f),
      name: f.name,
      ...(f.author && { author: f.author }),
      [DEMO_MARK]: true,
    })),
  };
}

/** Serves the sample feeds and refreshes each of them once into the database. */
export async function refreshDemo(options: DemoOptions = {}): Promise<RefreshedDemo> {
  const log = options.log ?? defaultLog();
  // Read the config before starting anything, so a broken one leaves nothing behind.
  const config = loadSettings(options.config, {});
  const cleanups: (() => Promise<unknown>)[] = [];
  const close = once(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });
  try {
    const feeds = await startFeedServer();
    cleanups.push(() => feeds.close(), closeDispatchers);
    let database = options.database;
    if (!database) {
      const dir = await mkdtemp(join(tmpdir(), 'tributary-demo-'));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      database = join(dir, 'demo.db');
    }
    const settings = demoSettings(config, feeds, database, options.listen ?? DEFAULT_DEMO_LISTEN);
    const store = await openDatabase(settings, 'write');
    cleanups.push(() => store.close());
    const foreign = (await store.listSources()).filter((s) => s.options[DEMO_MARK] !== true);
    if (foreign.length > 0) {
      throw new Error(
        `database ${database} holds ${foreign.length} source(s) that are not the demo's (${foreign[0]!.url}); ` +
          'the demo would retire them: give a new database, or none for a temporary one',
      );
    }
    await syncSources(store, settings.sources);
    // Each demo serves its feeds on a new port, so the last run's sample sources are retired now. They are
    // the demo's own (marked), so the demo purges them rather than show every sample post twice.
    const sources = [];
    for (const s of await store.listSources()) {
      if (!s.retiredAt) sources.push(s);
      else if (s.options[DEMO_MARK] === true) await store.purgeSource(s.id);
    }
    const started = Date.now();
    const summary = await refreshAll(ingestDeps(settings, store, log, { oneShot: true }), sources, {
      concurrency: settings.fetch.concurrency,
      ...(options.onProgress && { onProgress: options.onProgress }),
    });
    return {
      feedsUrl: `${feeds.site.base}/`,
      database,
      temporary: !options.database,
      settings,
      store,
      summary,
      seconds: (Date.now() - started) / 1000,
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

/** `refreshDemo`, then serves the river until `close()`. */
export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const log = options.log ?? defaultLog();
  const demo = await refreshDemo({ ...options, log });
  let server: Server;
  try {
    server = await startWebServer(demo.settings, demo.store, log, demo.settings.site.listen);
  } catch (e) {
    await demo.close();
    throw e;
  }
  return {
    ...demo,
    url: serverUrl(server, demo.settings.site.listen),
    close: once(async () => {
      await closeServer(server);
      await demo.close();
    }),
  };
}

function serverUrl(server: Server, listen: string): string {
  const { host } = parseListen(listen);
  const { port } = server.address() as AddressInfo;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
}

/** What the refresh did, for a terminal: a summary line, then one line per sample feed. */
export function demoReport(demo: RefreshedDemo): string {
  const s = demo.summary;
  const lines = [
    `Tributary demo: ${DEMO_FEEDS.length} sample feeds served at ${demo.feedsUrl}`,
    `refreshed ${s.sources} source(s) in ${demo.seconds.toFixed(1)} s: ${s.ok} ok, ${s.failed} failed; ` +
      `${s.newEntries} new, ${s.updatedEntries} updated entries`,
  ];
  // In the feeds' own order, not the order the fetches finished in.
  const order = (name?: string) => DEMO_FEEDS.findIndex((f) => f.name === name);
  for (const r of [...s.results].sort((a, b) => order(a.source.name) - order(b.source.name))) {
    const kind = DEMO_FEEDS[order(r.source.name)]?.kind ?? 'sample feed';
    const what = r.error ?? `${r.newCount} new`;
    lines.push(`  ${r.error ? '✗' : '✓'} ${r.source.name ?? r.source.url} — ${kind}: ${what}`);
  }
  lines.push(`database: ${demo.database}${demo.temporary ? ' (temporary, removed on exit)' : ''}`);
  return lines.join('\n');
}

/** A function that runs once; later calls get the first call's promise. */
function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= fn();
    return done;
  };
}
