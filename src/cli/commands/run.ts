/** `tributary run`: the daemon. Serves the river and keeps the sources refreshed; SIGTERM/SIGINT finish in-flight work, commit,
 * and exit. */
import { hostname } from 'node:os';
import { closeDispatchers } from '../../fetch/index.js';
import { runDaemon } from '../../ingest/daemon.js';
import { digestMailerFor } from '../../ingest/mail-digest.js';
import { syncSources } from '../../ingest/sync-sources.js';
import { type GlobalOptions, ingestDeps, logger, openDatabase, settingsFrom } from '../app.js';
import { closeServer, startWebServer, themeOf } from './serve.js';

/** `run` serves and refreshes; `worker` only refreshes (scale out: many workers, one database). */
export function runCommand(opts: GlobalOptions & { listen?: string }): Promise<number> {
  return runLoop(opts, true);
}

export function workerCommand(opts: GlobalOptions): Promise<number> {
  return runLoop(opts, false);
}

async function runLoop(opts: GlobalOptions & { listen?: string }, serve: boolean): Promise<number> {
  const settings = settingsFrom(opts);
  if (serve) themeOf(settings);
  const leaseSeconds = leaseSecondsFromEnv();
  const log = logger();
  const store = await openDatabase(settings, 'write', log);
  const workerId = `${hostname()}:${process.pid}`;
  const stop = new AbortController();
  const onSignal = (signal: string) => {
    log.info({ signal }, 'stopping: finishing in-flight fetches');
    stop.abort();
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  const deps = ingestDeps(settings, store, log, { oneShot: false });
  const server = serve ? await startWebServer(settings, store, log, opts.listen, deps) : undefined;
  try {
    const synced = await syncSources(store, settings.sources);
    log.info(
      { config: settings.file ?? '(built-in defaults)', database: settings.database, workerId, ...synced },
      'tributary running',
    );
    // Only `run` mails the digest: workers sharing a database would each send it.
    const mailer = serve ? digestMailerFor(settings, store, log) : undefined;
    await runDaemon(deps, {
      concurrency: settings.fetch.concurrency,
      signal: stop.signal,
      workerId,
      leaseSeconds,
      ...(mailer && {
        afterPass: async (startedAt, summary) => {
          await mailer.afterPass(startedAt, summary.newEntries);
        },
      }),
    });
    return 0;
  } finally {
    if (server) await closeServer(server);
    await store.close();
    await closeDispatchers();
    log.info('stopped');
  }
}

/**
 * TRIBUTARY_LEASE_SECONDS: how long a claimed source stays this worker's unless renewed (default: the
 * daemon's 300 s). A killed worker's sources wait this long before another worker takes them; tests shorten
 * it. A live worker renews what it holds, and holds no more than it can start within one lease (claims.ts).
 */
function leaseSecondsFromEnv(): number | undefined {
  const raw = process.env.TRIBUTARY_LEASE_SECONDS;
  if (raw === undefined || raw === '') return undefined;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 1) {
    throw new Error(`TRIBUTARY_LEASE_SECONDS must be a whole number of seconds (1 or more), not "${raw}"`);
  }
  return seconds;
}
