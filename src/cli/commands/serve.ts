/** `tributary serve` (the web site alone, e.g. a stateless replica) and `tributary build --out DIR` (the same
 * site as static files, as Planet did). `run` starts the same server beside the refresh loop. */
import { existsSync, readdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { Settings } from '../../config/config.js';
import { ingestPush } from '../../ingest/push.js';
import type { IngestDeps } from '../../ingest/refresh-source.js';
import { createServer, exportSite } from '../../server/index.js';
import { loadTheme, type Theme } from '../../server/theme/index.js';
import type { Store } from '../../store/index.js';
import { createWebSubCallback } from '../../websub/index.js';
import {
  fetchPolicyFrom,
  type GlobalOptions,
  ingestDeps,
  logger,
  openDatabase,
  settingsFrom,
} from '../app.js';
import { fallBackToListenUrl, siteInfo } from '../site-url.js';

const themes = new WeakMap<Settings, Theme>();

/** The site's theme (`site.theme`), read and checked once per settings: `serve`, `run` and `build` ask for it
 * before anything else, so a broken template stops them at start with its file and line. */
export function themeOf(settings: Settings): Theme {
  let theme = themes.get(settings);
  if (!theme) {
    theme = loadTheme(settings.site.theme);
    themes.set(settings, theme);
  }
  return theme;
}

/** "127.0.0.1:8080", ":8080" or "8080" → host and port. */
export function parseListen(listen: string): { host: string; port: number } {
  const m = /^(?:\[?([^\]]*?)\]?:)?(\d{1,5})$/.exec(listen.trim());
  if (!m) throw new Error(`cannot listen on "${listen}": expected HOST:PORT`);
  return { host: m[1] || '127.0.0.1', port: Number(m[2]) };
}

/** `deps` ingest what hubs push (`run` shares its refresh loop's). */
export async function startWebServer(
  settings: Settings,
  store: Store,
  log: Logger,
  listen?: string,
  deps: IngestDeps = ingestDeps(settings, store, log, { oneShot: false }),
): Promise<Server> {
  const { host, port } = parseListen(listen ?? settings.site.listen);
  const site = siteInfo(settings);
  const server = createServer({
    store,
    site,
    theme: themeOf(settings),
    onError: (error) => log.error({ error: String(error) }, 'page failed'),
    websub: createWebSubCallback({
      store,
      ingest: (source, pushed) => ingestPush(deps, source, pushed),
      log,
      maxBodyBytes: settings.fetch.maxBodyMb * 1024 * 1024,
    }),
    imageProxy: {
      mode: settings.site.imageProxy,
      fetchPolicy: fetchPolicyFrom(settings),
      ...(settings.imageProxySecret && { secret: settings.imageProxySecret }),
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  // Pages read site.url as they render: set here, once the port is known, before the first request.
  if (typeof address === 'object' && address)
    fallBackToListenUrl(site, host, address.port, (message) => log.warn(message));
  const shown =
    typeof address === 'object' && address
      ? `http://${host.includes(':') ? `[${host}]` : host}:${address.port}/`
      : listen;
  log.info({ url: shown }, `serving the river at ${shown}`);
  return server;
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

export async function serveCommand(opts: GlobalOptions & { listen?: string }): Promise<number> {
  const settings = settingsFrom(opts);
  themeOf(settings);
  const log = logger();
  const store = await openDatabase(settings, 'read', log);
  const server = await startWebServer(settings, store, log, opts.listen);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await closeServer(server);
  await store.close();
  return 0;
}

export async function buildCommand(opts: GlobalOptions & { out: string; force?: boolean }): Promise<number> {
  const settings = settingsFrom(opts);
  const theme = themeOf(settings);
  const store = await openDatabase(settings, 'read');
  try {
    // An empty river over a published site is most likely the wrong database, not the news.
    if (!opts.force && (await store.stats()).entries === 0 && holdsFiles(opts.out))
      throw new Error(
        `the database ${settings.database} holds 0 posts and ${opts.out} is not empty: not replacing it ` +
          '(check --database / the config; --force writes the empty site anyway)',
      );
    const site = siteInfo(settings);
    const { host, port } = parseListen(settings.site.listen);
    fallBackToListenUrl(site, host, port, (message) => console.error(`tributary build: ${message}`));
    const result = await exportSite(store, opts.out, site, {
      theme,
      images: { mode: settings.site.imageProxy, fetchPolicy: fetchPolicyFrom(settings) },
    });
    console.log(
      `wrote ${result.files} files (${result.riverPages} river pages, ${result.entries} posts, ` +
        `${result.images} images) to ${opts.out}`,
    );
    if (result.imagesNotCopied > 0) {
      console.log(
        `${result.imagesNotCopied} images could not be copied (failed, refused by the address guard, or past ` +
          "the export's bounds) and are linked at their own address",
      );
    }
    return 0;
  } finally {
    await store.close();
  }
}

function holdsFiles(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).length > 0;
}

/** `tributary migrate`: apply pending schema migrations (every command also does this on start). */
export async function migrateCommand(opts: GlobalOptions): Promise<number> {
  const store = await openDatabase(settingsFrom(opts), 'write');
  await store.close();
  console.log('database schema is up to date');
  return 0;
}
