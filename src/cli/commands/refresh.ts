/** `tributary refresh`: one pass over the due sources (or `--all`), with a progress bar and a summary. */
import { closeDispatchers } from '../../fetch/index.js';
import { digestMailerFor } from '../../ingest/mail-digest.js';
import { refreshAll } from '../../ingest/refresh-all.js';
import { syncSources } from '../../ingest/sync-sources.js';
import { redactUrl } from '../../url-display.js';
import { EXIT_SOURCES_FAILED, type GlobalOptions, ingestDeps, openDatabase, settingsFrom } from '../app.js';
import { progress } from '../progress.js';

export async function refreshCommand(
  opts: GlobalOptions & { all?: boolean; json?: boolean; progress?: boolean },
): Promise<number> {
  const settings = settingsFrom(opts);
  const bar = await progress(opts.progress !== false && !opts.json && process.stderr.isTTY, 'sources');
  const { log } = bar;
  const store = await openDatabase(settings, 'write');
  try {
    await syncSources(store, settings.sources);
    const sources = opts.all
      ? (await store.listSources()).filter(
          (s) => s.status !== 'gone' && s.status !== 'paused' && s.retiredAt === undefined,
        )
      : await store.dueSources(new Date(), Number.MAX_SAFE_INTEGER);
    bar.start(sources.length);
    const started = Date.now();
    const summary = await refreshAll(ingestDeps(settings, store, log, { oneShot: true }), sources, {
      concurrency: settings.fetch.concurrency,
      onProgress: (done, _total, r) => bar.update(done, r.source.name ?? redactUrl(r.source.url)),
    }).finally(() => bar.stop());
    await digestMailerFor(settings, store, log)?.afterPass(new Date(started), summary.newEntries);
    const seconds = (Date.now() - started) / 1000;
    const failures = summary.results.flatMap((r) =>
      r.error
        ? [{ id: r.source.id, url: redactUrl(r.source.url), outcome: r.outcome, error: redactUrl(r.error) }]
        : [],
    );
    if (opts.json) {
      const { results: _, ...counts } = summary;
      process.stdout.write(`${JSON.stringify({ ...counts, seconds, failures }, null, 2)}\n`);
    } else {
      console.log(
        `refreshed ${summary.sources} source(s) in ${seconds.toFixed(1)} s: ${summary.ok} ok, ${summary.notModified} not modified, ` +
          `${summary.failed} failed; ${summary.newEntries} new, ${summary.updatedEntries} updated entries`,
      );
      for (const f of failures) console.log(`  ✗ ${f.url}: ${f.error}`);
    }
    return failures.length > 0 ? EXIT_SOURCES_FAILED : 0;
  } finally {
    await store.close();
    await closeDispatchers();
  }
}
