/** `tributary list`: every source with its health, as a table or `--json`. */

import { syncSources } from '../../ingest/sync-sources.js';
import { movedNote, pollUrl, type Source } from '../../store/index.js';
import { redactUrl } from '../../url-display.js';
import { type GlobalOptions, openDatabase, settingsFrom } from '../app.js';

export async function listCommand(opts: GlobalOptions & { json?: boolean }): Promise<number> {
  const settings = settingsFrom(opts);
  const store = await openDatabase(settings, 'read');
  try {
    await syncSources(store, settings.sources);
    const sources = await store.listSources();
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(sources.map(sourceJson), null, 2)}\n`);
    } else {
      for (const s of sources) console.log(sourceLine(s));
      console.log(`${sources.length} source(s)`);
    }
    const failing = sources.some((s) => !s.retiredAt && (s.status === 'error' || s.status === 'gone'));
    return failing ? 3 : 0;
  } finally {
    await store.close();
  }
}

function sourceJson(s: Source) {
  return {
    id: s.id,
    url: redactUrl(s.url),
    pollUrl: redactUrl(pollUrl(s)),
    name: s.name ?? s.title,
    status: s.retiredAt ? 'retired' : s.status,
    movedTo: s.movedTo,
    note: movedNote(s),
    retiredAt: s.retiredAt?.toISOString(),
    lastSuccessAt: s.lastSuccessAt?.toISOString(),
    lastFetchAt: s.lastFetchAt?.toISOString(),
    nextFetchAt: s.nextFetchAt?.toISOString(),
    lastStatus: s.lastStatus,
    errorCount: s.errorCount,
    lastError: s.lastError && redactUrl(s.lastError),
  };
}

/** The name `list` shows, which `remove` accepts too. */
export function listedName(s: Source): string {
  return s.name ?? s.title ?? s.url;
}

function sourceLine(s: Source): string {
  const url = redactUrl(s.url);
  const name = s.name ?? s.title ?? url;
  const next = s.retiredAt
    ? `retired ${s.retiredAt.toISOString()} (posts kept; \`tributary purge ${url}\` deletes them)`
    : s.nextFetchAt
      ? `next ${s.nextFetchAt.toISOString()}`
      : s.status === 'gone'
        ? 'not polled'
        : 'due now';
  const moved = s.movedTo ? `  ${redactUrl(movedNote(s) ?? '')}` : '';
  const last = s.lastSuccessAt ? `ok ${s.lastSuccessAt.toISOString()}` : 'never fetched';
  const error = s.lastError ? `  error ×${s.errorCount}: ${redactUrl(s.lastError)}` : '';
  const status = s.retiredAt ? 'retired' : s.status;
  return `${String(s.id).padStart(4)}  ${status.padEnd(7)}  ${name}  <${url}>  ${last}  ${next}${moved}${error}`;
}
