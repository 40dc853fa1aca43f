// One measured run of the refresh bench, in its own process (forked by bench/refresh.mjs, once per round) so
// that peak RSS and JIT state belong to this run alone: every phase starts as cold as it would in a new
// process, and the parent takes the median over rounds. Reports `{ phases, rss? }` over IPC.
//   node refresh-run.mjs engine   N ORIGIN WORKDIR LIMIT_MS CONCURRENCY THREADS   refreshAll, cold then warm
//   node refresh-run.mjs baseline N ORIGIN WORKDIR LIMIT_MS CONCURRENCY THREADS   bare fetches, parse-only
// THREADS: the engine's parse threads (0: parse on the main thread).
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { Agent, request } from 'undici';
import { closeDispatchers, fetchFeed, Limiter } from '../../dist/fetch/index.js';
import { inlineReader, ParsePool } from '../../dist/ingest/parse-pool.js';
import { refreshAll } from '../../dist/ingest/refresh-all.js';
import { parseFeed } from '../../dist/parse/index.js';
import { seededRandom } from '../../dist/schedule/index.js';
import { openStore } from '../../dist/store/index.js';
import { loadCorpus, sourceUrl } from './corpus.mjs';

const [mode, nText, origin, workDir, limitText, concurrencyText, threadsText] = process.argv.slice(2);
const N = Number(nText);
const LIMIT_MS = Number(limitText);
const CONCURRENCY = Number(concurrencyText);
const PARSE_THREADS = Number(threadsText);
// Every source sits on 127.0.0.1, so the default per-host limit (2) would serialise the run. A real planet
// spreads its sources over many hosts, where the per-host limit rarely binds; a limiter whose per-host limit
// equals the global one reproduces that (it is the `per_host_concurrency` setting, not a code change).
const limiter = () => new Limiter(CONCURRENCY, CONCURRENCY);
const fetchPolicy = { allowPrivateNetworks: true };
const urls = Array.from({ length: N }, (_, i) => sourceUrl(origin, i));

/** Runs `task(i)` for i < count, `concurrency` at a time, until done or `LIMIT_MS` has passed. */
async function pool(count, task) {
  const clock = startClock();
  const deadline = performance.now() + LIMIT_MS;
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < count && performance.now() < deadline) {
      await task(next++);
      done++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, count) }, worker));
  return { ...clock.read(), done, timedOut: done < count };
}

/** Wall time, and this process's CPU time (user + system), which other load on the machine skews less. */
function startClock() {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return {
    read() {
      const { user, system } = process.cpuUsage(cpu);
      return { ms: performance.now() - wall, cpuMs: (user + system) / 1000 };
    },
  };
}

/** Tally of outcome kinds, e.g. `{ ok: 998, failed: 2 }`, and the first few distinct failure reasons. */
function tally(outcomes) {
  const kinds = {};
  const errors = new Set();
  for (const o of outcomes) {
    kinds[o.kind] = (kinds[o.kind] ?? 0) + 1;
    if (o.error && errors.size < 3) errors.add(o.error.slice(0, 160));
  }
  return { kinds, errors: [...errors] };
}

async function engine() {
  const store = await openStore(join(mkdtempSync(join(workDir, `engine-${N}-`)), 'bench.db'));
  await store.migrate();
  for (const url of urls) await store.addSource({ url });
  // Info-level log lines are formatted and written, as in the daemon, but to /dev/null.
  const log = pino({ level: 'info', base: undefined }, pino.destination({ dest: '/dev/null', sync: true }));
  const deps = {
    store,
    fetchPolicy,
    limiter: limiter(),
    reader: PARSE_THREADS > 0 ? new ParsePool(PARSE_THREADS) : inlineReader,
    random: seededRandom(1),
    now: () => new Date(),
    log,
  };
  const rssBeforeKiB = process.resourceUsage().maxRSS;
  const phases = {};
  // The third cycle is the warm one the target means: only sources that kept an ETag, so all should 304.
  const cycles = [
    ['engine cold', () => true],
    ['engine warm', () => true],
    ['engine warm, ETag kept', (source) => source.etag !== undefined],
  ];
  for (const [phase, include] of cycles) {
    const sources = (await store.listSources()).filter(include);
    const clock = startClock();
    const summary = await refreshAll(deps, sources, {
      concurrency: CONCURRENCY,
      signal: AbortSignal.timeout(LIMIT_MS),
    });
    phases[phase] = {
      ...clock.read(),
      done: summary.results.length,
      timedOut: summary.results.length < sources.length,
      ...tally(summary.results.map((r) => ({ kind: r.outcome, error: r.error }))),
      note: `${summary.newEntries} new, ${summary.updatedEntries} updated entries`,
    };
    // Warm cycles over a half-filled store would measure something else: leave them out.
    if (phases[phase].timedOut) break;
  }
  // Peak over setup and both cycles, taken before anything else can raise it.
  const rss = { before: rssBeforeKiB, peak: process.resourceUsage().maxRSS };
  const { entries } = await store.stats();
  phases['engine cold'].note += `; ${entries} entries stored`;
  await store.close();
  await deps.reader.close();
  return { phases, rss };
}

async function bareFetchFeed(phases) {
  const deps = { policy: fetchPolicy, limiter: limiter() };
  const etags = new Array(N);
  for (const warm of [false, true]) {
    const outcomes = new Array(N);
    const run = await pool(N, async (i) => {
      const outcome = await fetchFeed(urls[i], { ...deps, validators: warm ? { etag: etags[i] } : {} });
      if (!warm) etags[i] = outcome.validators?.etag;
      outcomes[i] = { kind: outcome.kind, error: outcome.reason };
    });
    phases[`bare fetchFeed ${warm ? 'warm' : 'cold'}`] = { ...run, ...tally(outcomes.filter(Boolean)) };
  }
  await closeDispatchers();
}

/** The wire floor: undici.request with a plain pooled Agent, no guard, no decoding, body read and dropped. */
async function rawUndici(phases) {
  const dispatcher = new Agent({ keepAliveTimeout: 4_000 });
  const etags = new Array(N);
  for (const warm of [false, true]) {
    const outcomes = new Array(N);
    const run = await pool(N, async (i) => {
      const headers = warm && etags[i] ? { 'if-none-match': etags[i] } : {};
      const res = await request(urls[i], { dispatcher, headers });
      await res.body.arrayBuffer();
      if (!warm) etags[i] = res.headers.etag;
      outcomes[i] = { kind: String(res.statusCode) };
    });
    phases[`raw undici ${warm ? 'warm' : 'cold'}`] = { ...run, ...tally(outcomes.filter(Boolean)) };
  }
  await dispatcher.close();
}

/** parseFeed over the bytes each source serves, from memory, one after another (no sanitize, no store). */
function parseOnly(phases) {
  const { feeds } = loadCorpus();
  const clock = startClock();
  const deadline = performance.now() + LIMIT_MS;
  const outcomes = [];
  for (let i = 0; i < N && performance.now() < deadline; i++) {
    const feed = feeds[i % feeds.length];
    try {
      parseFeed(feed.bytes, { url: urls[i], contentType: feed.contentType });
      outcomes.push({ kind: 'parsed' });
    } catch (e) {
      outcomes.push({ kind: 'threw', error: `${feed.name}: ${e.message}` });
    }
  }
  phases['parseFeed only'] = {
    ...clock.read(),
    done: outcomes.length,
    timedOut: outcomes.length < N,
    ...tally(outcomes),
  };
}

async function baseline() {
  const phases = {};
  await bareFetchFeed(phases);
  await rawUndici(phases);
  parseOnly(phases);
  return { phases };
}

// Orphaned (the bench was stopped): stop too.
process.on('disconnect', () => process.exit(1));
const result = mode === 'engine' ? await engine() : await baseline();
process.send(result, () => process.exit(0));
