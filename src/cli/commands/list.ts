/** `tributary list`: every source with its health, as a table or `--json`. */

import { syncSources } from '../../ingest/sync-sources.js';
import type { Source } from '../../store/index.js';
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
    return sources.some((s) => s.status === 'error' || s.status === 'gone') ? 3 : 0;
  } finally {
    await store.close();
  }
}

function sourceJson(s: Source) {
  return {
    id: s.id,
    url: s.url,
    name: s.name ?? s.title,
    status: s.status,
    lastSuccessAt: s.lastSuccessAt?.toISOString(),
    lastFetchAt: s.lastFetchAt?.toISOString(),
    nextFetchAt: s.nextFetchAt?.toISOString(),
    lastStatus: s.lastStatus,
    errorCount: s.errorCount,
    lastError: s.lastError,
  };
}

/** The name `list` shows, which `remove` accepts too. */
export function listedName(s: Source): string {
  return s.name ?? s.title ?? s.url;
}

function sourceLine(s: Source): string {
  const name = listedName(s);
  const next = s.nextFetchAt
    ? `next ${s.nextFetchAt.toISOString()}`
    : s.status === 'gone'
      ? 'not polled'
      : 'due now';
  const last = s.lastSuccessAt ? `ok ${s.lastSuccessAt.toISOString()}` : 'never fetched';
  const error = s.lastError ? `  error ×${s.errorCount}: ${s.lastError}` : '';
  return `${String(s.id).padStart(4)}  ${s.status.padEnd(6)}  ${name}  <${s.url}>  ${last}  ${next}${error}`;
}
