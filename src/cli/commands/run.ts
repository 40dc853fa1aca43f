/** `tributary run`: the daemon. Serves the river and keeps the sources refreshed; SIGTERM/SIGINT finish in-flight work, commit,
 * and exit. */
import { closeDispatchers } from '../../fetch/index.js';
import { runDaemon } from '../../ingest/daemon.js';
import { syncSources } from '../../ingest/sync-sources.js';
import { type GlobalOptions, ingestDeps, logger, openDatabase, settingsFrom } from '../app.js';
import { closeServer, startWebServer } from './serve.js';

export async function runCommand(opts: GlobalOptions & { listen?: string }): Promise<number> {
  const settings = settingsFrom(opts);
  const log = logger();
  const store = await openDatabase(settings);
  const stop = new AbortController();
  const onSignal = (signal: string) => {
    log.info({ signal }, 'stopping: finishing in-flight fetches');
    stop.abort();
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  const server = await startWebServer(settings, store, log, opts.listen);
  try {
    const synced = await syncSources(store, settings.sources);
    log.info(
      { config: settings.file ?? '(built-in defaults)', database: settings.database, ...synced },
      'tributary running',
    );
    await runDaemon(ingestDeps(settings, store, log), {
      concurrency: settings.fetch.concurrency,
      signal: stop.signal,
    });
    return 0;
  } finally {
    await closeServer(server);
    await store.close();
    await closeDispatchers();
    log.info('stopped');
  }
}
